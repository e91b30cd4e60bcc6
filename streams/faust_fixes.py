"""Fixes for two faust-streaming 0.15.3 races at assignment that replay, skip or lose records when a worker
starts with a backlog.

1. After recovery Faust resumes the stream partitions while the fetcher is running and only then seeks them
   to their committed offsets (`Recovery.on_recovery_completed`, `_resume_streams`). Records fetched in
   between reach the agents, the seek rewinds, and the read-offset bookkeeping mixes "next" and "last"
   offsets: we saw the last record of a partition processed twice, whole batches replayed, and some records
   never processed (faust-streaming issues #216, #596 describe the same window). Stopping the flow when the
   seek starts left one event-loop turn open: the seek runs as a new task, and a fetched batch handed over
   in that turn still gave an agent its first record, which the seek then read again. So the flow stops
   before the partitions are resumed; those methods resume it right after the seek.
2. Records fetched for a partition that recovery paused meanwhile are dropped by `Consumer.getmany`, yet
   the fetch position has moved past them. The seek after recovery puts that right for partitions with a
   committed offset, but aiokafka's `seek_to_committed` leaves a partition alone when nothing (or 0) is
   committed, so those records were lost: a worker taking over from one killed before its first commit
   processed none of the backlog, and index operations waiting for the sink vanished. Such partitions now
   go back to their beginning, where `auto_offset_reset=earliest` starts a new group anyway.

tests/integration/test_faust.py and the kill -9 test in test_faults.py show them; docs/infra.md has details.
Call `apply()` once before the Faust app starts its worker (idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

_MARK = "_tunnelsight_seek_fix"
RecoveryStep = Callable[..., Coroutine[Any, Any, None]]  # Recovery.on_recovery_completed and _resume_streams


def apply() -> None:
    """Patch the end of recovery (stop the flow first) and `seek_to_committed` (rewind the uncommitted)."""
    from faust.tables.recovery import Recovery
    from faust.transport.consumer import ThreadDelegateConsumer

    if getattr(Recovery.on_recovery_completed, _MARK, False):
        return

    def flow_stopped_first(original: RecoveryStep) -> RecoveryStep:
        async def resume(self: Any, generation_id: int = 0) -> None:
            self.app.consumer.stop_flow()  # no record reaches an agent until the flow resumes after the seek
            await original(self, generation_id)

        setattr(resume, _MARK, True)
        return resume

    original_seek = ThreadDelegateConsumer.seek_to_committed

    async def seek_to_committed(self: Any) -> Mapping[Any, int]:
        committed: Mapping[Any, int] = await original_seek(self)
        if self.app.conf.consumer_auto_offset_reset == "earliest":
            changelogs = self.app.tables.changelog_topics  # recovery positions those itself
            fresh = [tp for tp, offset in committed.items() if not offset and tp.topic not in changelogs]
            if fresh:
                # To an explicit offset, not seek_to_beginning: that leaves the position unknown until the
                # fetcher resets it, and Faust's event-path check asserts on an unknown position meanwhile.
                await self._thread.seek_wait(await self._thread.earliest_offsets(*fresh))
        return committed

    # the end of recovery, and its twin for apps without tables
    Recovery.on_recovery_completed = flow_stopped_first(Recovery.on_recovery_completed)  # type: ignore[method-assign]
    Recovery._resume_streams = flow_stopped_first(Recovery._resume_streams)  # type: ignore[method-assign]
    ThreadDelegateConsumer.seek_to_committed = seek_to_committed  # type: ignore[method-assign]
