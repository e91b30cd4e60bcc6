"""Per-input parsing context: forced year, time zone and vendor, and the clock that infers years.

RFC 3164 and most vendor headers print no year and no zone. A gateway's lines arrive in order, so a
month that jumps back by more than half a year means New Year has passed for that host. While a host
keeps printing within one hour, `stamp_hour` reuses that hour's year and epoch instead of recomputing them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}

_HALF_YEAR = 183 * 86400.0
DEFAULT_MAX_LINE = 16 * 1024


def zone(name: str | None) -> tzinfo:
    """`--tz` value to a tzinfo; UTC when not given."""
    if not name or name.upper() in ("UTC", "Z"):
        return UTC
    return ZoneInfo(name)


class _HostClock:
    """The last time a host printed: its year, the epoch, and the hour it fell in (for the fast path)."""

    __slots__ = ("key", "start", "ts", "year")

    def __init__(self, year: int, ts: float, key: object, start: float) -> None:
        self.year = year
        self.ts = ts
        self.key = key  # the caller's token for (month, day, hour); None when the caller gave none
        self.start = start  # epoch of the start of that hour


@dataclass(slots=True)
class ParseContext:
    """Options and year-inference state for one input stream (a file, a socket, a Kafka partition)."""

    year: int | None = None  # year of the first year-less line; inferred from `reference` when None
    tz: tzinfo = UTC  # zone of timestamps that print none
    vendor: str | None = None  # force a dialect by name
    max_line: int = DEFAULT_MAX_LINE  # longer lines become parse_error records
    reference: float | None = None  # "now" for year inference; the receiver's clock when known
    _last_seen: dict[str | None, _HostClock] = field(default_factory=dict)
    _hour_cache: dict[tuple[int, int, int, int], float] = field(default_factory=dict)

    def hour_start(self, year: int, month: int, day: int, hour: int, tz: tzinfo | None = None) -> float:
        """Epoch of the start of that hour in the context zone (cached: one datetime per hour, not per line)."""
        zone_ = tz or self.tz
        if zone_ is not self.tz:
            return datetime(year, month, day, hour, tzinfo=zone_).timestamp()
        key = (year, month, day, hour)
        cached = self._hour_cache.get(key)
        if cached is None:
            if len(self._hour_cache) > 4096:
                self._hour_cache.clear()
            cached = datetime(year, month, day, hour, tzinfo=zone_).timestamp()
            self._hour_cache[key] = cached
        return cached

    def stamp(self, host: str | None, month: int, day: int, hour: int, minute: int, second: float,
              year: int | None = None) -> float | None:
        """Epoch seconds for a header time; infers the year when the line has none. None if invalid."""
        return self._stamp(host, month, day, hour, minute, second, year, None)

    def stamp_hour(self, host: str | None, key: tuple[int, int, int, int | None], seconds: int) -> float | None:
        """`stamp` for a time given as (month, day, hour, year or None) and the seconds into that hour.

        `key` must be the same tuple object for the same hour (the caller interns it): while a host keeps
        printing within one hour, its year and the hour's epoch are already known, so the answer is one
        addition. Anything else (new hour, new host, another caller in between) takes `stamp`'s path.
        """
        last = self._last_seen.get(host)
        if last is not None and last.key is key:
            # Same host, same hour, same year as its previous line: no New Year can lie in between.
            ts = last.start + seconds
            last.ts = ts
            return ts
        return self._stamp(host, key[0], key[1], key[2], 0, seconds, key[3], key)

    def _stamp(self, host: str | None, month: int, day: int, hour: int, minute: int, second: float,
               year: int | None, key: object) -> float | None:
        try:
            if year is not None:
                start = self.hour_start(year, month, day, hour)
                ts = start + minute * 60 + second
                self._last_seen[host] = _HostClock(year, ts, key, start)
                return ts
            last = self._last_seen.get(host)
            guess = last.year if last is not None else self._initial_year(month)
            start = self.hour_start(guess, month, day, hour)
            ts = start + minute * 60 + second
            if last is not None:
                if ts < last.ts - _HALF_YEAR:  # Dec -> Jan: New Year passed
                    guess += 1
                    start = self.hour_start(guess, month, day, hour)
                    ts = start + minute * 60 + second
                elif ts > last.ts + _HALF_YEAR:  # a late line from last year
                    guess -= 1
                    # do not move the host's year backwards for one late line
                    return self.hour_start(guess, month, day, hour) + minute * 60 + second
            self._last_seen[host] = _HostClock(guess, ts, key, start)
            return ts
        except (ValueError, OverflowError):
            return None

    def clocks(self) -> list[list[object]]:
        """The year inference's memory, `[host, year, last time]` per host: a new context given it with
        `restore_clocks` infers the same years as this one would (a worker taking over a gateway)."""
        return [[host, clock.year, clock.ts] for host, clock in self._last_seen.items()]

    def restore_clocks(self, saved: list[list[Any]]) -> None:
        for host, year, ts in saved:
            self._last_seen[host] = _HostClock(year, ts, None, 0.0)

    def _initial_year(self, month: int) -> int:
        if self.year is not None:
            return self.year
        now = datetime.fromtimestamp(self.reference if self.reference is not None else time.time(), UTC)
        # A December line read in January belongs to last year.
        return now.year - 1 if month > now.month + 1 else now.year
