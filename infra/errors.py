"""The one exception infra raises: a server that cannot be fetched, started or reached."""

from __future__ import annotations


class InfraError(RuntimeError):
    """Why a server is unavailable, with the tail of its log when there is one (shown to the user as is)."""
