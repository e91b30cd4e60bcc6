"""Vendor lines the simulator's evaluation found misread, each with what it must parse to.

One row per line: the text a gateway writes, the action, and the fields that were wrong or missing
(an address with the sentence's period in it, the serial number as a PAN-OS host, unrecognised DPD
and phase 2 lines, PSK evidence read as a generic authentication failure).
"""

from __future__ import annotations

import pytest

from schemas.events import Action
from streams.parse import ParseContext, parse_line

MX = "<134>1 1770300000.100000000 MX68 events Site-to-site VPN: "
MT = "Feb  5 08:00:01 rtr-branch "
PLUTO = 'Feb  5 09:56:02 ipsec-sea-01 pluto[24390]: "dc-028" #11: '
PA_SYSTEM = ('1,2026/02/05 11:00:00,012801005555,SYSTEM,vpn,0,2026/02/05 11:00:00,,ike-nego-p1-start,gw-hq,0,0,general,'
             'informational,"IKE phase-1 negotiation is started as initiator, main mode. Initiated SA: '
             '192.0.2.70[500]-198.51.100.1[500] cookie:aa11bb22cc33dd44:0000000000000000.",1200301')
PA_TAIL = ",0x0,0,0,0,0,,PA-BRANCH-7,0,0,2026-02-05T11:00:00.120+00:00"
PA_TRAFFIC = ("1,2026/02/05 11:01:05,012801005555,TRAFFIC,end,2561,2026/02/05 11:01:05,10.7.0.8,10.1.0.9,192.0.2.70,"
              "10.1.0.9,{rule},,,ssh,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2026/02/05 11:01:05,52311,1,"
              "53122,22,12001,22,0x400064,tcp,allow,9196,2082,7114,22,2026/02/05 11:01:05,3,any,0,100032,0x0,"
              "10.0.0.0-10.255.255.255,United States,0,11,11,tcp-fin,0,0,0,0,,PA-BRANCH-7,from-policy,,,0,,0,,N/A,0,0,0,0")

CASES = [
    # racoon ends its sentences with a period; the address does not
    (MX + "couldn't find the pskey for 203.0.113.104.", Action.PSK_NOT_FOUND, {"remote_ip": "203.0.113.104"}),
    (MX + "couldn't find the pskey for 2001:db8:0:5::17.", Action.PSK_NOT_FOUND, {"remote_ip": "2001:db8:0:5::17"}),
    (MX + "couldn't find the pskey for 2001:db8::.", Action.PSK_NOT_FOUND, {"remote_ip": "2001:db8::"}),
    (MX + "couldn't find the pskey for 203.0.113.105", Action.PSK_NOT_FOUND, {"remote_ip": "203.0.113.105"}),
    (MX + "no configuration found for 198.51.100.77.", Action.PEER_CONFIG_NOT_FOUND, {"remote_ip": "198.51.100.77"}),
    (MX + "<vpn|3> initiating IKE_SA vpn[3] to 203.0.113.9.", Action.IKE_INIT_SENT, {"remote_ip": "203.0.113.9"}),
    (MX + "<vpn|3> no IKE config found for 192.0.2.1...203.0.113.9., sending NO_PROPOSAL_CHOSEN",
     Action.PEER_CONFIG_NOT_FOUND, {"local_ip": "192.0.2.1", "remote_ip": "203.0.113.9"}),
    (MT + "ipsec,error couldn't find the pskey for 198.51.100.60.", Action.PSK_NOT_FOUND,
     {"remote_ip": "198.51.100.60"}),
    # racoon's quick mode responder finds no proposal: phase 2
    (MX + "failed to get proposal for responder.", Action.PROPOSAL_MISMATCH,
     {"exchange": "QUICK_MODE", "ike_version": 1}),
    (MT + "ipsec,error 198.51.100.22 failed to get proposal for responder.", Action.PROPOSAL_MISMATCH,
     {"exchange": "QUICK_MODE", "remote_ip": "198.51.100.22"}),
    # RouterOS
    (MT + "ipsec,error 203.0.113.7 notification NO-PROPOSAL-CHOSEN received in informational exchange",
     Action.NOTIFY_RECEIVED, {"notify": "NO_PROPOSAL_CHOSEN", "direction": "in", "remote_ip": "203.0.113.7"}),
    (MT + "ipsec,info purging ISAKMP-SA 192.0.2.6[500]-203.0.113.34[500] spi=120362f11459866f:da11c34ea9e24e25.",
     Action.SA_DELETED, {"detail": "ike", "ike_sa_id": "120362f11459866f", "remote_ip": "203.0.113.34",
                         "local_ip": "192.0.2.6"}),
    (MT + "ipsec,info purging ISAKMP-SA spi=120362f11459866f:da11c34ea9e24e25.", Action.SA_DELETED,
     {"detail": "ike", "ike_sa_id": "120362f11459866f", "remote_ip": None}),
    (MT + "ipsec,error 203.0.113.7 peer authentication failed, possible cause: wrong password", Action.PSK_MISMATCH,
     {"remote_ip": "203.0.113.7"}),
    # Libreswan 3.x IKEv1 DPD
    (PLUTO + "DPD: No response from peer - declaring peer dead", Action.DPD_TIMEOUT, {"conn": "dc-028"}),
    (PLUTO + "DPD: Clearing Connection", Action.SA_DELETED, {"detail": "ike", "ike_sa_id": "11"}),
    (PLUTO + "DPD: Putting connection into %trap", Action.SA_DELETED, {"detail": "ike"}),
    (PLUTO + "DPD: Restarting Connection", Action.SA_DELETED, {"detail": "ike"}),
    (PLUTO + "DPD: action - putting connection into hold", Action.DPD_TIMEOUT,
     {"detail": "putting connection into hold"}),
    # Cisco IOS IKEv2: the AUTH payload does not verify under the PSK
    ("<191>614: rtr-v6-edge: Feb  5 2026 13:13:01.406 UTC: IKEv2-ERROR:(SESSION ID = 3,SA ID = 1):: Verification of "
     "peer's authentication data FAILED", Action.PSK_MISMATCH, {"ike_sa_id": "1", "ike_version": 2}),
    # PAN-OS: the firewall's name, not its serial number
    (PA_SYSTEM + PA_TAIL, Action.IKE_INIT_SENT, {"host": "PA-BRANCH-7"}),
    ("Feb  5 11:00:00 pa-branch-7 " + PA_SYSTEM + PA_TAIL, Action.IKE_INIT_SENT, {"host": "PA-BRANCH-7"}),
    ("Feb  5 11:00:00 pa-branch-7 " + PA_SYSTEM, Action.IKE_INIT_SENT, {"host": "pa-branch-7"}),
    (PA_SYSTEM, Action.IKE_INIT_SENT, {"host": "012801005555"}),
    (PA_TRAFFIC.format(rule="allow-out"), Action.UNRECOGNIZED, {"host": "PA-BRANCH-7"}),
    ("Feb  5 11:01:05 pa-branch-7 " + PA_TRAFFIC.format(rule='"allow, out"'), Action.UNRECOGNIZED,
     {"host": "pa-branch-7"}),
]


@pytest.mark.parametrize(("line", "action", "fields"), CASES, ids=[c[0][-60:] for c in CASES])
def test_vendor_fix(line: str, action: Action, fields: dict[str, object]) -> None:
    ev = parse_line(line, ParseContext(year=2026))
    assert ev.action is action, (ev.pattern, ev.action)
    for name, value in fields.items():
        assert getattr(ev, name) == value, name
