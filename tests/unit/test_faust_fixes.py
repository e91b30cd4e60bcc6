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

    def __init__(self, committed: dict[TP, int | None]) -> None:
        self.committed = committed
        self.to_beginning: list[TP] = []

    async def seek_to_committed(self) -> dict[TP, int | None]:
        return dict(self.committed)

    async def seek_to_beginning(self, *partitions: TP) -> None:
        self.to_beginning += partitions


def _consumer(committed: dict[TP, int | None], reset: str = "earliest") -> Any:
    consumer: Any = object.__new__(AIOKafkaConsumer)  # the driver the worker uses
    consumer._thread = RecordingThread(committed)
    consumer.app = SimpleNamespace(conf=SimpleNamespace(consumer_auto_offset_reset=reset),
                                   tables=SimpleNamespace(changelog_topics={CHANGELOG.topic}))
    return consumer


def test_partitions_with_nothing_or_zero_committed_go_back_to_their_beginning() -> None:
    faust_fixes.apply()
    consumer = _consumer({RAW0: None, RAW1: 412, INDEX: 0, CHANGELOG: None})
    committed = asyncio.run(consumer.seek_to_committed())
    assert committed == {RAW0: None, RAW1: 412, INDEX: 0, CHANGELOG: None}  # what Faust's bookkeeping reads
    assert sorted(consumer._thread.to_beginning) == sorted([RAW0, INDEX])  # recovery positions changelogs


def test_latest_reset_is_left_as_configured() -> None:
    faust_fixes.apply()
    consumer = _consumer({RAW0: None}, reset="latest")
    asyncio.run(consumer.seek_to_committed())
    assert consumer._thread.to_beginning == []


def test_apply_is_idempotent() -> None:
    faust_fixes.apply()
    patched = ThreadDelegateConsumer.seek_to_committed
    faust_fixes.apply()
    assert ThreadDelegateConsumer.seek_to_committed is patched
