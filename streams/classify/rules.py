"""The rule table: which failure class explains a failed episode, and why.

Rules are data, in priority order: the most specific explanation comes first, the catch-all
`unknown` last. Each names the signals it rests on (`saw(...)`), so the diagnosis shows those lines
first as its evidence, and carries its own confidence, reasoning, known false positives and
references, so a wrong diagnosis is traced to one row here. docs/diagnosis.md shows how to add one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from schemas.failure_classes import CODES
from streams.classify.signals import REPEAT_THRESHOLDS, Sig, unanswered_retransmits


class Facts(Protocol):
    """What a rule may look at: one episode's signals and the SA's situation when it began."""

    signals: dict[str, list[float]]  # signal -> [count, first time, first ordinal, last time, moments]
    rekey: bool  # the episode is a rekey of a CHILD_SA that was established
    ike_rekey: bool  # ... of the IKE SA itself
    ike_was_up: bool  # the IKE SA was established when the episode began
    ike_version: int | None


@dataclass(frozen=True, slots=True)
class When:
    """A predicate over an episode plus the signals it cites as evidence."""

    test: Callable[[Facts], bool]
    cites: tuple[str, ...] = ()

    def __call__(self, facts: Facts) -> bool:
        return self.test(facts)


def saw(*sigs: str) -> When:
    """At least one of these signals occurred."""
    return When(lambda f: any(s in f.signals for s in sigs), sigs)


def repeated(sig: str, times: int | None = None) -> When:
    """The signal occurred at least `times` (default: its noise threshold) times."""
    need = times if times is not None else REPEAT_THRESHOLDS[sig]
    return When(lambda f: sig in f.signals and f.signals[sig][0] >= need, (sig,))


def shows(*sigs: str) -> When:
    """Always true: cites context lines (e.g. the proposals) to show next to the deciding ones."""
    return When(lambda f: True, sigs)


def never(*sigs: str) -> When:
    return When(lambda f: not any(s in f.signals for s in sigs))


def before(first: str, then: str) -> When:
    """Both occurred, `first` earlier in event time (arrival order breaks ties)."""

    def test(f: Facts) -> bool:
        a, b = f.signals.get(first), f.signals.get(then)
        return a is not None and b is not None and (a[1], a[2]) < (b[1], b[2])

    return When(test, (first, then))


def all_of(*parts: When) -> When:
    return When(lambda f: all(p(f) for p in parts), tuple(s for p in parts for s in p.cites))


def any_of(*parts: When) -> When:
    return When(lambda f: any(p(f) for p in parts), tuple(s for p in parts for s in p.cites))


def retransmits_unanswered() -> When:
    """Retransmits past the noise threshold that no answer from the peer followed."""
    return When(lambda f: unanswered_retransmits(f.signals), (Sig.RETRANSMIT,))


def rekey_of_established_child() -> When:
    return When(lambda f: f.rekey and not f.ike_rekey)


def ike_was_established() -> When:
    return When(lambda f: f.ike_was_up)


def ike_version(version: int) -> When:
    return When(lambda f: f.ike_version == version)


def always() -> When:
    return When(lambda f: True)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    cls: str
    when: When
    confidence: float
    why: str  # becomes vpn.failure.reason
    false_positives: str = "none known"
    refs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.cls not in CODES:
            raise ValueError(f"rule {self.id}: {self.cls!r} is not a failure class")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"rule {self.id}: confidence {self.confidence} outside [0, 1]")


_TS_FAILURE = (Sig.PEER_TS_REFUSED, Sig.TS_UNACCEPTABLE, Sig.CHILD_CONFIG_NOT_FOUND, Sig.CHILD_SA_FAILED,
               Sig.IDR_MISSING)
_PROPOSALS = (Sig.PROPOSALS_RECEIVED, Sig.PROPOSALS_CONFIGURED)
_REF0 = "shared reference 000 (common IKEv2 negotiation errors)"
_REF4 = "shared reference 004 (Cisco IOS VPN error messages)"
_CLASSES = "docs/failure-classes.md"

RULES: tuple[Rule, ...] = (
    Rule("unauthenticated-quick-mode", "ike.unauthenticated_quick_mode",
         saw(Sig.UNAUTHENTICATED_QUICK_MODE), 0.9,
         "the peer began quick mode on an ISAKMP SA that was never authenticated: phase 1 policies differ",
         refs=(_REF4 + ", CRYPTO-6-IKMP_SA_NOT_AUTH",)),
    Rule("kernel-enosys-sad-install", "kernel.cipher_unsupported",
         all_of(saw(Sig.KERNEL_ENOSYS), saw(Sig.SAD_INSTALL_FAILED)), 0.9,
         "the kernel answered 'Function not implemented' when the SA was installed: the cipher or its "
         "module is missing", refs=(_REF0 + ", received netlink error",)),
    Rule("kernel-enosys", "kernel.cipher_unsupported", saw(Sig.KERNEL_ENOSYS), 0.8,
         "the kernel does not implement what the SA asked for: most often a cipher module that is missing",
         refs=(_REF0,)),
    Rule("sad-install-failed", "kernel.cipher_unsupported", saw(Sig.SAD_INSTALL_FAILED), 0.6,
         "the kernel refused to install the SA; without another reason logged, an unsupported cipher is "
         "the usual cause", false_positives="SPI collisions or exhausted kernel memory fail the same call",
         refs=(_REF0,)),
    Rule("vici-message-too-large", "control.vici_message_too_large", saw(Sig.VICI_TOO_LARGE), 0.95,
         "a vici reply exceeded 512 KiB: too many CHILD_SAs on one IKE_SA or in total", refs=(_REF0,)),
    Rule("dataplane-invalid-identity", "dataplane.invalid_identity", repeated(Sig.INVALID_IDENTITY), 0.85,
         "packets were decrypted with the wrong SA and delivered to the wrong peer (a known IOS defect)",
         refs=(_REF4 + ", CRYPTO-4-RECVD_PKT_INV_IDENTITY",)),
    Rule("dataplane-replay-repeated", "dataplane.replay_check_failed", repeated(Sig.REPLAY), 0.8,
         "ESP packets keep arriving outside the anti-replay window: reordering on the path or QoS",
         false_positives="a short burst during a path change", refs=(_REF4 + ", CRYPTO-4-PKT_REPLAY_ERR",)),
    Rule("dataplane-integrity-repeated", "dataplane.integrity_check_failed", repeated(Sig.INTEGRITY), 0.8,
         "ESP integrity checks keep failing: mismatched keys, corruption on the path or a faulty accelerator",
         false_positives="a few isolated errors are normal", refs=(_REF4 + ", MOTCR-1-PKTENGRET_ERROR",)),
    Rule("mode-mismatch-nat-host-selectors", "child.mode_mismatch",
         all_of(before(Sig.TS_CHANGED_NAT, Sig.HOST_SELECTORS), saw(*_TS_FAILURE)), 0.8,
         "the selectors collapsed to the peers' /32 addresses (transport mode) before the CHILD_SA failed: "
         "one side runs transport mode, the other tunnel mode",
         false_positives="a host-to-host tunnel behind NAT whose selectors are really /32",
         refs=(_REF0 + ", Transport Mode vs Tunnel Mode",)),
    Rule("rekey-rejected-after-established", "child.rekey_pfs_mismatch",
         all_of(rekey_of_established_child(), saw(Sig.CHILD_PROPOSAL_MISMATCH, Sig.DH_REJECTED)), 0.85,
         "the CHILD_SA had come up, but its rekey was refused: the PFS (DH) groups differ and are only "
         "checked at rekey", false_positives="the peer changed its phase 2 proposal while the SA was up",
         refs=(_REF0 + ", Child_SAs fail to form on Rekey",)),
    Rule("ts-behind-idr-missing", "child.ts_unacceptable",
         all_of(saw(Sig.PEER_TS_REFUSED), saw(Sig.IDR_MISSING)), 0.9,
         "the peer refused the proposed traffic selectors; 'IDr payload missing' is only the symptom",
         refs=(_REF0 + ", IDr payload missing",)),
    Rule("ts-refused-by-peer", "child.ts_unacceptable", saw(Sig.PEER_TS_REFUSED), 0.9,
         "the peer refused the proposed traffic selectors (subnets, proxy IDs)", refs=(_CLASSES,)),
    Rule("ts-unacceptable-here", "child.ts_unacceptable",
         saw(Sig.TS_UNACCEPTABLE, Sig.CHILD_CONFIG_NOT_FOUND), 0.85,
         "the peer's traffic selectors match no local CHILD_SA configuration (subnets, crypto ACL)",
         refs=(_CLASSES, _REF4 + ", IPSEC(initialize_sas): Invalid proxy IDs")),
    Rule("psk-not-found", "ike.psk_not_found", saw(Sig.PSK_NOT_FOUND), 0.95,
         "no pre-shared key is configured for this pair of identities", refs=(_CLASSES,)),
    Rule("hash-v1-decrypt-with-identity-evidence", "ike.id_mismatch",
         all_of(saw(Sig.DECRYPT_FAILED), saw(Sig.ID_MISMATCH, Sig.PEER_CONFIG_NOT_FOUND)), 0.7,
         "IKEv1 payloads failed to decrypt and the identities do not match: the peer picked the key for "
         "another identity", refs=(_REF0 + ", message parsing failed",)),
    Rule("hash-v1-decrypt-failed", "ike.auth_failed.psk_mismatch", saw(Sig.DECRYPT_FAILED), 0.85,
         "the peer's encrypted IKEv1 payloads do not decrypt: the pre-shared keys differ",
         false_positives="some vendors send this for a local/remote ID mismatch",
         refs=(_REF0 + ", invalid HASH_V1 payload length, decryption failed",)),
    Rule("psk-mac-mismatch", "ike.auth_failed.psk_mismatch", saw(Sig.PSK_MISMATCH), 0.9,
         "the peer's AUTH/HASH does not verify under the configured pre-shared key: the keys differ",
         refs=(_CLASSES,)),
    Rule("psk-authentication-failed", "ike.auth_failed.psk_mismatch", saw(Sig.PSK_AUTH_FAILED), 0.8,
         "authentication with the pre-shared key failed: the keys differ",
         false_positives="an identity mismatch that makes the peer pick another key", refs=(_CLASSES,)),
    Rule("certificate-invalid", "ike.auth_failed.certificate", saw(Sig.CERT_INVALID), 0.9,
         "certificate or signature authentication failed (untrusted, expired, wrong CA or no private key)",
         refs=(_CLASSES,)),
    Rule("identity-mismatch", "ike.id_mismatch", saw(Sig.ID_MISMATCH, Sig.PEER_CONFIG_NOT_FOUND), 0.85,
         "the identities the peers present do not match the configuration", refs=(_REF0 + ", IDir does not match",)),
    Rule("invalid-ike-version", "ike.invalid_version", saw(Sig.INVALID_VERSION), 0.9,
         "the peer speaks another IKE version (IKEv1 against IKEv2) or sends a malformed version",
         refs=(_REF0 + ", INVALID_IKE_VERSION",)),
    Rule("attributes-not-supported", "ike.attributes_not_supported", saw(Sig.ATTRIBUTES_NOT_SUPPORTED), 0.85,
         "the peer sent attributes or syntax this side cannot process (lifetimes, a.b.c.d:mask subnets)",
         refs=(_REF0 + ", ATTRIBUTES_NOT_SUPPORTED",)),
    Rule("ike-no-proposal-chosen", "ike.proposal_mismatch", all_of(saw(Sig.IKE_PROPOSAL_MISMATCH), shows(*_PROPOSALS)), 0.9,
         "no common IKE (phase 1) proposal: encryption, integrity, PRF or DH group differ",
         refs=(_CLASSES, _REF4 + ", CRYPTO-6-IKMP_SA_NOT_OFFERED")),
    Rule("child-no-proposal-chosen", "child.proposal_mismatch", all_of(saw(Sig.CHILD_PROPOSAL_MISMATCH), shows(*_PROPOSALS)), 0.85,
         "no common ESP/AH (phase 2) proposal", refs=(_CLASSES,)),
    Rule("dh-group-rejected-repeatedly", "ike.dh_group_mismatch", repeated(Sig.DH_REJECTED), 0.8,
         "the peers keep refusing each other's key exchange (DH) group", refs=(_CLASSES,)),
    Rule("ikev1-message-parsing-failed", "ike.auth_failed.psk_mismatch",
         all_of(saw(Sig.PARSE_FAILED), ike_version(1)), 0.6,
         "IKEv1 messages from the peer cannot be parsed, which in main mode almost always means they "
         "were encrypted under another pre-shared key",
         false_positives="a local or remote ID mismatch on some vendors", refs=(_REF0 + ", message parsing failed",)),
    Rule("dpd-timeout", "ike.dpd_timeout", saw(Sig.DPD_TIMEOUT), 0.9,
         "dead peer detection got no answer and the established IKE SA was torn down", refs=(_CLASSES,)),
    Rule("liveness-unanswered-on-established-sa", "ike.dpd_timeout",
         all_of(ike_was_established(), any_of(saw(Sig.GAVE_UP), retransmits_unanswered())), 0.75,
         "the established IKE SA stopped getting answers to its liveness checks and was torn down",
         false_positives="a lost INFORMATIONAL exchange other than DPD", refs=(_CLASSES,)),
    Rule("retransmits-never-answered", "ike.peer_unreachable",
         all_of(any_of(saw(Sig.GAVE_UP), retransmits_unanswered()), never(Sig.ANSWER)), 0.9,
         "the peer never answered: it is down, filtered (UDP 500/4500 blocked) or the address is wrong",
         refs=(_CLASSES,)),
    Rule("mm-no-state-unanswered", "ike.peer_unreachable",
         all_of(saw(Sig.MM_NO_STATE), saw(Sig.RETRANSMIT), never(Sig.ANSWER)), 0.8,
         "main mode never left MM_NO_STATE and the peer never answered the retransmits",
         refs=(_CLASSES + ", notes on MM_NO_STATE",)),
    Rule("unanswered-after-first-exchange", "ike.peer_unreachable",
         any_of(saw(Sig.GAVE_UP), retransmits_unanswered()), 0.6,
         "the peer answered the first exchange, then stopped answering: UDP 4500 or IKE fragments are "
         "typically filtered", false_positives="a peer that drops requests it cannot process",
         refs=(_CLASSES,)),
    Rule("peer-rejected-authentication", "ike.auth_failed",
         saw(Sig.PEER_AUTH_REJECTED, Sig.AUTH_REJECTED_SENT, Sig.AUTH_FAILED), 0.6,
         "authentication was rejected and these logs do not say why (the other end's logs do)",
         refs=(_CLASSES,)),
    Rule("main-mode-failed", "ike.phase1_failed", saw(Sig.PHASE1_FAILED, Sig.MM_NO_STATE), 0.6,
         "phase 1 failed and the logs narrow it no further: compare all phase 1 policy attributes",
         refs=(_REF4 + ", CRYPTO-6-IKMP_MODE_FAILURE",)),
    Rule("idr-missing-without-cause", "unknown", saw(Sig.IDR_MISSING), 0.3,
         "'IDr payload missing' is a symptom and no notify in the episode explains it",
         refs=(_REF0 + ", IDr payload missing",)),
    Rule("unexplained-failure", "unknown", always(), 0.2,
         "the negotiation failed and no rule explains the lines seen"),
)
