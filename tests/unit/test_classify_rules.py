"""The rule table: well-formed, complete over the catalogue, in step with docs/diagnosis.md, and each
reference-document trap decided by the rule meant for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from schemas.failure_classes import CODES
from streams.classify.classify import classify, is_failure
from streams.classify.rules import RULES
from streams.classify.signals import FAILURE_SIGNALS, REPEAT_THRESHOLDS, Sig, notify_signal

DOC = Path(__file__).parents[2] / "docs" / "diagnosis.md"


@dataclass
class Ep:
    """Facts of an episode, written by hand: signal -> (count, first time)."""

    seen: dict[str, tuple[int, float]]
    rekey: bool = False
    ike_rekey: bool = False
    ike_was_up: bool = False
    ike_version: int | None = 2
    signals: dict[str, list[float]] = field(init=False)

    def __post_init__(self) -> None:
        self.signals = {s: [n, t, i, t, n] for i, (s, (n, t)) in enumerate(self.seen.items())}


def test_rule_ids_are_unique_and_classes_known() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert {r.cls for r in RULES} <= CODES


def test_every_failure_class_has_a_rule() -> None:
    assert {r.cls for r in RULES} == CODES


def test_the_table_ends_with_a_catch_all() -> None:
    assert RULES[-1].cls == "unknown" and RULES[-1].when(Ep({}))


def test_docs_list_every_rule_in_order() -> None:
    documented = re.findall(r"^\| \d+ \| `([a-z0-9-]+)` \| `([a-z0-9_.]+)` \| ([0-9.]+) \|", DOC.read_text(), re.M)
    assert documented == [(r.id, r.cls, str(r.confidence)) for r in RULES]


def test_every_threshold_signal_is_a_signal() -> None:
    codes = {v for k, v in vars(Sig).items() if not k.startswith("_")}
    assert set(REPEAT_THRESHOLDS) <= codes and codes >= FAILURE_SIGNALS
    assert len(codes) == len([k for k in vars(Sig) if not k.startswith("_")])  # no two names share a code


TRAPS = [
    ("IDr payload missing after N(TS_UNACCEPT)", Ep({Sig.PEER_TS_REFUSED: (1, 1.0), Sig.IDR_MISSING: (1, 1.0)}),
     "child.ts_unacceptable", "ts-behind-idr-missing"),
    ("IDr payload missing alone", Ep({Sig.IDR_MISSING: (1, 1.0), Sig.CONNECTION_FAILED: (1, 1.0)}),
     "unknown", "idr-missing-without-cause"),
    ("message parsing failed + invalid HASH_V1", Ep({Sig.PARSE_FAILED: (1, 1.0), Sig.DECRYPT_FAILED: (1, 1.0)},
                                                   ike_version=1),
     "ike.auth_failed.psk_mismatch", "hash-v1-decrypt-failed"),
    ("HASH_V1 + identity evidence", Ep({Sig.DECRYPT_FAILED: (1, 1.0), Sig.PEER_CONFIG_NOT_FOUND: (1, 0.5)}),
     "ike.id_mismatch", "hash-v1-decrypt-with-identity-evidence"),
    ("NO_PROPOSAL_CHOSEN on a rekey of an established SA", Ep({Sig.CHILD_PROPOSAL_MISMATCH: (1, 1.0)}, rekey=True),
     "child.rekey_pfs_mismatch", "rekey-rejected-after-established"),
    ("NO_PROPOSAL_CHOSEN at CHILD_SA setup", Ep({Sig.CHILD_PROPOSAL_MISMATCH: (1, 1.0)}),
     "child.proposal_mismatch", "child-no-proposal-chosen"),
    ("selectors changed due to NAT, then /32, then TS failure",
     Ep({Sig.TS_CHANGED_NAT: (1, 1.0), Sig.HOST_SELECTORS: (1, 1.0), Sig.CHILD_CONFIG_NOT_FOUND: (1, 1.0)}),
     "child.mode_mismatch", "mode-mismatch-nat-host-selectors"),
    ("/32 lookup before the NAT change is no mode mismatch",
     Ep({Sig.HOST_SELECTORS: (1, 0.5), Sig.TS_CHANGED_NAT: (1, 1.0), Sig.CHILD_CONFIG_NOT_FOUND: (1, 1.0)}),
     "child.ts_unacceptable", "ts-unacceptable-here"),
    ("retransmits never answered after authentication started",
     Ep({Sig.AUTH_WITH_PSK: (1, 0.0), Sig.RETRANSMIT: (5, 1.0), Sig.GAVE_UP: (1, 80.0)}),
     "ike.peer_unreachable", "retransmits-never-answered"),
    ("AUTHENTICATION_FAILED from the peer, nothing else", Ep({Sig.PEER_AUTH_REJECTED: (1, 1.0)}),
     "ike.auth_failed", "peer-rejected-authentication"),
    ("MM_NO_STATE with retransmits and no answer", Ep({Sig.MM_NO_STATE: (3, 1.0), Sig.RETRANSMIT: (2, 1.0)}),
     "ike.peer_unreachable", "mm-no-state-unanswered"),
    ("MM_NO_STATE with answers", Ep({Sig.MM_NO_STATE: (1, 1.0), Sig.ANSWER: (1, 1.0), Sig.PHASE1_FAILED: (1, 2.0)}),
     "ike.phase1_failed", "main-mode-failed"),
    ("kernel refuses the cipher though NO_PROP was sent",
     Ep({Sig.KERNEL_ENOSYS: (2, 1.0), Sig.SAD_INSTALL_FAILED: (2, 1.0), Sig.CHILD_PROPOSAL_MISMATCH: (1, 1.0)}),
     "kernel.cipher_unsupported", "kernel-enosys-sad-install"),
]


@pytest.mark.parametrize(("name", "facts", "cls", "rule"), TRAPS, ids=[t[0] for t in TRAPS])
def test_reference_traps(name: str, facts: Ep, cls: str, rule: str) -> None:
    verdict = classify(facts)
    assert (verdict.cls, verdict.rule.id) == (cls, rule)


NOISE = [
    ("one retransmit", {Sig.RETRANSMIT: [1, 1.0, 1, 1.0, 1]}),
    ("retransmits then an answer", {Sig.RETRANSMIT: [3, 1.0, 1, 9.0, 3], Sig.ANSWER: [1, 10.0, 2, 10.0, 1]}),
    ("one INVALID_KE_PAYLOAD", {Sig.DH_REJECTED: [1, 1.0, 1, 1.0, 1]}),
    ("one MACMiscompare", {Sig.INTEGRITY: [1, 1.0, 1, 1.0, 1]}),
    ("two replay errors", {Sig.REPLAY: [2, 1.0, 1, 5.0, 2]}),
    ("context only", {Sig.AUTH_WITH_PSK: [1, 1.0, 1, 1.0, 1], Sig.PROPOSALS_RECEIVED: [1, 1.0, 2, 1.0, 1]}),
]


@pytest.mark.parametrize(("name", "signals"), NOISE, ids=[n[0] for n in NOISE])
def test_transient_noise_is_no_failure(name: str, signals: dict[str, list[float]]) -> None:
    assert not is_failure(signals)


def test_an_initiators_own_abort_notify_is_not_authentication_evidence() -> None:
    assert notify_signal("AUTHENTICATION_FAILED", inbound=False, stage="info") is None
    assert notify_signal("AUTHENTICATION_FAILED", inbound=False, stage="auth") == Sig.AUTH_REJECTED_SENT
    assert notify_signal("AUTHENTICATION_FAILED", inbound=True, stage="info") == Sig.PEER_AUTH_REJECTED


def test_no_proposal_chosen_is_placed_in_its_exchange() -> None:
    assert notify_signal("NO_PROPOSAL_CHOSEN", True, "init") == Sig.IKE_PROPOSAL_MISMATCH
    assert notify_signal("NO_PROPOSAL_CHOSEN", True, "auth") == Sig.CHILD_PROPOSAL_MISMATCH
    assert notify_signal("NO_PROPOSAL_CHOSEN", True, "child") == Sig.CHILD_PROPOSAL_MISMATCH
    assert notify_signal("NAT_DETECTION_SOURCE_IP", True, "init") is None
