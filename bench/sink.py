"""Elasticsearch sink: documents/s with bulk indexing through streams.sink (the worker's code path)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from elasticsearch import AsyncElasticsearch, Elasticsearch

from schemas.indices import Indices, diagnosis_op
from schemas.templates import apply
from streams.sink import Action, bulk


def _doc(i: int) -> dict[str, Any]:
    return {
        "@timestamp": "2026-02-05T10:00:00Z",
        "event": {"kind": "event", "dataset": "tunnelsight.diagnosis", "outcome": "failure",
                  "action": "child_sa_failed", "category": ["network"], "type": ["connection", "error"]},
        "observer": {"hostname": f"gw-{i % 50}", "vendor": "strongswan"},
        "vpn": {"phase": "child_sa", "failure": {"class": "child.ts_unacceptable", "confidence": 0.9,
                                                  "rule": "ts-notify", "reason": "selectors"},
                "evidence": [f"line {i} received TS_UNACCEPTABLE notify, no CHILD_SA built"]},
        "tunnelsight": {"id": f"bench-{i:08d}"},
    }


async def _index(es_url: str, docs: list[dict[str, Any]], indices: Indices, batch: int) -> float:
    es = AsyncElasticsearch(es_url, request_timeout=60)
    ops = [diagnosis_op(d, indices) for d in docs]
    start = time.perf_counter()
    try:
        for i in range(0, len(ops), batch):
            chunk = [Action(o.index, o.id, o.doc, o.upsert) for o in ops[i:i + batch]]
            result = await bulk(es, chunk)
            assert not result.rejected, result.rejected[:1]
    finally:
        await es.close()
    return time.perf_counter() - start


def run(tiny: bool, es_url: str) -> dict[str, Any]:
    n = 5_000 if tiny else 100_000
    indices = Indices(prefix=f"bench-sink-{int(time.time())}")
    sync = Elasticsearch(es_url)
    apply(sync, indices)
    docs = [_doc(i) for i in range(n)]
    try:
        seconds = asyncio.run(_index(es_url, docs, indices, 500))
    except AssertionError as exc:
        return {"error": f"documents rejected: {exc}"}
    sync.close()
    return {"documents": n, "bulk_size": 500, "documents_per_s": round(n / seconds)}
