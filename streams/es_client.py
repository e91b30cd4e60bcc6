"""The one place that builds Elasticsearch clients: URL, credentials and TLS from the environment.

Environment (a credentials file may hold the same secrets, so they need not sit in a process's env):

| variable | meaning |
|---|---|
| `TUNNELSIGHT_ES` | URL, `http://` or `https://` (`user:password@` in it is taken as basic auth, then removed) |
| `TUNNELSIGHT_ES_USER`, `TUNNELSIGHT_ES_PASSWORD` | basic auth |
| `TUNNELSIGHT_ES_API_KEY` | API key: the encoded form, or `id:api_key` |
| `TUNNELSIGHT_ES_CREDENTIALS_FILE` | file of `user=`, `password=`, `api_key=` lines (`#` comments) |
| `TUNNELSIGHT_ES_CA` | CA bundle (PEM) that signed the server's certificate |
| `TUNNELSIGHT_ES_VERIFY` | `0` turns certificate verification off (logged as a warning; for labs only) |

Precedence: variables over the file; an API key over user/password. With https, certificates are
verified (against `TUNNELSIGHT_ES_CA`, else the system store) unless verification is turned off.

Secrets never leave this module except inside the client: `EsConfig`'s repr and `describe()` show
which kind of credentials is used and never their value, and `redact()` removes userinfo from URLs for
messages. Nothing here logs a secret; nothing puts one into a document.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from elasticsearch import AsyncElasticsearch, Elasticsearch

log = logging.getLogger(__name__)

URL_ENV = "TUNNELSIGHT_ES"
USER_ENV = "TUNNELSIGHT_ES_USER"
PASSWORD_ENV = "TUNNELSIGHT_ES_PASSWORD"
API_KEY_ENV = "TUNNELSIGHT_ES_API_KEY"
CREDENTIALS_FILE_ENV = "TUNNELSIGHT_ES_CREDENTIALS_FILE"
CA_ENV = "TUNNELSIGHT_ES_CA"
VERIFY_ENV = "TUNNELSIGHT_ES_VERIFY"
DEFAULT_URL = "http://127.0.0.1:9200"

_FILE_KEYS = {"user": "user", "username": "user", USER_ENV: "user", "password": "password",
              PASSWORD_ENV: "password", "api_key": "api_key", API_KEY_ENV: "api_key"}


class CredentialsError(ValueError):
    """Credentials that cannot be used (unreadable file, password without user); says which, never the value."""


def redact(url: str) -> str:
    """The URL without `user:password@`, for messages and logs."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class EsConfig:
    """Where Elasticsearch is and how to authenticate; `repr` never shows a secret."""

    url: str = DEFAULT_URL
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    ca_certs: str | None = None
    verify_certs: bool = True
    request_timeout: float = 30.0

    @property
    def https(self) -> bool:
        return self.url.lower().startswith("https://")

    @property
    def auth(self) -> str:
        """Which credentials the client sends: `api_key`, `basic` or `none`."""
        if self.api_key:
            return "api_key"
        if self.user:
            return "basic"
        return "none"

    def describe(self) -> str:
        """One line for logs: URL without credentials, auth kind, TLS verification."""
        tls = ""
        if self.https:
            tls = ", certificates verified" + (f" against {self.ca_certs}" if self.ca_certs else "") \
                if self.verify_certs else ", certificates NOT verified"
        who = f" as {self.user}" if self.auth == "basic" else ""
        return f"{redact(self.url)} (auth {self.auth}{who}{tls})"

    def __str__(self) -> str:
        return self.describe()

    def with_url(self, url: str) -> EsConfig:
        return _from_url(replace(self, url=url))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, url: str | None = None,
                 request_timeout: float = 30.0) -> EsConfig:
        """Settings from `env` (default os.environ); `url` overrides TUNNELSIGHT_ES (e.g. a --es option)."""
        env = os.environ if env is None else env
        secrets: dict[str, str] = {}
        path = env.get(CREDENTIALS_FILE_ENV)
        if path:
            secrets.update(read_credentials_file(path))
        for key, name in (("user", USER_ENV), ("password", PASSWORD_ENV), ("api_key", API_KEY_ENV)):
            if env.get(name):
                secrets[key] = env[name]
        verify = env.get(VERIFY_ENV, "1").strip().lower() not in ("0", "false", "no", "off")
        cfg = cls(url=url or env.get(URL_ENV) or DEFAULT_URL, user=secrets.get("user"),
                  password=secrets.get("password"), api_key=secrets.get("api_key"),
                  ca_certs=env.get(CA_ENV) or None, verify_certs=verify, request_timeout=request_timeout)
        return _from_url(cfg)

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for Elasticsearch()/AsyncElasticsearch() (they hold the secrets: never log them)."""
        if self.password and not self.user:
            raise CredentialsError(f"a password for Elasticsearch is set but no user ({USER_ENV})")
        options: dict[str, Any] = {"request_timeout": self.request_timeout}
        if self.api_key:
            key = self.api_key.strip()
            options["api_key"] = tuple(key.split(":", 1)) if ":" in key else key
        elif self.user:
            options["basic_auth"] = (self.user, self.password or "")
        if self.https:
            options["verify_certs"] = self.verify_certs
            if self.ca_certs:
                options["ca_certs"] = self.ca_certs
            if not self.verify_certs:
                options["ssl_show_warn"] = False  # we warn once, below, instead of per request
        return options


def _from_url(cfg: EsConfig) -> EsConfig:
    """Move `user:password@` out of the URL into basic auth (explicit settings win)."""
    parts = urlsplit(cfg.url)
    if parts.username is None:
        return cfg
    user = cfg.user or unquote(parts.username)
    password = cfg.password if cfg.user else (unquote(parts.password) if parts.password else cfg.password)
    return replace(cfg, url=redact(cfg.url), user=user, password=password)


def read_credentials_file(path: str) -> dict[str, str]:
    """`key=value` lines (user, password, api_key, or the TUNNELSIGHT_ES_* names); `#` starts a comment."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
        mode = file.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"cannot read the Elasticsearch credentials file {path}: "
                               f"{getattr(exc, 'strerror', None) or type(exc).__name__}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("the Elasticsearch credentials file %s is readable by others (mode %o): chmod 600 it",
                    path, stat.S_IMODE(mode))
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        key = _FILE_KEYS.get(name.strip())
        if not sep or key is None:  # never echo the line, not even its key: it may be a bare (base64) secret
            raise CredentialsError(f"{path} line {number}: expected user=, password= or api_key=")
        found[key] = value.strip().strip("'\"")
    return found


def _warn_unverified(cfg: EsConfig) -> None:
    if cfg.https and not cfg.verify_certs:
        log.warning("TLS certificates of %s are NOT verified (%s=0)", redact(cfg.url), VERIFY_ENV)


def sync_client(cfg: EsConfig | None = None, **overrides: Any) -> Elasticsearch:
    """A blocking client (templates, reports, tools)."""
    from elasticsearch import Elasticsearch

    cfg = cfg or EsConfig.from_env()
    _warn_unverified(cfg)
    return Elasticsearch(cfg.url, **{**cfg.client_options(), **overrides})


def async_client(cfg: EsConfig | None = None, **overrides: Any) -> AsyncElasticsearch:
    """An asyncio client (the worker's sink)."""
    from elasticsearch import AsyncElasticsearch

    cfg = cfg or EsConfig.from_env()
    _warn_unverified(cfg)
    return AsyncElasticsearch(cfg.url, **{**cfg.client_options(), **overrides})
