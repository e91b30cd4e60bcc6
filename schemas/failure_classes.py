"""The failure-class catalogue in code: the stable codes of `vpn.failure.class`.

The copy for people is docs/failure-classes.md; a test keeps the two in step. Never rename a code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FailureClass:
    code: str
    phase: str  # ike | child_sa | kernel | control | dataplane | any
    meaning: str


CATALOGUE: tuple[FailureClass, ...] = (
    FailureClass("ike.proposal_mismatch", "ike", "no common IKE (phase 1) proposal"),
    FailureClass("ike.dh_group_mismatch", "ike", "the peers disagree on the key exchange (DH) group"),
    FailureClass("ike.auth_failed.psk_mismatch", "ike", "pre-shared keys differ"),
    FailureClass("ike.auth_failed.certificate", "ike", "certificate or signature authentication failed"),
    FailureClass("ike.auth_failed", "ike", "the peer rejected authentication and the logs do not show why"),
    FailureClass("ike.id_mismatch", "ike", "the local or remote identity does not match the configuration"),
    FailureClass("ike.psk_not_found", "ike", "no pre-shared key is configured for this pair of identities"),
    FailureClass("ike.invalid_version", "ike", "the peer speaks another IKE version or a malformed one"),
    FailureClass("ike.attributes_not_supported", "ike", "the peer sent attributes this side cannot process"),
    FailureClass("ike.peer_unreachable", "ike", "the peer never answers"),
    FailureClass("ike.dpd_timeout", "ike", "an established IKE SA was torn down by dead peer detection"),
    FailureClass("ike.unauthenticated_quick_mode", "ike", "quick mode began on an unauthenticated IKE SA"),
    FailureClass("ike.phase1_failed", "ike", "phase 1 failed and the logs narrow it no further"),
    FailureClass("child.ts_unacceptable", "child_sa", "traffic selectors do not match"),
    FailureClass("child.mode_mismatch", "child_sa", "transport mode on one side, tunnel mode on the other"),
    FailureClass("child.proposal_mismatch", "child_sa", "no common ESP/AH (phase 2) proposal"),
    FailureClass("child.rekey_pfs_mismatch", "child_sa", "CHILD_SA up, every rekey fails: PFS groups differ"),
    FailureClass("kernel.cipher_unsupported", "kernel", "the kernel cannot install the SA's cipher"),
    FailureClass("control.vici_message_too_large", "control", "a vici reply exceeded 512 KiB"),
    FailureClass("dataplane.replay_check_failed", "dataplane", "ESP packets beyond the replay window"),
    FailureClass("dataplane.integrity_check_failed", "dataplane", "ESP integrity (HMAC) verification failed"),
    FailureClass("dataplane.invalid_identity", "dataplane", "packets decrypted with the wrong SA"),
    FailureClass("unknown", "any", "a failure was seen but matches no class"),
)

CODES: frozenset[str] = frozenset(c.code for c in CATALOGUE)
BY_CODE: dict[str, FailureClass] = {c.code: c for c in CATALOGUE}


def phase_of(code: str) -> str:
    return BY_CODE[code].phase
