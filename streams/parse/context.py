"""Per-input parsing context: forced year, time zone and vendor, and the clock that infers years.

RFC 3164 and most vendor headers print no year and no zone. A gateway's lines arrive in order, so a
month that jumps back by more than half a year means New Year has passed for that host.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
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


@dataclass(slots=True)
class ParseContext:
    """Options and year-inference state for one input stream (a file, a socket, a Kafka partition)."""

    year: int | None = None  # year of the first year-less line; inferred from `reference` when None
    tz: tzinfo = UTC  # zone of timestamps that print none
    vendor: str | None = None  # force a dialect by name
    max_line: int = DEFAULT_MAX_LINE  # longer lines become parse_error records
    reference: float | None = None  # "now" for year inference; the receiver's clock when known
    _last_seen: dict[str | None, tuple[int, float]] = field(default_factory=dict)
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
        try:
            if year is not None:
                ts = self.hour_start(year, month, day, hour) + minute * 60 + second
                self._last_seen[host] = (year, ts)
                return ts
            last = self._last_seen.get(host)
            guess = last[0] if last else self._initial_year(month)
            ts = self.hour_start(guess, month, day, hour) + minute * 60 + second
            if last is not None:
                if ts < last[1] - _HALF_YEAR:  # Dec -> Jan: New Year passed
                    guess += 1
                    ts = self.hour_start(guess, month, day, hour) + minute * 60 + second
                elif ts > last[1] + _HALF_YEAR:  # a late line from last year
                    guess -= 1
                    ts = self.hour_start(guess, month, day, hour) + minute * 60 + second
                    return ts  # do not move the host's year backwards for one late line
            self._last_seen[host] = (guess, ts)
            return ts
        except (ValueError, OverflowError):
            return None

    def _initial_year(self, month: int) -> int:
        if self.year is not None:
            return self.year
        now = datetime.fromtimestamp(self.reference if self.reference is not None else time.time(), UTC)
        # A December line read in January belongs to last year.
        return now.year - 1 if month > now.month + 1 else now.year
