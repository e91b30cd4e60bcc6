"""Signals: the facts an episode records about its lines, and which of them mean failure.

A parsed event says what one line means (`Action`); a signal says what it means *for the diagnosis*,
once the line is placed in its exchange: `NO_PROPOSAL_CHOSEN` answering IKE_SA_INIT is an IKE proposal
problem, answering CREATE_CHILD_SA a phase 2 one. Episodes keep a count per signal and the first line
of each, never the events themselves, so state stays small however long a peer keeps failing.
"""

from __future__ import annotations

from schemas.events import Action, Event


class Sig:
    """Signal codes: short, stable strings (stored in the stream's state table, so never renamed)."""

    ANSWER = "ans"  # the peer sent us something during the episode
    RETRANSMIT = "rtx"
    GAVE_UP = "gave_up"  # giving up after N retransmits / peer not responding
    PROPOSALS_RECEIVED = "prop_rx"  # "received proposals: ..." (evidence only)
    PROPOSALS_CONFIGURED = "prop_cfg"  # "configured proposals: ..."
    IKE_PROPOSAL_MISMATCH = "ike_noprop"
    CHILD_PROPOSAL_MISMATCH = "esp_noprop"
    DH_REJECTED = "ke"  # INVALID_KE_PAYLOAD either way
    AUTH_WITH_PSK = "psk_used"  # this side authenticates with a pre-shared key (context)
    PEER_AUTH_REJECTED = "auth_rx"  # AUTHENTICATION_FAILED notify from the peer
    AUTH_REJECTED_SENT = "auth_tx"  # we answered IKE_AUTH with AUTHENTICATION_FAILED
    AUTH_FAILED = "auth"  # a local "authentication failed" with no reason
    PSK_AUTH_FAILED = "psk_auth"  # authentication of '...' with pre-shared key failed
    PSK_MISMATCH = "psk_mac"  # MAC/hash mismatch under the PSK
    DECRYPT_FAILED = "decrypt"  # invalid HASH_V1 payload length / could not decrypt payloads
    PARSE_FAILED = "parse"  # message parsing failed
    CERT_INVALID = "cert"
    ID_MISMATCH = "id"
    PEER_CONFIG_NOT_FOUND = "no_peer"
    PSK_NOT_FOUND = "no_psk"
    INVALID_VERSION = "version"
    ATTRIBUTES_NOT_SUPPORTED = "attrs"
    IDR_MISSING = "idr"
    IKE_SA_FAILED = "ike_fail"
    PHASE1_FAILED = "p1_fail"
    MM_NO_STATE = "mm_none"
    UNAUTHENTICATED_QUICK_MODE = "qm_unauth"
    CHILD_SA_FAILED = "child_fail"
    PEER_TS_REFUSED = "ts_rx"  # TS_UNACCEPTABLE notify from the peer
    TS_UNACCEPTABLE = "ts"  # selectors refused here (or by a vendor's own message)
    TS_CHANGED_NAT = "ts_nat"
    HOST_SELECTORS = "ts_host"  # child config looked up for a /32 === /32 pair
    CHILD_CONFIG_NOT_FOUND = "no_child"
    ERROR_NOTIFY = "notify"  # any other error notify from the peer
    DPD_SENT = "dpd"
    DPD_TIMEOUT = "dpd_dead"
    CONNECTION_FAILED = "conn_fail"
    KERNEL_ENOSYS = "enosys"  # netlink: Function not implemented (38)
    KERNEL_ERROR = "kernel"
    SAD_INSTALL_FAILED = "sad"
    VICI_TOO_LARGE = "vici"
    REPLAY = "replay"
    INTEGRITY = "hmac"
    INVALID_IDENTITY = "inv_id"
    DELETED = "deleted"  # SA deleted / tunnel down while the episode is open


# A signal here makes its episode a failure as soon as it is seen, and starts the quiet period.
FAILURE_SIGNALS: frozenset[str] = frozenset({
    Sig.GAVE_UP, Sig.IKE_PROPOSAL_MISMATCH, Sig.CHILD_PROPOSAL_MISMATCH, Sig.PEER_AUTH_REJECTED,
    Sig.AUTH_REJECTED_SENT, Sig.AUTH_FAILED, Sig.PSK_AUTH_FAILED, Sig.PSK_MISMATCH, Sig.DECRYPT_FAILED,
    Sig.PARSE_FAILED, Sig.CERT_INVALID, Sig.ID_MISMATCH, Sig.PEER_CONFIG_NOT_FOUND, Sig.PSK_NOT_FOUND,
    Sig.INVALID_VERSION, Sig.ATTRIBUTES_NOT_SUPPORTED, Sig.IDR_MISSING, Sig.IKE_SA_FAILED,
    Sig.PHASE1_FAILED, Sig.UNAUTHENTICATED_QUICK_MODE, Sig.CHILD_SA_FAILED, Sig.PEER_TS_REFUSED,
    Sig.TS_UNACCEPTABLE, Sig.CHILD_CONFIG_NOT_FOUND, Sig.ERROR_NOTIFY, Sig.DPD_TIMEOUT,
    Sig.CONNECTION_FAILED, Sig.KERNEL_ENOSYS, Sig.SAD_INSTALL_FAILED, Sig.VICI_TOO_LARGE,
})

# Transient noise until it repeats: the count (within one episode) from which it is a failure.
REPEAT_THRESHOLDS: dict[str, int] = {
    Sig.RETRANSMIT: 3,
    Sig.DH_REJECTED: 2,
    Sig.REPLAY: 3,
    Sig.INTEGRITY: 3,
    Sig.INVALID_IDENTITY: 1,  # the reference calls it a defect, not a transient condition
}

def unanswered_retransmits(signals: dict[str, list[float]]) -> bool:
    """Retransmits past their threshold with no answer from the peer after the last of them."""
    retransmit = signals.get(Sig.RETRANSMIT)
    if retransmit is None or retransmit[0] < REPEAT_THRESHOLDS[Sig.RETRANSMIT]:
        return False
    answer = signals.get(Sig.ANSWER)
    return answer is None or answer[3] < retransmit[3]


# Signals that end an attempt without meaning failure by themselves (start the quiet period).
END_SIGNALS: frozenset[str] = frozenset({Sig.DELETED, Sig.MM_NO_STATE})

# Facts about a CHILD_SA negotiation: an IKE SA coming up does not end an episode that shows them.
CHILD_SIGNALS: frozenset[str] = frozenset({
    Sig.PEER_TS_REFUSED, Sig.TS_UNACCEPTABLE, Sig.CHILD_CONFIG_NOT_FOUND, Sig.CHILD_PROPOSAL_MISMATCH,
    Sig.TS_CHANGED_NAT, Sig.HOST_SELECTORS, Sig.CHILD_SA_FAILED, Sig.KERNEL_ENOSYS, Sig.SAD_INSTALL_FAILED,
})

# Which evidence line to keep when an episode's evidence slots are full: higher wins.
_CONTEXT = frozenset({Sig.ANSWER, Sig.PROPOSALS_RECEIVED, Sig.PROPOSALS_CONFIGURED, Sig.AUTH_WITH_PSK, Sig.DPD_SENT, Sig.DELETED,
                      Sig.RETRANSMIT, Sig.KERNEL_ERROR})


def evidence_weight(sig: str) -> int:
    if sig in _CONTEXT:
        return 1
    if sig in (Sig.CONNECTION_FAILED, Sig.IKE_SA_FAILED, Sig.CHILD_SA_FAILED, Sig.ERROR_NOTIFY):
        return 2  # generic outcome lines: useful, but the specific ones explain more
    return 3


# --- exchanges -----------------------------------------------------------------------------------

STAGE_INIT = "init"  # IKE_SA_INIT, IKEv1 main/aggressive mode
STAGE_AUTH = "auth"  # IKE_AUTH
STAGE_CHILD = "child"  # CREATE_CHILD_SA, IKEv1 quick mode
STAGE_INFO = "info"  # INFORMATIONAL (DPD, deletes)

_EXCHANGES: dict[str, tuple[str, int]] = {
    "IKE_SA_INIT": (STAGE_INIT, 2),
    "IKE_AUTH": (STAGE_AUTH, 2),
    "CREATE_CHILD_SA": (STAGE_CHILD, 2),
    "INFORMATIONAL": (STAGE_INFO, 2),
    "ID_PROT": (STAGE_INIT, 1),
    "MAIN_MODE": (STAGE_INIT, 1),
    "MAIN": (STAGE_INIT, 1),
    "MM": (STAGE_INIT, 1),
    "AGGRESSIVE": (STAGE_INIT, 1),
    "AGGRESSIVE_MODE": (STAGE_INIT, 1),
    "AM": (STAGE_INIT, 1),
    "QUICK_MODE": (STAGE_CHILD, 1),
    "QUICK": (STAGE_CHILD, 1),
    "QM": (STAGE_CHILD, 1),
    "INFORMATIONAL_V1": (STAGE_INFO, 1),
    "TRANSACTION": (STAGE_AUTH, 1),
}


def exchange_info(exchange: str | None) -> tuple[str, int] | None:
    """(stage, IKE version) of an exchange name as the dialects print it; None when unknown."""
    if not exchange:
        return None
    found = _EXCHANGES.get(exchange)
    if found is None:
        found = _EXCHANGES.get(exchange.upper().replace(" ", "_"))
    return found


# --- notifies ------------------------------------------------------------------------------------

# RFC 7296 / RFC 2408 error notifies; status notifies (NATD_*, REKEY_SA, INITIAL_CONTACT...) are not.
ERROR_NOTIFIES: frozenset[str] = frozenset({
    "UNSUPPORTED_CRITICAL_PAYLOAD", "INVALID_IKE_SPI", "INVALID_IKE_VERSION", "INVALID_MAJOR_VERSION",
    "INVALID_MINOR_VERSION", "INVALID_SYNTAX", "INVALID_MESSAGE_ID", "INVALID_SPI", "NO_PROPOSAL_CHOSEN",
    "INVALID_KE_PAYLOAD", "AUTHENTICATION_FAILED", "SINGLE_PAIR_REQUIRED", "NO_ADDITIONAL_SAS",
    "INTERNAL_ADDRESS_FAILURE", "FAILED_CP_REQUIRED", "TS_UNACCEPTABLE", "INVALID_SELECTORS",
    "TEMPORARY_FAILURE", "CHILD_SA_NOT_FOUND", "ATTRIBUTES_NOT_SUPPORTED", "INVALID_ID_INFORMATION",
    "PAYLOAD_MALFORMED", "BAD_PROPOSAL_SYNTAX", "INVALID_HASH_INFORMATION", "INVALID_SIGNATURE",
    "INVALID_CERTIFICATE", "CERT_TYPE_UNSUPPORTED", "INVALID_CERT_AUTHORITY", "INVALID_KEY_INFORMATION",
    "INVALID_PAYLOAD_TYPE", "INVALID_EXCHANGE_TYPE", "INVALID_FLAGS", "INVALID_PROTOCOL_ID",
    "INVALID_TRANSFORM_ID", "INVALID_COOKIE", "INVALID_CERT_ENCODING", "INVALID_ID",
})

# Notifies whose meaning does not depend on the exchange.
_NOTIFY_SIGNAL: dict[str, str] = {
    "INVALID_KE_PAYLOAD": Sig.DH_REJECTED,
    "INVALID_IKE_VERSION": Sig.INVALID_VERSION,
    "INVALID_MAJOR_VERSION": Sig.INVALID_VERSION,
    "INVALID_MINOR_VERSION": Sig.INVALID_VERSION,
    "ATTRIBUTES_NOT_SUPPORTED": Sig.ATTRIBUTES_NOT_SUPPORTED,
    "INVALID_CERTIFICATE": Sig.CERT_INVALID,
    "INVALID_CERT_AUTHORITY": Sig.CERT_INVALID,
    "INVALID_SIGNATURE": Sig.CERT_INVALID,
    "INVALID_HASH_INFORMATION": Sig.PSK_MISMATCH,
}


def notify_signal(notify: str, inbound: bool, stage: str | None) -> str | None:
    """The signal of an error notify, placed in its exchange; None for status notifies.

    Outbound notifies count only where they are this side's verdict on the peer's proposal: the
    AUTHENTICATION_FAILED an initiator sends in INFORMATIONAL after `IDr payload missing` is its
    own abort, not evidence about authentication.
    """
    if notify not in ERROR_NOTIFIES or notify == "TEMPORARY_FAILURE":
        return None  # status notifies; TEMPORARY_FAILURE means "retry later" (a rekey collision)
    if notify == "NO_PROPOSAL_CHOSEN":
        return Sig.IKE_PROPOSAL_MISMATCH if stage in (STAGE_INIT, None) else Sig.CHILD_PROPOSAL_MISMATCH
    if notify == "TS_UNACCEPTABLE":
        return Sig.PEER_TS_REFUSED if inbound else Sig.TS_UNACCEPTABLE
    if notify == "AUTHENTICATION_FAILED":
        if inbound:
            return Sig.PEER_AUTH_REJECTED
        return Sig.AUTH_REJECTED_SENT if stage == STAGE_AUTH else None
    if notify == "INVALID_ID_INFORMATION":
        # IKEv1: in quick mode it answers proxy identities (selectors), in main mode the peer ID.
        if stage == STAGE_CHILD:
            return Sig.PEER_TS_REFUSED if inbound else Sig.TS_UNACCEPTABLE
        return Sig.ID_MISMATCH
    mapped = _NOTIFY_SIGNAL.get(notify)
    if mapped is not None:
        return mapped
    return Sig.ERROR_NOTIFY if inbound else None


# --- events --------------------------------------------------------------------------------------

# Actions whose signal needs no context.
DIRECT: dict[Action, str] = {
    Action.RETRANSMIT: Sig.RETRANSMIT,
    Action.PEER_UNREACHABLE: Sig.GAVE_UP,
    Action.PROPOSAL_RECEIVED: Sig.PROPOSALS_RECEIVED,
    Action.PROPOSAL_CONFIGURED: Sig.PROPOSALS_CONFIGURED,
    Action.DH_GROUP_REJECTED: Sig.DH_REJECTED,
    Action.PSK_MISMATCH: Sig.PSK_MISMATCH,
    Action.DECRYPT_FAILED: Sig.DECRYPT_FAILED,
    Action.MESSAGE_PARSE_FAILED: Sig.PARSE_FAILED,
    Action.CERT_INVALID: Sig.CERT_INVALID,
    Action.ID_MISMATCH: Sig.ID_MISMATCH,
    Action.PEER_CONFIG_NOT_FOUND: Sig.PEER_CONFIG_NOT_FOUND,
    Action.PSK_NOT_FOUND: Sig.PSK_NOT_FOUND,
    Action.INVALID_VERSION: Sig.INVALID_VERSION,
    Action.ATTRIBUTES_NOT_SUPPORTED: Sig.ATTRIBUTES_NOT_SUPPORTED,
    Action.IDR_MISSING: Sig.IDR_MISSING,
    Action.IKE_SA_FAILED: Sig.IKE_SA_FAILED,
    Action.PHASE1_FAILED: Sig.PHASE1_FAILED,
    Action.UNAUTHENTICATED_QUICK_MODE: Sig.UNAUTHENTICATED_QUICK_MODE,
    Action.CHILD_SA_FAILED: Sig.CHILD_SA_FAILED,
    Action.TS_UNACCEPTABLE: Sig.TS_UNACCEPTABLE,
    Action.TS_CHANGED_NAT: Sig.TS_CHANGED_NAT,
    Action.CHILD_CONFIG_NOT_FOUND: Sig.CHILD_CONFIG_NOT_FOUND,
    Action.DPD_SENT: Sig.DPD_SENT,
    Action.DPD_TIMEOUT: Sig.DPD_TIMEOUT,
    Action.CONNECTION_FAILED: Sig.CONNECTION_FAILED,
    Action.SAD_INSTALL_FAILED: Sig.SAD_INSTALL_FAILED,
    Action.VICI_TOO_LARGE: Sig.VICI_TOO_LARGE,
    Action.REPLAY_CHECK_FAILED: Sig.REPLAY,
    Action.INTEGRITY_CHECK_FAILED: Sig.INTEGRITY,
    Action.INVALID_IDENTITY: Sig.INVALID_IDENTITY,
}


def proposal_stage(ev: Event, stage: str | None) -> str:
    """IKE or CHILD proposal? The exchange decides; else the proposal text (`IKE:` vs `ESP:`)."""
    info = exchange_info(ev.exchange)
    if info is not None:
        return info[0]
    text = ev.proposals or ev.detail or ""
    if text.startswith(("IKE", "ike")):
        return STAGE_INIT
    if text.startswith(("ESP", "AH", "esp", "ah", "child", "phase2")) or "ESP:" in text or "AH:" in text:
        return STAGE_CHILD  # pluto: "no local proposal matches remote proposals 1:ESP:ENCR=..."
    if "IKE:" in text:
        return STAGE_INIT
    return stage or STAGE_INIT


def uses_psk(ev: Event) -> bool:
    """An AUTH_* line about a pre-shared key (detail set by the dialect, else its wording)."""
    detail = ev.detail or ""
    return "psk" in detail.lower() or "pre-shared" in ev.raw or "pre-shared" in detail


def kernel_signal(ev: Event) -> str:
    """ENOSYS or "algorithm ... not supported by kernel" is the missing-cipher case; other kernel errors
    (EEXIST, policy installs) are context only."""
    text = ev.detail or ev.raw
    if "not implemented" in text or "(38)" in text or "ENOSYS" in text or "not supported by kernel" in ev.raw:
        return Sig.KERNEL_ENOSYS
    return Sig.KERNEL_ERROR


def is_host_pair(ts_local: str | None, ts_remote: str | None) -> bool:
    """Both selectors a single IPv4/IPv6 host: what transport mode (or NAT) collapses them to."""
    if not ts_local or not ts_remote:
        return False
    return ts_local.endswith(("/32", "/128")) and ts_remote.endswith(("/32", "/128"))
