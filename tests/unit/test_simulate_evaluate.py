"""Scoring diagnoses against ground truth: matching by gateway, peer, class and time."""

from __future__ import annotations

from streams.simulate.evaluate import Diagnosis, Truth, diagnosis_from, evaluate, table

T0 = 1_770_249_600.0


def test_precision_and_recall_per_class() -> None:
    truth = [
        Truth("gw1", "198.51.100.7", "c1", "child.ts_unacceptable", T0, T0 + 60),
        Truth("gw1", "198.51.100.8", "c2", "ike.peer_unreachable", T0, T0 + 165),
        Truth("gw2", None, None, "control.vici_message_too_large", T0 + 500, T0 + 700),
        Truth("pa-1", "198.51.100.9", "c3", "ike.proposal_mismatch", T0, T0 + 10, ("0128", "pa-1")),
    ]
    diags = [
        Diagnosis("gw1", "198.51.100.7", None, "child.ts_unacceptable", T0 + 1, T0 + 2),  # true
        Diagnosis("gw1", "198.51.100.7", None, "child.ts_unacceptable", T0 + 30, T0 + 31),  # same episode again
        Diagnosis("gw1", "198.51.100.8", None, "ike.dpd_timeout", T0 + 100, T0 + 165),  # wrong class
        Diagnosis("gw2", "198.51.100.99", None, "control.vici_message_too_large", T0 + 600, T0 + 600),  # gateway level
        Diagnosis("0128", "198.51.100.9", None, "ike.proposal_mismatch", T0 + 5, T0 + 5),  # serial as hostname
        Diagnosis("gw3", None, None, "unknown", T0, T0),  # nothing there
    ]
    r = evaluate(truth, diags, slack=60)
    ts = r.classes["child.ts_unacceptable"]
    assert (ts.episodes, ts.found, ts.true, ts.false) == (1, 1, 1, 0)
    assert r.classes["ike.peer_unreachable"].recall == 0.0
    assert r.classes["ike.peer_unreachable"].missed_as == {"ike.dpd_timeout": 1}
    assert r.classes["ike.dpd_timeout"].precision == 0.0
    assert r.classes["control.vici_message_too_large"].recall == 1.0
    assert r.classes["ike.proposal_mismatch"].recall == 1.0
    assert r.classes["unknown"].false == 1
    assert r.total.episodes == 4 and r.total.found == 3
    assert "overall" in table(r)


def test_diagnosis_fields_from_the_document_shape() -> None:
    doc = {"@timestamp": "2026-02-05T21:29:53Z",
           "event": {"start": "2026-02-05T21:29:52Z", "end": "2026-02-05T21:29:53Z"},
           "observer": {"hostname": "gw-ams-01"}, "vpn": {"remote": {"ip": "198.51.100.7"},
                                                          "connection": "x", "failure": {"class": "ike.auth_failed"}}}
    d = diagnosis_from(doc)
    assert d is not None and d.gateway == "gw-ams-01" and d.cls == "ike.auth_failed" and d.end - d.start == 1
    assert diagnosis_from({"observer": {}}) is None
