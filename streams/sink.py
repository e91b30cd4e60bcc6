"""Elasticsearch sink: bulk-index documents with their deterministic ids, retrying what may succeed later.

Per item: 2xx done; 429 and 5xx retried with exponential backoff; any other rejection (a mapping
conflict, a strict-mapping violation) is final and returned with Elasticsearch's reason, for the
dead-letter topic. Connection failures retry the whole request, so an Elasticsearch outage makes lag
grow instead of losing documents.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from elastic_transport import ConnectionError as EsConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, AsyncElasticsearch

log = logging.getLogger(__name__)

RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(slots=True)
class Action:
    """One bulk action: index a document, or upsert (doc_as_upsert: no scripts on this server)."""

    index: str
    id: str
    doc: dict[str, Any]
    upsert: bool = False

    def lines(self) -> list[dict[str, Any]]:
        if self.upsert:
            return [{"update": {"_index": self.index, "_id": self.id}}, {"doc": self.doc, "doc_as_upsert": True}]
        return [{"index": {"_index": self.index, "_id": self.id}}, self.doc]


@dataclass
class SinkResult:
    indexed: int = 0
    retries: int = 0
    rejected: list[tuple[Action, str]] = field(default_factory=list)


async def bulk(es: AsyncElasticsearch, actions: Sequence[Action], *, max_backoff: float = 30.0,
               sleep: Callable[[float], Any] = asyncio.sleep, give_up_after: int | None = None) -> SinkResult:
    """Index all actions; returns counts and the final rejections. Retries forever unless give_up_after."""
    result = SinkResult()
    todo = list(actions)
    delay = 0.5
    attempt = 0
    while todo:
        attempt += 1
        # NDJSON lines encoded here with orjson: the client passes bytes through instead of running
        # every document through the standard library's encoder.
        operations = [orjson.dumps(line) for a in todo for line in a.lines()]
        try:
            resp = await es.bulk(operations=operations, refresh=False)  # type: ignore[arg-type]  # bytes lines pass through
        except (EsConnectionError, ConnectionTimeout) as exc:
            log.warning("elasticsearch unreachable (%s); retrying %d docs in %.1fs", exc, len(todo), delay)
        except ApiError as exc:
            if exc.status_code not in RETRYABLE:
                raise
            log.warning("elasticsearch answered %s; retrying %d docs in %.1fs", exc.status_code, len(todo), delay)
        else:
            retry = []
            for a, item in zip(todo, resp["items"], strict=True):
                outcome = next(iter(item.values()))
                status = int(outcome.get("status", 500))
                if status < 300:
                    result.indexed += 1
                elif status in RETRYABLE:
                    retry.append(a)
                else:
                    err = outcome.get("error") or {}
                    reason = f"{status} {err.get('type', '')}: {err.get('reason', '')}".strip()
                    result.rejected.append((a, reason))
            todo = retry
            if not todo:
                break
        if give_up_after is not None and attempt >= give_up_after:
            result.rejected.extend((a, "gave up after retries") for a in todo)
            break
        result.retries += 1
        await sleep(delay)
        delay = min(delay * 2, max_backoff)
    return result
