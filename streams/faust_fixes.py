"""A fix for a faust-streaming 0.15.3 race that replays or skips records when a worker starts with a backlog.

After recovery Faust resumes the stream partitions while the fetcher is running and only then seeks them to
their committed offsets (`Recovery.on_recovery_completed`, `_resume_streams`). Records fetched in between
reach the agents, the seek rewinds, and the read-offset bookkeeping mixes "next" and "last" offsets: we saw
the last record of a partition processed twice, whole batches replayed, and some records never processed
(faust-streaming issues #216, #596 describe the same window). Stopping the flow when the seek starts closes
the window; the callers resume the flow right after the seek. tests/integration/test_faust.py restarts a
worker with a backlog to prove it; docs/infra.md has the details.

Call `apply()` once before the Faust app starts its worker (idempotent).
"""

from __future__ import annotations

from typing import Any

_MARK = "_tunnelsight_seek_fix"


def apply() -> None:
    """Make `Consumer.perform_seek` stop the record flow before it moves any position."""
    from faust.transport.consumer import Consumer

    original = Consumer.perform_seek
    if getattr(original, _MARK, False):
        return

    async def perform_seek(self: Any) -> None:
        self.stop_flow()  # no record reaches an agent until the caller resumes the flow after the seek
        await original(self)

    setattr(perform_seek, _MARK, True)
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]
