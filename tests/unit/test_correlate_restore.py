"""A new engine built from the store goes on exactly as the one that wrote it.

What a worker taking over a partition has is the table: every SA's state, and per gateway the engine's
context (newest and latest time, the per-thread context of lines that name no SA, an unnamed episode)
and the parse context's year inference. Each test feeds the same lines with and without a takeover
(`Engine(store=snapshot)`) and wants the same documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from schemas.events import Event
from streams.cli import build_parser
from streams.commands.common import events_from
from streams.correlate.engine import CONTEXT, Config, Engine, context_key
from streams.correlate.state import Episode
from tests.golden.golden import case_args
from tests.unit.test_correlate_scenarios import SCENARIOS, T0, A, ev, ike_init, sa

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "diagnose"
PEER, OTHER = "198.51.100.7", "203.0.113.9"


def fed(events: list[Event], takeovers: set[int] | None = None, config: Config | None = None, *,
        flush: bool = True) -> tuple[list[dict[str, Any]], Engine]:
    """Documents of the events fed one at a time (and of the flush after them); before each index in
    `takeovers` a new engine takes over from a copy of the store in key order (how a table reads back)."""
    store: dict[str, bytes] = {}
    engine = Engine(config, store=store)
    docs = []
    for i, event in enumerate(events):
        if takeovers is not None and i in takeovers:
            store = dict(sorted(store.items()))
            engine = Engine(config, store=store)
        docs += [d.to_doc() for d in engine.feed([event])]
    return docs + ([d.to_doc() for d in engine.flush()] if flush else []), engine


def same_with_takeover(events: list[Event], at: int, config: Config | None = None) -> list[dict[str, Any]]:
    straight, _ = fed(events, None, config)
    resumed, _ = fed(events, {at}, config)
    assert resumed == straight
    return straight


def peers(docs: list[dict[str, Any]]) -> list[str | None]:
    return [d["vpn"].get("remote", {}).get("ip") for d in docs]


def test_a_nameless_line_borrows_the_key_of_the_named_line_before_it_across_a_takeover() -> None:
    """Cisco's `%IKEV2-3-NEG_ABORT` names no SA: it belongs to the named line just before it (2 s). With
    two negotiations open the gateway's only open SA cannot tell, so only the saved context can."""
    cisco: dict[str, Any] = {"host": "rtr", "vendor": "cisco_ios"}
    events = [
        ev(0, A.IKE_INIT_SENT, remote_ip=PEER, thread="101", **cisco),
        ev(0, A.IKE_INIT_SENT, remote_ip=OTHER, thread="102", **cisco),
        ev(5, A.MESSAGE_SENT, exchange="IKE_AUTH", remote_ip=PEER, thread="103", **cisco),
        ev(5.5, A.AUTH_FAILED, thread="104", **cisco),  # names nothing
    ]
    docs = same_with_takeover(events, 3)
    failures = [d for d in docs if d["event"]["outcome"] == "failure"]
    assert len(failures) == 1 and peers(failures) == [PEER]
    _, engine = fed(events, {3})
    assert "rtr|-" not in engine.sa_keys()  # not a key of its own


def test_the_newest_time_survives_a_takeover_so_a_late_line_is_still_too_late() -> None:
    events = [ev(100, A.DPD_SENT, **sa(1)), ev(50, A.IDR_MISSING, **sa(1))]
    assert same_with_takeover(events, 1) == []
    _, engine = fed(events, {1})
    assert engine.stats["too_late"] == 1


def test_a_line_without_time_takes_the_gateways_last_time_across_a_takeover() -> None:
    events = [*ike_init(10), ev(None, A.IDR_MISSING, **sa(1))]
    (doc,) = same_with_takeover(events, 2)
    assert doc["event"]["start"] == doc["event"]["end"] == "2026-05-28T20:26:50Z"  # T0 + 10


def test_the_episode_of_unnamed_lines_is_adopted_by_the_named_line_after_a_takeover() -> None:
    """Cisco's `beginning Main Mode exchange` names nothing; `sending packet to <peer>` right after it
    does: the episode the unnamed lines opened is that peer's."""
    cisco: dict[str, Any] = {"host": "rtr", "vendor": "cisco_ios", "thread": None}
    events = [
        ev(0, A.IKE_INIT_SENT, **cisco),
        ev(0.2, A.PACKET_SENT, remote_ip=PEER, **cisco),
        *[ev(10 * i, A.RETRANSMIT, remote_ip=PEER, **cisco) for i in range(1, 6)],
        ev(60, A.PEER_UNREACHABLE, remote_ip=PEER, **cisco),
    ]
    docs = same_with_takeover(events, 1)
    assert peers(docs) == [PEER] and docs[0]["vpn"]["attempts"] == 1


def test_a_child_sa_name_names_its_sa_across_a_takeover() -> None:
    """`establishing CHILD_SA p2` after `initiating IKE_SA p1[1]`; later `establishing connection 'p2'
    failed` names only p2 (strongSwan's `ipsec up`)."""
    events = [
        ev(0, A.IKE_INIT_SENT, conn="p1", ike_sa_id="1"),
        ev(0, A.IKE_INIT_SENT, conn="other", ike_sa_id="2", thread="10"),  # a second open negotiation
        ev(0, A.CHILD_SA_INITIATING, child="p2"),
        ev(0.1, A.IDR_MISSING, conn="p1", ike_sa_id="1"),
        ev(0.1, A.CONNECTION_FAILED, conn="p2"),
    ]
    docs = same_with_takeover(events, 4)
    assert [d["vpn"]["ike"]["sa_id"] for d in docs if d["event"]["outcome"] == "failure"] == [1]


def test_an_sa_id_another_peer_took_stays_with_that_peer_across_a_takeover() -> None:
    """Cisco numbers SAs per session from 1: peer B's SA 1 takes the id from peer A's. The table reads
    back in key order (B's key first here), and A's state says it no longer holds the id."""
    a, b = "203.0.113.9", "198.51.100.7"
    events = [
        ev(0, A.IKE_INIT_SENT, ike_sa_id="1", remote_ip=a),
        ev(0.1, A.IKE_SA_ESTABLISHED, ike_sa_id="1", remote_ip=a),
        ev(1, A.IKE_INIT_SENT, ike_sa_id="1", remote_ip=b),
        ev(1.1, A.AUTH_FAILED, ike_sa_id="1"),  # names the id only: peer B's
    ]
    for at in (1, 2, 3):
        docs = same_with_takeover(events, at)
        assert peers([d for d in docs if d["event"]["outcome"] == "failure"]) == [b]


def test_a_fact_restated_by_the_next_line_counts_once_across_a_takeover() -> None:
    events = [
        *ike_init(0),
        ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", notify="NO_PROPOSAL_CHOSEN", **sa(1)),
        ev(0.1, A.NOTIFY_RECEIVED, notify="NO_PROPOSAL_CHOSEN", **sa(1)),
    ]
    signals = []
    for takeovers in (None, {3}):
        _, engine = fed(events, takeovers, flush=False)
        (key,) = engine.sa_keys()
        state = engine.state(key)
        assert state is not None and state.episode is not None
        signals.append(state.episode.signals)
    assert signals[0] == signals[1] and max(entry[0] for entry in signals[0].values()) == 1
    same_with_takeover(events, 3)


def test_a_state_that_only_names_its_sa_expires_alike_with_or_without_a_takeover() -> None:
    """Down and idle past `retention`, a state is forgotten; one that never opened an episode too (a
    takeover queues every state it loads, so the uninterrupted engine must as well)."""
    events = [ev(0, A.PACKET_SENT, remote_id="peer-a.example", **sa(1))]
    events += [ev(t, A.DPD_SENT, conn="x", ike_sa_id="9", remote_ip=OTHER) for t in (1000, 2000, 3000, 4000)]
    events += [*ike_init(4001), ev(4002, A.AUTH_FAILED, **sa(1))]
    docs = same_with_takeover(events, 1)
    assert "peer-a.example" not in orjson.dumps(docs).decode()
    _, engine = fed(events)
    assert engine.stats["expired"] >= 1


@pytest.mark.parametrize(("name", "events", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_a_takeover_before_every_line_changes_nothing(name: str, events: list[Event], expected: object) -> None:
    straight, _ = fed(events)
    assert fed(events, set(range(len(events))))[0] == straight


@pytest.mark.parametrize("log", sorted(GOLDEN.rglob("*.log")), ids=lambda p: str(p.relative_to(GOLDEN)))
def test_a_takeover_before_every_line_of_a_golden_log_changes_nothing(log: Path) -> None:
    events = list(events_from(build_parser().parse_args(["diagnose", *case_args(log), str(log)])))
    straight, _ = fed(events)
    assert fed(events, set(range(len(events))))[0] == straight


def test_episode_times_come_back_exactly() -> None:
    """Offsets from the whole second of the episode's start: milliseconds and microseconds as logs print
    them, and a receive time's every digit."""
    ep = Episode("setup", T0 + 0.5)
    for t in (T0 + 0.5, T0 + 0.623, T0 + 12.000417, T0 + 3599.999, T0 + 0.1 + 1e-9):
        ep.record(f"sig{t}", t, "line")
    again = Episode.from_list(orjson.loads(orjson.dumps(ep.to_list())))
    assert again.signals == ep.signals and again.evidence == ep.evidence


def test_the_saved_context_of_a_gateway_stays_small() -> None:
    """Cisco's "thread" is a message counter: thousands of them, but only those of the last seconds
    (allowed lateness + affinity) can still serve a line, and only those are saved."""
    store: dict[str, bytes] = {}
    engine = Engine(store=store)
    for i in range(5000):
        engine.feed([ev(i * 0.5, A.MESSAGE_SENT, host="rtr", vendor="cisco_ios", thread=str(i),
                        remote_ip=f"10.0.{i % 50}.1")])
    saved = store[context_key("rtr")]
    assert len(saved) < 1024, len(saved)
    assert [k for k in store if k.startswith(CONTEXT)] == [context_key("rtr")]
    assert len(engine.sa_keys()) == 50


def test_the_parse_context_year_inference_survives_a_takeover() -> None:
    """Year-less headers across New Year: the worker that takes over after midnight still knows that
    January follows December (the pipeline keeps each gateway's year inference in the table)."""
    from streams.batch import LineBatch
    from streams.config import Settings
    from streams.pipeline import StreamPipeline

    line = "{} gw-nye charon[812]: 09[{}] <net|1> {}"
    lines = [
        [line.format("Dec 31 23:59:50", "IKE", f"initiating IKE_SA net[1] to {PEER}")],
        [line.format("Dec 31 23:59:51", "ENC", "generating IKE_SA_INIT request 0 [ SA KE No ]")],
        [line.format("Jan  1 00:00:02", "IKE", "giving up after 5 retransmits")],
    ]
    records = [LineBatch("gw-nye", batch, [0] * len(batch), 1.0, opts={"year": 2025}).encode() for batch in lines]
    records.append(LineBatch("gw-nye", opts={"year": 2025, "flush": True}).encode())

    def run(takeover: int | None) -> list[dict[str, Any]]:
        pipeline, table, docs = StreamPipeline(Settings()), {}, []
        for offset, record in enumerate(records):
            if offset == takeover:
                pipeline = StreamPipeline(Settings())
            out = pipeline.process_record(record, 0, offset, table)
            for key, value in out.state_writes:
                if value is None:
                    table.pop(key, None)
                else:
                    table[key] = value
            docs += out.diagnoses
        return docs

    straight = run(None)
    assert [d["event"]["end"][:10] for d in straight] == ["2026-01-01"]
    for takeover in range(1, len(records)):
        assert run(takeover) == straight, takeover
