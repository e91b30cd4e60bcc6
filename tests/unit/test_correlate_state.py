"""Per-SA state: serialised round trips, the size bound, the store contract, timing and ids."""

from __future__ import annotations

import pytest

from schemas.events import Action, Event
from streams.correlate.engine import Config, Engine
from streams.correlate.state import EVIDENCE_SLOTS, SAState
from tests.unit.test_correlate_scenarios import SCENARIOS, A, ev, ike_init, run, sa, setup_ok, summary

LONG = "Feb  5 21:29:53 gw-ams-01 charon[812]: 14[IKE] <meraki-branch-17|3> " + "x" * 400


def failing_negotiation(n: int = 1) -> list[Event]:
    """A long, noisy failure: every signal kind with long lines, retried many times."""
    evs = [*ike_init(0, n)]
    for i in range(40):
        evs.append(ev(1 + i, A.RETRANSMIT, raw=LONG, **sa(n)))
        evs.append(ev(1 + i, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", notify="TS_UNACCEPTABLE", raw=LONG, **sa(n)))
        evs.append(ev(1 + i, A.IDR_MISSING, raw=LONG, **sa(n)))
        evs.append(ev(1 + i, A.PROPOSAL_RECEIVED, raw=LONG, **sa(n)))
        evs.append(ev(1 + i, A.PROPOSAL_CONFIGURED, raw=LONG, **sa(n)))
        evs.append(ev(1 + i, A.CONNECTION_FAILED, raw=LONG, **sa(n)))
        evs.append(ev(1 + i, A.AUTH_STARTED, detail="pre-shared key", raw=LONG, **sa(n)))
    return evs


def test_state_round_trips_through_bytes() -> None:
    engine = Engine()
    engine.feed(setup_ok(0) + failing_negotiation(2)[:20])
    for key in engine.sa_keys():
        st = engine.state(key)
        assert st is not None
        again = SAState.from_bytes(st.to_bytes())
        assert again.to_bytes() == st.to_bytes()


def test_open_sa_state_stays_under_one_kib() -> None:
    engine = Engine()
    engine.feed(setup_ok(0) + failing_negotiation(2))
    sizes = {key: len(st.to_bytes()) for key in engine.sa_keys() if (st := engine.state(key)) is not None}
    assert sizes and max(sizes.values()) < 1024, sizes
    failing = next(st for k in engine.sa_keys() if (st := engine.state(k)) and st.episode is not None)
    assert failing.episode is not None and len(failing.episode.evidence) <= EVIDENCE_SLOTS


@pytest.mark.parametrize(("name", "events", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_a_bytes_store_gives_the_same_diagnoses_across_restarts(name: str, events: list[Event],
                                                               expected: object) -> None:
    """The stream's path: state in a bytes table, a new engine per batch (a worker restart)."""
    store: dict[str, bytes] = {}
    docs = []
    for i in range(0, len(events), 2):
        engine = Engine(store=store)
        docs += [d.to_doc() for d in engine.feed(events[i:i + 2])]
        assert all(isinstance(v, bytes) for v in store.values())
    docs += [d.to_doc() for d in Engine(store=store).flush()]
    assert docs == [d.to_doc() for d in run(events)]


def test_dirty_keys_are_the_changed_ones() -> None:
    engine = Engine(store={})
    engine.feed(setup_ok(0))
    assert engine.dirty_keys() == {"gw1|p:198.51.100.7"}
    engine.feed([ev(5, A.DPD_SENT, **sa(1)), ev(5, A.INFO, **sa(1))])
    assert engine.dirty_keys() == {"gw1|p:198.51.100.7"}
    engine.feed([ev(6, A.UNRECOGNIZED, host="gw2")])
    assert engine.dirty_keys() == frozenset()


def test_replay_gives_the_same_ids() -> None:
    events = SCENARIOS[3][1] + SCENARIOS[5][1]
    first = [d.id for d in run(events)]
    assert first == [d.id for d in run(events)]
    assert len(set(first)) == len(first)


def test_a_quiet_period_closes_an_explicit_failure() -> None:
    """Explicit failure at 0.2 s; lines from another tunnel advance the gateway's clock."""
    config = Config(quiet=30, lateness=10)
    failure = SCENARIOS[5][1]
    other = [ev(t, A.DPD_SENT, conn="x", ike_sa_id="9", remote_ip="203.0.113.1") for t in (20.0, 39.0, 41.0)]
    engine = Engine(config)
    assert engine.feed(failure + other[:2]) == []  # 39 - 10 lateness < 0.2 + 30
    closed = engine.feed(other[2:])
    assert summary(closed) == [("failure", "child.ts_unacceptable", "ts-behind-idr-missing")]
    assert closed[0].closed_by == "failure"


def test_a_negotiation_without_outcome_times_out() -> None:
    config = Config(negotiation_timeout=120, lateness=10)
    events = [*ike_init(0), *(ev(4 * i, A.RETRANSMIT, **sa(1)) for i in range(1, 4))]
    clock = [ev(t, A.DPD_SENT, conn="x", ike_sa_id="9", remote_ip="203.0.113.1") for t in (100.0, 150.0)]
    engine = Engine(config)
    assert engine.feed(events + clock[:1]) == []
    closed = engine.feed(clock[1:])
    assert summary(closed) == [("failure", "ike.peer_unreachable", "retransmits-never-answered")]
    assert closed[0].closed_by == "timeout"


def test_lines_later_than_the_allowed_lateness_are_dropped_and_counted() -> None:
    engine = Engine(Config(lateness=10))
    engine.feed([ev(100, A.DPD_SENT, **sa(1)), ev(50, A.IDR_MISSING, **sa(1))])
    assert engine.stats["too_late"] == 1
    assert engine.flush() == []
    assert engine.take_late() == []  # not kept unless asked for


def test_lines_dropped_as_too_late_are_handed_back_once_when_asked_for() -> None:
    engine = Engine(Config(lateness=10), keep_late=True)
    late = ev(50, A.IDR_MISSING, **sa(1))
    engine.feed([ev(100, A.DPD_SENT, **sa(1)), late, ev(95, A.DPD_SENT, **sa(1))])
    assert engine.take_late() == [(late, ev(100, A.DPD_SENT).timestamp)]
    assert engine.take_late() == []
    assert engine.stats["too_late"] == 1


def test_advance_closes_the_episodes_of_a_silent_gateway() -> None:
    engine = Engine(Config(quiet=30))
    engine.feed(SCENARIOS[5][1])
    assert engine.advance(ev(0, A.INFO).timestamp + 10) == []  # type: ignore[operator]
    closed = engine.advance(ev(0, A.INFO).timestamp + 31)  # type: ignore[operator]
    assert summary(closed) == [("failure", "child.ts_unacceptable", "ts-behind-idr-missing")]


def test_lines_without_time_take_the_gateways_last_time() -> None:
    events = [ev(10, A.IKE_INIT_SENT, **sa(1)), ev(None, A.IDR_MISSING, **sa(1))]
    (doc,) = run(events)
    assert doc.end == doc.start == events[0].timestamp


def test_flapping_is_marked_from_the_third_establishment() -> None:
    events = []
    for i, t in enumerate((0.0, 300.0, 600.0)):
        events += setup_ok(t, n=i + 1)
        events.append(ev(t + 200, A.DPD_TIMEOUT, **sa(i + 1)))
    docs = run(events)
    successes = [d for d in docs if d.outcome == "success"]
    assert [d.flapping for d in successes] == [False, False, True]
    assert [d.uptime for d in successes] == pytest.approx([199.8, 199.8, 199.8])


def test_rekeys_are_counted_not_emitted() -> None:
    events = [*setup_ok(0)]
    for i in range(3):
        events.append(ev(3600 * (i + 1), A.CHILD_SA_ESTABLISHED, child="net", child_id=str(10 + i), **sa(1)))
    (doc,) = run(events)
    assert (doc.outcome, doc.rekeys, doc.children) == ("success", 3, (("net", "established", 3),))


def test_emit_on_establish_sends_a_provisional_document_with_the_same_id() -> None:
    engine = Engine(Config(emit_on_establish=True))
    first = engine.feed(setup_ok(0))
    last = engine.flush()
    assert [d.outcome for d in first] == ["success"] and first[0].id == last[0].id


def test_unknown_vendor_lines_are_counted_not_diagnosed() -> None:
    engine = Engine()
    engine.feed([Event(raw="junk", action=Action.UNRECOGNIZED, vendor="unknown", host="gw1", timestamp=1.0),
                 Event(raw="\x00", action=Action.PARSE_ERROR, vendor="unknown")])
    assert engine.stats["unrecognized"] == 1 and engine.stats["parse_error"] == 1
    assert engine.sa_keys() == []
