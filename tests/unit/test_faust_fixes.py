"""The seek after recovery (streams.faust_fixes) sends partitions with nothing committed back to their start.

A worker that took over from one killed before its first commit lost the records Faust had fetched and
dropped while recovery paused their partitions: aiokafka's seek_to_committed leaves such partitions where
the fetch left them. The kill -9 test in tests/integration/test_faults.py shows it against the real broker
(one run in 5-15); this test pins the decision the patch makes, on a consumer whose thread is a recorder.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from faust.transport.consumer import ThreadDelegateConsumer
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP

from streams import faust_fixes

RAW0, RAW1, INDEX, CHANGELOG = TP("raw", 0), TP("raw", 1), TP("index", 0), TP("episodes-changelog", 0)


class RecordingThread:
    """Stands in for the consumer thread: what the broker says is committed, and the seeks asked for."""

    def __init__(self, committed: dict[TP, int | None], earliest: int = 0) -> None:
        self.committed = committed
        self.earliest = earliest  # the log start offset (retention may have deleted the first records)
        self.seeks: dict[TP, int] = {}

    async def seek_to_committed(self) -> dict[TP, int | None]:
        return dict(self.committed)

    async def earliest_offsets(self, *partitions: TP) -> dict[TP, int]:
        return dict.fromkeys(partitions, self.earliest)

    async def seek_wait(self, partitions: dict[TP, int]) -> None:
        self.seeks.update(partitions)


def _consumer(committed: dict[TP, int | None], reset: str = "earliest", earliest: int = 0) -> Any:
    consumer: Any = object.__new__(AIOKafkaConsumer)  # the driver the worker uses
    consumer._thread = RecordingThread(committed, earliest)
    consumer.app = SimpleNamespace(conf=SimpleNamespace(consumer_auto_offset_reset=reset),
                                   tables=SimpleNamespace(changelog_topics={CHANGELOG.topic}))
    return consumer


def test_partitions_with_nothing_or_zero_committed_go_back_to_their_beginning() -> None:
    faust_fixes.apply()
    consumer = _consumer({RAW0: None, RAW1: 412, INDEX: 0, CHANGELOG: None}, earliest=7)
    committed = asyncio.run(consumer.seek_to_committed())
    assert committed == {RAW0: None, RAW1: 412, INDEX: 0, CHANGELOG: None}  # what Faust's bookkeeping reads
    # to the log start as a number, so the position is never unknown; recovery positions changelogs
    assert consumer._thread.seeks == {RAW0: 7, INDEX: 7}


def test_latest_reset_is_left_as_configured() -> None:
    faust_fixes.apply()
    consumer = _consumer({RAW0: None}, reset="latest")
    asyncio.run(consumer.seek_to_committed())
    assert consumer._thread.seeks == {}


def test_apply_is_idempotent() -> None:
    faust_fixes.apply()
    patched = ThreadDelegateConsumer.seek_to_committed
    faust_fixes.apply()
    assert ThreadDelegateConsumer.seek_to_committed is patched
