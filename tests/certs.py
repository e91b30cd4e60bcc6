"""A throw-away PKI for TLS tests: a CA, a server certificate for 127.0.0.1/localhost and client
certificates, made with the `openssl` command line (the venv has no `cryptography` package).

EC P-256 keys: generating them takes milliseconds, so every test can have its own CA.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Pki:
    ca: Path  # CA certificate (PEM)
    ca_key: Path
    server_cert: Path
    server_key: Path
    client_cert: Path  # signed by `ca`
    client_key: Path
    rogue_cert: Path  # a client certificate signed by another CA
    rogue_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed: {proc.stderr[-2000:]}")


def _key(name: str, cwd: Path) -> Path:
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name, cwd=cwd)
    return cwd / name


def _ca(name: str, cwd: Path) -> tuple[Path, Path]:
    key = _key(f"{name}.key", cwd)
    _openssl("req", "-x509", "-new", "-key", key.name, "-sha256", "-days", "2", "-subj", f"/CN={name}",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-out", f"{name}.pem", cwd=cwd)
    return cwd / f"{name}.pem", key


def _signed(name: str, ca: tuple[Path, Path], ext: str, cwd: Path) -> tuple[Path, Path]:
    key = _key(f"{name}.key", cwd)
    _openssl("req", "-new", "-key", key.name, "-subj", f"/CN={name}", "-out", f"{name}.csr", cwd=cwd)
    (cwd / f"{name}.ext").write_text(ext)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-CAcreateserial",
             "-days", "2", "-sha256", "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=cwd)
    return cwd / f"{name}.pem", key


def make_pki(directory: Path) -> Pki:
    if shutil.which("openssl") is None:
        pytest.fail("the TLS tests need the openssl command line (or the cryptography package)")
    directory.mkdir(parents=True, exist_ok=True)
    ca = _ca("test-ca", directory)
    server = _signed("server", ca, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                     "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n", directory)
    client = _signed("client", ca, "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n", directory)
    other = _ca("rogue-ca", directory)
    rogue = _signed("rogue", other, "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n", directory)
    for path in directory.iterdir():
        path.chmod(0o644)  # Elasticsearch runs as another user when we are root
    return Pki(ca[0], ca[1], server[0], server[1], client[0], client[1], rogue[0], rogue[1])
