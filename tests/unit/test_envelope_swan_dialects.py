"""strongSwan and Libreswan dialects: a sample per pattern, reach of the dispatch keys, reference 000.

The golden cases (tests/golden/parse/{strongswan,libreswan,pfsense,opnsense}) exercise most patterns in
realistic excerpts; the samples here cover the rest, one message each, so every pattern is proven to be
reachable through `key_of` and to match the text its `ref` names. `test_every_pattern_is_exercised`
keeps it that way when a pattern is added.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.events import Action
from streams.parse import ParseContext, parse_line
from streams.parse.registry import by_name

GOLDEN = Path(__file__).parents[1] / "golden" / "parse"

# pattern id, message body (charon: without the thread prefix; pluto: as logged, with its prefix)
STRONGSWAN_SAMPLES = [
    ('strongswan-ike-initiate-aggressive', 'initiating Aggressive Mode IKE_SA rw[4] to 203.0.113.5'),
    ('strongswan-ike-peer-initiates-aggressive', '203.0.113.5 is initiating a Aggressive Mode IKE_SA'),
    ('strongswan-ike-rekeyed', 'IKE_SA gw-b[7] rekeyed between 192.0.2.10[gw-a]...198.51.100.20[gw-b]'),
    ('strongswan-ike-will-timeout', 'IKE_SA gw-b[7] will timeout in 2 hours'),
    ('strongswan-ike-giving-up-retries', 'giving up after 5 retries'),
    ('strongswan-ike-half-open-timeout', 'deleting half open IKE_SA rw[9] with 203.0.113.5 after timeout'),
    ('strongswan-ike-unestablished-deleted', 'deleting unestablished IKE_SA'),
    ('strongswan-ike-unable-to-resolve', 'unable to resolve vpn.example.net, initiate aborted'),
    ('strongswan-ike-version-not-supported', 'IKE version 3 not supported'),
    ('strongswan-ike-invalid-header', 'received invalid IKE header from 203.0.113.5 - ignored'),
    ('strongswan-ike-no-ike-config', 'no IKE config found for 192.0.2.10...203.0.113.5, sending NO_PROPOSAL_CHOSEN'),
    ('strongswan-ike-redirected', "redirected to 'gw2.example.net'"),
    ('strongswan-packet-unencrypted-info', 'received unencrypted informational: from 203.0.113.5[500] to 192.0.2.10[500]'),
    ('strongswan-retransmit-v1', 'sending retransmit 2 of request message ID 0, seq 1'),
    ('strongswan-retransmit-received', 'received retransmit of request with ID 1, retransmitting response'),
    ('strongswan-unexpected-mid', 'received message ID 4, expected 5, ignored'),
    ('strongswan-msg-verification-failed', 'message verification failed'),
    ('strongswan-integrity-check-failed', 'integrity check failed'),
    ('strongswan-verifying-integrity-failed', 'verifying encrypted payload integrity failed'),
    ('strongswan-hash-mismatch-v1', 'calculated HASH does not match HASH payload'),
    ('strongswan-received-hash-mismatch', 'received HASH payload does not match'),
    ('strongswan-critical-unknown-payload', 'critical unknown payloads found'),
    ('strongswan-unknown-attribute', 'unknown attribute type INTERNAL_IP4_SERVER'),
    ('strongswan-invalid-attribute-length', 'invalid attribute length 6 for INTERNAL_IP4_NETMASK'),
    ('strongswan-notify-known-error', 'received TEMPORARY_FAILURE notify'),
    ('strongswan-notify-status', 'received ESP_TFC_PADDING_NOT_SUPPORTED notify'),
    ('strongswan-auth-lifetime', 'received AUTH_LIFETIME of 3420s, starting reauthentication'),
    ('strongswan-received-delete-ike', 'received DELETE for IKE_SA gw-b[7]'),
    ('strongswan-received-delete-child', 'received DELETE for ESP CHILD_SA with SPI c1234567'),
    ('strongswan-received-other', 'received CRL "C=DE, O=Example, CN=Example Root CA"'),
    ('strongswan-invalid-ke-sent', 'DH group ECP_256 unacceptable, requesting MODP_2048'),
    ('strongswan-invalid-ke-exhausted', 'already retried with DH group MODP_2048, ignore requested ECP_384'),
    ('strongswan-no-matching-proposal', 'no matching proposal found, sending NO_PROPOSAL_CHOSEN'),
    ('strongswan-no-matching-proposal-alt', 'no matching proposal found, trying alternative config'),
    ('strongswan-proposal-selection-invalid', "peer's proposal selection invalid"),
    ('strongswan-proposal-selection-invalid-5', 'peers proposal selection invalid'),
    ('strongswan-lifetime-mismatch', 'received lifetime 86400s does not match configured lifetime 28800s'),
    ('strongswan-peer-config-not-found-v1', 'no peer config found'),
    ('strongswan-switching-config', "switching to peer config 'rw-eap'"),
    ('strongswan-idr-mismatch', 'received IDr gw-x.example.net, but require gw-b.example.net'),
    ('strongswan-constraint-identity', "constraint check failed: identity 'CN=gw-b' required"),
    ('strongswan-constraint-other', "constraint check failed: peer not authenticated by CA 'CN=Example CA'"),
    ('strongswan-idi-missing', 'IDi payload missing'),
    ('strongswan-idir-missing-v1', 'IDir payload missing'),
    ('strongswan-idii-missing-v1', 'IDii payload missing'),
    ('strongswan-auth-myself-v1-ok', "authentication of 'C=DE, CN=gw-a' (myself) successful"),
    ('strongswan-auth-myself-failed', "authentication of 'C=DE, CN=gw-a' (myself) failed"),
    ('strongswan-psk-not-found-hosts', 'no shared key found for 192.0.2.10 - 203.0.113.5'),
    ('strongswan-eap-auth-payload-failed', 'verification of AUTH payload with EAP MSK failed'),
    ('strongswan-eap-failed', 'EAP method EAP_MSCHAPV2 failed for peer alice'),
    ('strongswan-eap-received-failure', 'received EAP_FAILURE, EAP authentication failed'),
    ('strongswan-signature-failed', 'signature validation failed, looking for another key'),
    ('strongswan-no-private-key', "no private key found for 'C=DE, CN=gw-a'"),
    ('strongswan-no-private-key-typed', "no RSA private key found for 'C=DE, CN=gw-a'"),
    ('strongswan-cert-validity-issuer', 'issuer certificate invalid (valid from Jan 01 00:00:00 2020 to Jan 01 00:00:00 2025)'),
    ('strongswan-peer-cert-invalid', 'peer certificate verification failed, deleting SA'),
    ('strongswan-cert-revoked', 'certificate was revoked on Feb 01 10:00:00 UTC 2026, reason: key compromise'),
    ('strongswan-no-issuer', 'no issuer certificate found for "C=DE, CN=gw-b"'),
    ('strongswan-keyusage', 'rejecting certificate without digitalSignature or nonRepudiation keyUsage flags'),
    ('strongswan-cert-issuer-received', 'received issuer cert "C=DE, CN=Example Sub CA"'),
    ('strongswan-cert-sent', 'sending end entity cert "C=DE, CN=gw-a"'),
    ('strongswan-certreq-sent', 'sending cert request for "C=DE, CN=Example Root CA"'),
    ('strongswan-psk-aggressive-disabled', 'Aggressive Mode PSK disabled for security reasons'),
    ('strongswan-uniqueness', 'canceling IKE_SA setup due to uniqueness policy'),
    ('strongswan-child-closed', 'CHILD_SA net{4} closed'),
    ('strongswan-child-closed-5', 'CHILD_SA closed'),
    ('strongswan-child-failed-closing-ike', 'closing IKE_SA due CHILD_SA setup failure'),
    ('strongswan-child-retry', 'creating CHILD_SA failed, trying again in 21 seconds'),
    ('strongswan-child-cp-failed', 'configuration payload negotiation failed, no CHILD_SA built'),
    ('strongswan-child-mode-unacceptable', 'TRANSPORT mode requested by responder is unacceptable'),
    ('strongswan-child-transport-refused', 'not using transport mode, not host-to-host'),
    ('strongswan-transport-proxy-mine', 'my address: 192.0.2.10 is a transport mode proxy for 10.0.0.1'),
    ('strongswan-transport-proxy-other', 'other address: 203.0.113.5 is a transport mode proxy for 10.1.0.1'),
    ('strongswan-establishing-connection-failed', "establishing connection 'Phase2-Meraki' failed"),
    ('strongswan-connection-established', "connection 'net' established successfully"),
    ('strongswan-swanctl-initiate-ok', 'initiate completed successfully'),
    ('strongswan-child-config-found', 'found matching child config "net" with prio 10'),
    ('strongswan-ts-none-acceptable', 'no acceptable traffic selectors found'),
    ('strongswan-ts-peer-invalid', 'peer selected invalid traffic selectors: 10.9.0.0/24 for 10.1.0.0/24, 10.2.0.0/24 for 10.2.0.0/24'),
    ('strongswan-ts-missing', 'TS payloads missing in message'),
    ('strongswan-rekey-detected-v1', 'detected rekeying of CHILD_SA con3{14}'),
    ('strongswan-reauth', 'reauthenticating IKE_SA gw-b[7]'),
    ('strongswan-reauth-failed', 'reauthenticating IKE_SA failed'),
    ('strongswan-reinitiate', 'reinitiating IKE_SA gw-b[8]'),
    ('strongswan-ike-rekey-failed', 'IKE_SA rekeying failed, trying again in 30 seconds'),
    ('strongswan-ike-rekey-no-response', 'rekeying IKE_SA failed, peer not responding'),
    ('strongswan-rekey-collision', 'CHILD_SA rekey collision won, deleting old child net{4}'),
    ('strongswan-ike-rekey-collision', 'IKE_SA rekey collision lost, deleting redundant IKE_SA gw-b[9]'),
    ('strongswan-dpd-instead-keepalive', 'sending DPD instead of keep alive 150s after last outbound message'),
    ('strongswan-dpd-unsupported', 'DPD not supported by peer, disabled'),
    ('strongswan-keepalive', 'sending keep alive to 203.0.113.5[4500]'),
    ('strongswan-inactivity-ike', 'deleting IKE_SA after 300 seconds of CHILD_SA inactivity'),
    ('strongswan-inactivity-child', 'deleting CHILD_SA after 300 seconds of inactivity'),
    ('strongswan-ike-deleted', 'IKE_SA deleted'),
    ('strongswan-ike-delete-no-response', 'proper IKE_SA delete failed, peer not responding'),
    ('strongswan-duplicate-ike', "deleting duplicate IKE_SA for peer 'alice@example.net' due to uniqueness policy"),
    ('strongswan-spd-install-failed', 'unable to install IPsec policies (SPD) in kernel'),
    ('strongswan-policy-failed', 'unable to add policy 10.1.0.0/24 === 10.2.0.0/24 out'),
    ('strongswan-algorithm-unsupported', 'algorithm CHACHA20_POLY1305 not supported by kernel!'),
    ('strongswan-spi-failed', 'unable to allocate SPI from kernel'),
    ('strongswan-pfkey-error', 'PF_KEY error: Invalid argument (22)'),
    ('strongswan-acquire', 'creating acquire job for policy 10.1.0.5/32 === 10.2.0.9/32 with reqid {3}'),
    ('strongswan-updown', 'updown: ip: RTNETLINK answers: File exists'),
    ('strongswan-too-large-short', 'exceeds maximum size of 524288, discarded'),
    ('strongswan-start-action', "start action: initiate 'net'"),
    ('strongswan-virtual-ip-assign', "assigning virtual IP 10.9.9.7 to peer 'alice@example.net'"),
    ('strongswan-virtual-ip-install', 'installing new virtual IP 10.9.9.7'),
    ('strongswan-no-virtual-ip', 'no virtual IP found, sending INTERNAL_ADDRESS_FAILURE'),
    ('strongswan-shutdown', 'SIGTERM received, shutting down'),
    ('strongswan-interface', 'interface eth1 activated'),
    ('strongswan-address-change', '2001:db8:10::1 disappeared from eth0'),
    ('strongswan-pool-full', "pool 'rw-pool' is full, unable to assign address"),
]

LIBRESWAN_SAMPLES = [
    ('libreswan-initiate-aggressive', '"rw" #1: initiating Aggressive Mode'),
    ('libreswan-initiate-aggressive-4', '"rw" #1: initiating IKEv1 Aggressive Mode connection'),
    ('libreswan-responding-aggressive', '"rw"[2] 203.0.113.5 #4: responding to Aggressive Mode, state #4, connection "rw"[2] 203.0.113.5 from 203.0.113.5'),
    ('libreswan-responder-v2-3', '"v2"[1] 203.0.113.5 #1: STATE_PARENT_R1: received v2I1, sent v2R1 {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}'),
    ('libreswan-no-connection-aggressive', 'packet from 203.0.113.5:500: initial Aggressive Mode packet claiming to be from @rw on 203.0.113.5:500 but no connection has been authorized'),
    ('libreswan-no-connection-v2-3', 'packet from 203.0.113.5:500: initial parent SA message received on 192.0.2.1:500 but no suitable connection found with IKEv2 policy'),
    ('libreswan-no-connection-v2-5', 'dropping IKE_SA_INIT request from 203.0.113.5:UDP/500 received on 192.0.2.1:UDP/500, no suitable connection found with IKEv2 policy'),
    ('libreswan-no-suitable-connection', '"v2"[1] 203.0.113.5 #2: no suitable connection for peer \'@laptop9\''),
    ('libreswan-major-version', "packet from 203.0.113.5:500: ignoring packet with IKE major version '3'"),
    ('libreswan-major-version-unsupported', "packet from 203.0.113.5:500: message contains unsupported IKE major version '3'"),
    ('libreswan-isakmp-established-sent', '"l2l"[1] 203.0.113.5 #3: STATE_MAIN_R3: sent MR3, ISAKMP SA established {auth=PRESHARED_KEY cipher=aes_256 integ=sha2_256 group=MODP2048}'),
    ('libreswan-v1-story-aggressive', '"rw" #1: STATE_AGGR_I1: sent AI1, expecting AR1'),
    ('libreswan-v1-story-quick', '"l2l" #2: STATE_QUICK_I1: sent QI1, expecting QR1'),
    ('libreswan-v1-sent-aggressive', '"rw" #1: sent Aggressive Mode request'),
    ('libreswan-retransmit-duplicate', '"l2l"[1] 203.0.113.5 #3: retransmitting in response to duplicate packet; already STATE_MAIN_R2'),
    ('libreswan-timeout-encrypted-old', '"l2l" #1: max number of retransmissions (2) reached STATE_MAIN_I3.  Possible authentication failure: no acceptable response to our first encrypted message'),
    ('libreswan-timeout-quick-mode-old', '"l2l" #2: max number of retransmissions (2) reached STATE_QUICK_I1.  No acceptable response to our first Quick Mode message: perhaps peer likes no proposal'),
    ('libreswan-timeout-other-old', '"l2l" #2: max number of retransmissions (2) reached STATE_QUICK_I1'),
    ('libreswan-parent-established', '"v2" #2: STATE_PARENT_I3: PARENT SA established {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}'),
    ('libreswan-parent-established-responder', '"v2"[1] 203.0.113.5 #1: STATE_PARENT_R2: received v2I2, PARENT SA established'),
    ('libreswan-ike-established-46', '"east" #1: established IKE SA; authenticated using authby=secret and peer ID_FQDN \'@east\''),
    ('libreswan-child-established-46', '"east" #2: established Child SA using #1; IPsec tunnel [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0] {ESP=>0x0a0b0c0d <0x01020304 xfrm=AES_GCM_16_256-NONE DPD=passive}'),
    ('libreswan-child-rekeyed-initiator', '"east" #4: initiator rekeyed Child SA #2 using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0x0a0b0c0e <0x01020305 xfrm=AES_GCM_16_256-DH19 DPD=passive}'),
    ('libreswan-child-rekeyed-responder', '"west" #4: responder rekeyed Child SA #2 using #1; IPsec tunnel [192.0.2.0/24===192.0.1.0/24] {ESP/ESN=>0x01020305 <0x0a0b0c0e xfrm=AES_GCM_16_256-DH19 DPD=passive}'),
    ('libreswan-ike-rekeyed-initiator', '"east" #5: initiator rekeyed IKE SA #1 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}'),
    ('libreswan-ike-rekeyed-responder', '"west" #5: responder rekeyed IKE SA #1 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}'),
    ('libreswan-invalid-ke-sent', '"cloud-3"[2] 203.0.113.5 #9: initiator guessed wrong keying material group (MODP2048); responding with INVALID_KE_PAYLOAD requesting DH19'),
    ('libreswan-initiator-processed', '"east" #1: initiator processed IKE_INTERMEDIATE, initiating IKE_AUTH'),
    ('libreswan-initiate-child', '"east" #6: initiating Child SA using IKE SA #1'),
    ('libreswan-rekey-ike', '"east" #7: initiating rekey to replace IKE SA #1 using IKE SA #1'),
    ('libreswan-reauth', '"east" #1: initiate reauthentication of IKE SA'),
    ('libreswan-no-connection-ipsec', '"l2l"[1] 203.0.113.5 #3: cannot respond to IPsec SA request because no connection is known for 10.2.0.0/24===203.0.113.5...203.0.113.5===10.9.0.0/24'),
    ('libreswan-ts-no-connection-4', '"east" #2: No IKEv2 connection found with compatible Traffic Selectors'),
    ('libreswan-ts-not-existing', '"east" #3: Received TSr payload(s) does not contain existing IPsec SA Traffic Selectors'),
    ('libreswan-auth-response-error', '"east" #1: IKE_AUTH response contained the error notification NO_PROPOSAL_CHOSEN'),
    ('libreswan-auth-response-error-3', '"east" #2: AUTH response contained the error notification TS_UNACCEPTABLE'),
    ('libreswan-child-response-rejected', '"east" #1: response for Child SA #3 was rejected with NO_PROPOSAL_CHOSEN; initiating delete of Child SA (IKE SA will remain UP)'),
    ('libreswan-child-failed', '"east" #3: CHILD SA failed: TEMPORARY_FAILURE'),
    ('libreswan-unexpected-init-error', '"east" #1: dropping unexpected IKE_SA_INIT message containing INVALID_MAJOR_VERSION notification; message payloads: N; missing payloads: SA,KE,Ni'),
    ('libreswan-unauthenticated-error', '"east" #1: STATE_PARENT_I1: received unauthenticated v2N_NO_PROPOSAL_CHOSEN - ignored'),
    ('libreswan-v1-notify-ignored', '"l2l" #1: received and ignored notification payload: NO_PROPOSAL_CHOSEN'),
    ('libreswan-v1-informational', '"l2l" #1: ignoring informational payload INVALID_ID_INFORMATION, msgid=00000000, length=12'),
    ('libreswan-v1-informational-5', '"l2l" #1: ignoring secured informational payload INVALID_ID_INFORMATION, msgid=7c1f0a2e, length=12'),
    ('libreswan-v1-informational-unsecured', '"l2l" #1: ignoring unsecured informational payload NO_PROPOSAL_CHOSEN, length=12'),
    ('libreswan-notify-other', '"l2l" #1: ignoring informational payload IPSEC_RESPONDER_LIFETIME, msgid=00000000, length=28'),
    ('libreswan-malformed', '"l2l" #1: malformed payload in packet'),
    ('libreswan-psk-not-found', '"west"[1] 203.0.113.5 #1: authentication failed: no PSK found for \'@laptop9\''),
    ('libreswan-auth-method-mismatch', '"west"[1] 203.0.113.5 #1: authentication failed: peer attempted PSK authentication but we want RSASIG'),
    ('libreswan-auth-signature-failed', '"west" #1: authentication failed: using RSA with SHA2_512 for \'@east\' tried *AwEAAbRnp'),
    ('libreswan-signature-check', '"west" #1: Signature check (on @east) failed (wrong key?); tried *AwEAAbRnp'),
    ('libreswan-rsa-signature-check', '"west" #1: RSA Signature check (on @east) failed (wrong key?); tried *AwEAAbRnp'),
    ('libreswan-digital-signature-failed', '"west" #2: Digital Signature authentication using rsasig failed in R2 Auth Payload'),
    ('libreswan-dn-mismatch', '"west" #1: peer ID_DER_ASN1_DN \'CN=laptop9\' does not match expected \'CN=laptop7\''),
    ('libreswan-issuer-invalid-3', '"west" #1: ERROR: Issuer certificate is invalid.'),
    ('libreswan-cert-revoked', '"west" #1: certificate revoked!'),
    ('libreswan-liveness-action', '"east" #3: liveness action - putting connection into hold'),
    ('libreswan-delete-child-v2', '"east" #3: deleting established Child SA using IKE SA #1'),
    ('libreswan-delete-received', '"l2l" #1: received Delete SA payload: deleting IPSEC State #2'),
    ('libreswan-netlink-error', 'ERROR: "east" #2: netlink response for Del SA esp.c1c2c3c4@192.0.2.23: No such process (errno 3)'),
    ('libreswan-spd-failed', '"east" #2: kernel: install_outbound_ipsec_kernel_policy() failed to add SPD for 10.1.0.0/24=>10.2.0.0/24'),
    ('libreswan-eroute-failed', '"east" #2: raw_eroute() in setup_half_ipsec_sa() failed to add inbound'),
    ('libreswan-added-connection', '"east": added IKEv2 connection'),
    ('libreswan-loading-secrets', 'loading secrets from "/etc/ipsec.secrets"'),
    ('libreswan-loaded-psk', 'loaded PSK secret for @west -> @east'),
    ('libreswan-listening', 'listening for IKE messages'),
    ('libreswan-adding-interface', 'adding UDP interface eth0 192.0.2.1:500'),
    ('libreswan-switched', '"v2"[1] 203.0.113.5 #1: switched to "v2-eap"[1] 203.0.113.5'),
    ('libreswan-debug', '| pluto_sd: executing action action: watchdog(3), status 0'),
]


def _parse(vendor: str, body: str) -> tuple[str | None, Action]:
    ev = parse_line(body, ParseContext(year=2026, vendor=vendor))
    return ev.pattern, ev.action


@pytest.mark.parametrize(("pattern_id", "body"), STRONGSWAN_SAMPLES, ids=[p for p, _ in STRONGSWAN_SAMPLES])
def test_strongswan_sample(pattern_id: str, body: str) -> None:
    assert _parse("strongswan", body)[0] == pattern_id
    assert _parse("strongswan", "12[IKE] <conn|7> " + body)[0] == pattern_id  # the same behind a prefix


@pytest.mark.parametrize(("pattern_id", "body"), LIBRESWAN_SAMPLES, ids=[p for p, _ in LIBRESWAN_SAMPLES])
def test_libreswan_sample(pattern_id: str, body: str) -> None:
    assert _parse("libreswan", body)[0] == pattern_id
    assert _parse("libreswan", "Feb  5 21:29:53 vpn1 pluto[2281]: " + body)[0] == pattern_id


def _golden_hits() -> set[str]:
    hits = set()
    for path in GOLDEN.glob("*/*.expected.ndjson"):
        for line in path.read_text().splitlines():
            rule = json.loads(line).get("rule")
            if rule:
                hits.add(rule["id"])
    return hits


@pytest.mark.parametrize(("dialect", "samples"), [("strongswan", STRONGSWAN_SAMPLES),
                                                  ("libreswan", LIBRESWAN_SAMPLES)])
def test_every_pattern_is_exercised(dialect: str, samples: list[tuple[str, str]]) -> None:
    covered = _golden_hits() | {pattern_id for pattern_id, _ in samples}
    missing = [p.id for p in by_name()[dialect].patterns if p.id not in covered]
    assert not missing, f"patterns with neither a golden case nor a sample: {missing}"


@pytest.mark.parametrize("dialect", ["strongswan", "libreswan"])
def test_every_pattern_names_its_source(dialect: str) -> None:
    for p in by_name()[dialect].patterns:
        assert p.ref.strip(), p.id
        assert p.id.startswith(dialect + "-"), p.id
        assert p.regex.startswith("^"), p.id  # anchored: a failing candidate costs one character


# Every strongSwan message of shared reference 000 (Common IKEv2 negotiation errors), as charon logs it.
REFERENCE_000 = [
    ("initiating IKE_SA Phase1-Meraki[1] to 203.0.113.9", Action.IKE_INIT_SENT, {"conn": "Phase1-Meraki"}),
    ("generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) V ]", Action.MESSAGE_SENT,
     {"exchange": "IKE_SA_INIT", "message_id": 0, "notify": None}),
    ("sending packet: from 198.51.100.2[500] to 203.0.113.9[500] (1268 bytes)", Action.PACKET_SENT,
     {"remote_ip": "203.0.113.9", "remote_port": 500}),
    ("received packet: from 203.0.113.9[500] to 198.51.100.2[500] (248 bytes)", Action.PACKET_RECEIVED,
     {"remote_ip": "203.0.113.9", "local_port": 500}),
    ("parsed IKE_SA_INIT response 0 [ SA KE No ]", Action.MESSAGE_RECEIVED, {"direction": "in"}),
    ("authentication of 'Local' (myself) with pre-shared key", Action.AUTH_STARTED, {"local_id": "Local"}),
    ("establishing CHILD_SA Phase2-Meraki", Action.CHILD_SA_INITIATING, {"child": "Phase2-Meraki"}),
    ("generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(EAP_ONLY) ]", Action.MESSAGE_SENT,
     {"exchange": "IKE_AUTH", "notify": None}),
    ("parsed IKE_AUTH response 1 [ N(TS_UNACCEPT) ]", Action.MESSAGE_RECEIVED,
     {"exchange": "IKE_AUTH", "notify": "TS_UNACCEPTABLE"}),
    ("IDr payload missing", Action.IDR_MISSING, {}),
    ("generating INFORMATIONAL request 2 [ N(AUTH_FAILED) ]", Action.MESSAGE_SENT,
     {"exchange": "INFORMATIONAL", "notify": "AUTHENTICATION_FAILED", "direction": "out"}),
    ("establishing connection 'Phase2-Meraki' failed", Action.CONNECTION_FAILED, {"conn": "Phase2-Meraki"}),
    ("changing received traffic selectors 192.168.54.0/24=== 192.168.35.0/24 due to NAT", Action.TS_CHANGED_NAT,
     {"ts_local": "192.168.54.0/24", "ts_remote": "192.168.35.0/24"}),
    ("looking for a child config for 142.17.75.156/32 === 40.82.185.115/32", Action.CHILD_CONFIG_LOOKUP,
     {"ts_local": "142.17.75.156/32", "ts_remote": "40.82.185.115/32"}),
    ("message parsing failed", Action.MESSAGE_PARSE_FAILED, {}),
    ("ID_PROT request with message ID 0 processing failed", Action.MESSAGE_PARSE_FAILED,
     {"exchange": "ID_PROT", "message_id": 0}),
    ("invalid HASH_V1 payload length, decryption failed?", Action.DECRYPT_FAILED, {}),
    ("could not decrypt payloads", Action.DECRYPT_FAILED, {}),
    ("ignore malformed INFORMATIONAL request", Action.MESSAGE_PARSE_FAILED, {}),
    ("INFORMATIONAL_V1 request with message ID 2388990997 processing failed", Action.MESSAGE_PARSE_FAILED,
     {"message_id": 2388990997}),
    ("received ATTRIBUTES_NOT_SUPPORTED error notify", Action.NOTIFY_RECEIVED, {"notify": "ATTRIBUTES_NOT_SUPPORTED"}),
    ("received INVALID_MAJOR_VERSION notify error", Action.NOTIFY_RECEIVED, {"notify": "INVALID_IKE_VERSION"}),
    ("vici message size 531447 exceeds maximum size of 524288, discarded", Action.VICI_TOO_LARGE, {}),
    ("exceeds maximum size of 524288, discarded", Action.VICI_TOO_LARGE, {}),
    ("CHILD_SA Phase2-Meraki{6} state change: CREATED => INSTALLING", Action.INFO, {"child_id": "6"}),
    ("using 3DES_CBC for encryption", Action.INFO, {"detail": "3DES_CBC"}),
    ("using HMAC_SHA1_96 for integrity", Action.INFO, {}),
    ("adding inbound ESP SA", Action.INFO, {}),
    ("SPI 0xceb43d4d, src 112.112.112.223 dst 172.16.0.4", Action.INFO, {"spi": "ceb43d4d"}),
    ("received netlink error: Function not implemented (38)", Action.KERNEL_ERROR,
     {"detail": "Function not implemented (38)"}),
    ("unable to add SAD entry with SPI ceb43d4d (FAILED)", Action.SAD_INSTALL_FAILED, {"spi": "ceb43d4d"}),
    ("adding outbound ESP SA", Action.INFO, {}),
    ("received NO_PROPOSAL_CHOSEN notify error", Action.NOTIFY_RECEIVED, {"notify": "NO_PROPOSAL_CHOSEN"}),
    ("received AUTHENTICATION_FAILED notify error", Action.NOTIFY_RECEIVED, {"notify": "AUTHENTICATION_FAILED"}),
    ("IDir '10.0.0.1' does not match to '203.0.113.9'", Action.ID_MISMATCH, {"remote_id": "10.0.0.1"}),
    ("no shared key found for 'Local' - 'MerakiPeer'", Action.PSK_NOT_FOUND,
     {"local_id": "Local", "remote_id": "MerakiPeer"}),
    ("received TS_UNACCEPTABLE notify, no CHILD_SA built", Action.NOTIFY_RECEIVED, {"notify": "TS_UNACCEPTABLE"}),
]


@pytest.mark.parametrize(("body", "action", "fields"), REFERENCE_000, ids=[b[:48] for b, _, _ in REFERENCE_000])
def test_reference_000(body: str, action: Action, fields: dict[str, object]) -> None:
    for line in (body, "Feb  5 21:29:53 09[IKE] <MerakiPeer|3> " + body):
        ev = parse_line(line, ParseContext(year=2026, vendor="strongswan"))
        assert ev.action is action, line
        for name, value in fields.items():
            assert getattr(ev, name) == value, (line, name)


@pytest.mark.parametrize(("vendor", "body", "local_ip", "remote_ip"), [
    ("strongswan", "initiating IKE_SA Phase1-Meraki[1] to MERAKI", None, None),  # reference 000 as published
    ("strongswan", "sending packet: from Local[500] to MerakiPeer[500] (1268 bytes)", None, None),
    ("strongswan", "IKE_SA x[1] established between %any[a]...2001:db8::9[b]", None, "2001:db8::9"),
    ("strongswan", "received packet: from 198.51.100.7[4500] to 10.0.0.1[4500] (80 bytes)", "10.0.0.1", "198.51.100.7"),
    ("libreswan", '"east" #5: liveness_check - peer <ip address> has not responded in 32 seconds, with a timeout of 30, '
                  "taking restart", None, None),
    ("libreswan", '"rw"[3] 2001:db8::77 #12: initiating IKEv2 connection to 2001:db8::77 using UDP', None, "2001:db8::77"),
])
def test_addresses_only_in_address_fields(vendor: str, body: str, local_ip: str | None, remote_ip: str | None) -> None:
    """Names where an address belongs (anonymised logs, log_ip=no, %any) match, but fill no address field."""
    ev = parse_line(body, ParseContext(year=2026, vendor=vendor))
    assert ev.action is not Action.UNRECOGNIZED
    assert (ev.local_ip, ev.remote_ip) == (local_ip, remote_ip)
