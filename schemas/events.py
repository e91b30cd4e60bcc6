"""The parsed event record: one per input line, whatever the vendor.

Parsers fill it; the correlation engine reads it. Nothing here knows a vendor's syntax: the
`Action` vocabulary is the contract between the two halves (docs/parsing.md lists it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from schemas.docpath import is_ip


class Action(StrEnum):
    """Normalised meaning of one log line (`event.action`). Add members; never rename one."""

    # negotiation flow
    IKE_INIT_SENT = "ike_init_sent"  # we start an IKE SA (initiator)
    IKE_INIT_RECEIVED = "ike_init_received"  # a peer starts one with us (responder)
    MESSAGE_SENT = "message_sent"  # generating/sending an IKE message (exchange, message id)
    MESSAGE_RECEIVED = "message_received"  # parsed an IKE message (exchange, message id, notify)
    PACKET_SENT = "packet_sent"  # raw UDP send (noise, but gives addresses and ports)
    PACKET_RECEIVED = "packet_received"
    RETRANSMIT = "retransmit"
    PEER_UNREACHABLE = "peer_unreachable"  # giving up after retransmits / peer not responding
    NOTIFY_RECEIVED = "notify_received"  # an error notify from the peer (field `notify`)
    NOTIFY_SENT = "notify_sent"  # an error notify we send (field `notify`)
    PROPOSAL_MISMATCH = "proposal_mismatch"  # no acceptable proposal (phase by `exchange`/`phase`)
    PROPOSAL_RECEIVED = "proposal_received"  # "received proposals: ..." (evidence only)
    PROPOSAL_CONFIGURED = "proposal_configured"  # "configured proposals: ..."
    DH_GROUP_REJECTED = "dh_group_rejected"  # INVALID_KE_PAYLOAD / peer didn't accept DH group
    AUTH_STARTED = "auth_started"  # authentication of 'me' (myself) with ...
    AUTH_SUCCEEDED = "auth_succeeded"
    AUTH_FAILED = "auth_failed"  # generic authentication failure
    PSK_MISMATCH = "psk_mismatch"  # MAC/HASH verification or decryption failed under the PSK
    DECRYPT_FAILED = "decrypt_failed"  # could not decrypt payloads (IKE), PSK likely
    MESSAGE_PARSE_FAILED = "message_parse_failed"  # "message parsing failed"
    CERT_INVALID = "cert_invalid"  # certificate/signature trouble
    ID_MISMATCH = "id_mismatch"  # IDir does not match / identity rejected
    PEER_CONFIG_LOOKUP = "peer_config_lookup"  # looking for peer configs matching ...
    PEER_CONFIG_NOT_FOUND = "peer_config_not_found"
    PSK_NOT_FOUND = "psk_not_found"
    INVALID_VERSION = "invalid_version"
    ATTRIBUTES_NOT_SUPPORTED = "attributes_not_supported"
    IDR_MISSING = "idr_missing"  # symptom only: look back for the cause
    IKE_SA_ESTABLISHED = "ike_sa_established"
    IKE_SA_FAILED = "ike_sa_failed"  # "establishing IKE_SA failed" / connection failed, no reason
    PHASE1_FAILED = "phase1_failed"  # vendor says phase 1 failed, reason not given
    PHASE1_STATE = "phase1_state"  # Cisco MM_NO_STATE and friends (field `detail`)
    UNAUTHENTICATED_QUICK_MODE = "unauthenticated_quick_mode"
    CHILD_SA_INITIATING = "child_sa_initiating"
    CHILD_SA_ESTABLISHED = "child_sa_established"
    CHILD_SA_FAILED = "child_sa_failed"  # no CHILD_SA built / phase 2 failed, reason not given
    TS_UNACCEPTABLE = "ts_unacceptable"  # selectors refused (either side)
    TS_CHANGED_NAT = "ts_changed_nat"  # changing received traffic selectors ... due to NAT
    CHILD_CONFIG_LOOKUP = "child_config_lookup"  # looking for a child config for A === B
    CHILD_CONFIG_NOT_FOUND = "child_config_not_found"
    REKEY_STARTED = "rekey_started"  # CHILD_SA rekey begins (field `detail`="ike" for IKE SA rekey)
    REKEY_COMPLETED = "rekey_completed"
    DPD_SENT = "dpd_sent"
    DPD_TIMEOUT = "dpd_timeout"
    SA_DELETED = "sa_deleted"  # IKE or CHILD SA closed/deleted (field `detail`)
    CONNECTION_FAILED = "connection_failed"  # "establishing connection 'x' failed"
    KERNEL_ERROR = "kernel_error"  # netlink/PF_KEY error
    SAD_INSTALL_FAILED = "sad_install_failed"  # unable to add SAD entry
    VICI_TOO_LARGE = "vici_too_large"
    REPLAY_CHECK_FAILED = "replay_check_failed"
    INTEGRITY_CHECK_FAILED = "integrity_check_failed"
    INVALID_IDENTITY = "invalid_identity"
    TUNNEL_UP = "tunnel_up"  # vendor's own "tunnel up" summary line
    TUNNEL_DOWN = "tunnel_down"  # vendor's own "tunnel down" summary line (no reason)
    INFO = "info"  # recognised, carries no signal for diagnosis
    UNRECOGNIZED = "unrecognized"  # a known vendor's line that no pattern covers
    PARSE_ERROR = "parse_error"  # not a log line: binary junk, over-long, undecodable (field `error`)


# Notify names as vendors abbreviate them (strongSwan prints N(TS_UNACCEPT)); values are RFC 7296 names.
NOTIFY_ALIASES: dict[str, str] = {
    "TS_UNACCEPT": "TS_UNACCEPTABLE",
    "NO_PROP": "NO_PROPOSAL_CHOSEN",
    "AUTH_FAILED": "AUTHENTICATION_FAILED",
    "INVAL_KE": "INVALID_KE_PAYLOAD",
    "INVAL_SYN": "INVALID_SYNTAX",
    "INVAL_MAJOR": "INVALID_IKE_VERSION",
    "INVALID_MAJOR_VERSION": "INVALID_IKE_VERSION",
    "INVAL_IKE_SPI": "INVALID_IKE_SPI",
    "INVAL_SPI": "INVALID_SPI",
    "INVAL_ID": "INVALID_ID_INFORMATION",
    "NO_ADD_SAS": "NO_ADDITIONAL_SAS",
    "NO_CHILD_SA": "CHILD_SA_NOT_FOUND",
    "SINGLE_PAIR": "SINGLE_PAIR_REQUIRED",
    "INT_ADDR_FAIL": "INTERNAL_ADDRESS_FAILURE",
    "FAILED_CP_REQ": "FAILED_CP_REQUIRED",
    "UNSUPP_CRIT": "UNSUPPORTED_CRITICAL_PAYLOAD",
    "ATTR_NOT_SUPP": "ATTRIBUTES_NOT_SUPPORTED",
    "TEMP_FAILURE": "TEMPORARY_FAILURE",
    # the rest of charon's notify_type_short_names (src/libcharon/encoding/payloads/notify_payload.c)
    "CRIT": "UNSUPPORTED_CRITICAL_PAYLOAD",
    "INVAL_MID": "INVALID_MESSAGE_ID",
    "ATTR_UNSUP": "ATTRIBUTES_NOT_SUPPORTED",
    "PLD_MAL": "PAYLOAD_MALFORMED",
    "INVAL_CERTEN": "INVALID_CERT_ENCODING",
    "INVAL_CERT": "INVALID_CERTIFICATE",
    "CERT_UNSUP": "CERT_TYPE_UNSUPPORTED",
    "INVAL_CA": "INVALID_CERT_AUTHORITY",
    "INVAL_HASH": "INVALID_HASH_INFORMATION",
    "FAIL_CP_REQ": "FAILED_CP_REQUIRED",
    "INVAL_SEL": "INVALID_SELECTORS",
    "UNACCEPT_ADDR": "UNACCEPTABLE_ADDRESSES",
    "UNEXPECT_NAT": "UNEXPECTED_NAT_DETECTED",
    "TEMP_FAIL": "TEMPORARY_FAILURE",
    "NO_STATE": "STATE_NOT_FOUND",
    "MAX_QUEUE": "TS_MAX_QUEUE",
    "ME_CONN_FAIL": "ME_CONNECT_FAILED",
}


def normalise_notify(name: str) -> str:
    """RFC 7296 name for a notify, whatever abbreviation the vendor printed."""
    upper = name.strip().upper()
    return NOTIFY_ALIASES.get(upper, upper)


@dataclass(slots=True)
class Event:
    """One input line, parsed. Only `raw`, `action` and `vendor` are always set.

    Times are UTC epoch seconds. `timestamp` is the event time the device printed (the sender's
    clock, year and zone inferred where the line lacks them); `received` is the receiver's clock
    (set by ingest), kept apart so clock skew stays visible.
    """

    raw: str
    action: Action
    vendor: str
    timestamp: float | None = None
    received: float | None = None
    envelope: str | None = None  # which envelope format the line came in
    host: str | None = None  # observer (gateway) hostname or address
    program: str | None = None
    pid: int | None = None
    thread: str | None = None  # strongSwan thread number, Cisco sequence number...
    subsystem: str | None = None  # strongSwan [IKE]/[CFG], ASA message id, Cisco facility
    pattern: str | None = None  # id of the pattern that matched (trace a wrong parse back)
    conn: str | None = None  # connection / IKE SA name / tunnel name
    ike_sa_id: str | None = None  # the daemon's unique id of the IKE SA (strongSwan |N, pluto #N)
    child: str | None = None  # CHILD_SA / phase 2 name
    child_id: str | None = None  # CHILD_SA unique id (strongSwan {N}, pluto #N of the IPsec SA)
    local_ip: str | None = None
    local_port: int | None = None
    remote_ip: str | None = None
    remote_port: int | None = None
    local_id: str | None = None
    remote_id: str | None = None
    ike_version: int | None = None
    role: str | None = None  # initiator | responder
    exchange: str | None = None  # IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, ID_PROT...
    direction: str | None = None  # in | out, for messages and notifies
    message_id: int | None = None
    notify: str | None = None  # RFC 7296 name (see normalise_notify)
    spi: str | None = None
    proposals: str | None = None
    ts_local: str | None = None  # traffic selectors, as printed
    ts_remote: str | None = None
    detail: str | None = None  # short vendor-specific qualifier (e.g. "ike" for an IKE SA rekey)
    error: str | None = None  # for parse_error: why the line could not be read

    def to_doc(self) -> dict[str, Any]:
        """The NDJSON/Elasticsearch shape: ECS names where ECS has them, `vpn.*` for the rest."""
        return event_doc(self)


_VPN_FIELDS = (
    "conn",
    "ike_sa_id",
    "child",
    "child_id",
    "ike_version",
    "role",
    "exchange",
    "direction",
    "message_id",
    "notify",
    "spi",
    "proposals",
    "detail",
)


def iso(ts: float | None) -> str | None:
    """RFC 3339 UTC with milliseconds only when they are not zero (stable golden files)."""
    if ts is None:
        return None
    dt = datetime.fromtimestamp(ts, UTC)
    if dt.microsecond:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _prune(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != {}}


def ip_or_address(value: str | None) -> dict[str, str]:
    """`{"ip": value}` for an IP address, `{"address": value}` for anything else a device printed in its
    place (Cisco's `Remote:HOSTNAME:500`): an ip-typed field would drop it from searches."""
    if value is None:
        return {}
    return {"ip": value} if is_ip(value) else {"address": value}


def event_doc(ev: Event) -> dict[str, Any]:
    vpn: dict[str, Any] = {name: getattr(ev, name) for name in _VPN_FIELDS}
    vpn["local"] = _prune(
        {**ip_or_address(ev.local_ip), "port": ev.local_port, "id": ev.local_id, "ts": ev.ts_local}
    )
    vpn["remote"] = _prune(
        {**ip_or_address(ev.remote_ip), "port": ev.remote_port, "id": ev.remote_id, "ts": ev.ts_remote}
    )
    doc: dict[str, Any] = {
        "@timestamp": iso(ev.timestamp),
        "event": _prune(
            {
                "action": ev.action.value,
                "created": iso(ev.received),
                "dataset": "tunnelsight.event",
                "original": ev.raw,
            }
        ),
        "observer": _prune({"hostname": ev.host, "vendor": ev.vendor}),
        "process": _prune(
            {"name": ev.program, "pid": ev.pid, "thread": {"name": ev.thread} if ev.thread else None}
        ),
        "log": _prune({"syslog": {"envelope": ev.envelope} if ev.envelope else None,
                       "logger": ev.subsystem}),
        "rule": {"id": ev.pattern} if ev.pattern else None,
        "vpn": _prune(vpn),
        "error": {"message": ev.error} if ev.error else None,
    }
    return _prune(doc)


EVENT_FIELD_NAMES = tuple(f.name for f in fields(Event))
