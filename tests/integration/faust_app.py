"""A minimal Faust app that tests/integration/test_faust.py runs as a real worker process.

It counts values per key in a table and writes each new count to the output topic, so the output shows
whether the table came back after a restart. Everything is configured from the environment, so each test
gets its own app id, topics and data dir:

    TS_FAUST_APP TS_FAUST_BROKER TS_FAUST_IN TS_FAUST_OUT TS_FAUST_STORE TS_FAUST_DATADIR TS_FAUST_PARTITIONS

Run: python -m tests.integration.faust_app worker -l info
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import faust

from streams import faust_fixes

if os.environ.get("TS_FAUST_UNFIXED") != "1":  # =1 shows the upstream race the test guards against
    faust_fixes.apply()

PARTITIONS = int(os.environ.get("TS_FAUST_PARTITIONS", "2"))

app = faust.App(
    os.environ.get("TS_FAUST_APP", "ts-faust-test"),
    broker=f"kafka://{os.environ.get('TS_FAUST_BROKER', '127.0.0.1:9092')}",
    store=os.environ.get("TS_FAUST_STORE", "memory://"),
    datadir=os.environ.get("TS_FAUST_DATADIR", "faust-data"),
    topic_partitions=PARTITIONS,
    table_standby_replicas=0,  # one worker: a standby would have nowhere to live
    web_enabled=False,  # no port to pick (the worker command also needs --without-web)
    broker_commit_every=10,
    broker_commit_interval=0.5,
    key_serializer="json",
    value_serializer="json",
)
source = app.topic(os.environ.get("TS_FAUST_IN", "ts-faust-in"), key_type=str, value_type=int)
sink = app.topic(os.environ.get("TS_FAUST_OUT", "ts-faust-out"), key_type=str)
counts = app.Table("counts", default=int, partitions=PARTITIONS)


@app.agent(source)
async def count(stream: faust.StreamT[int]) -> AsyncIterator[None]:
    async for event in stream.events():
        key, message = event.key, event.message
        counts[key] += event.value
        # The source position lets the test tell a replayed record from a lost one.
        out = {"key": key, "count": counts[key], "partition": message.partition, "offset": message.offset}
        await sink.send(key=key, value=out)
        yield None


if __name__ == "__main__":
    app.main()
