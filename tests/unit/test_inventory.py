"""Inventory enrichment: lookups, file formats, and never stopping the stream over a bad inventory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from enrichers.inventory import Inventory
from schemas.catalogue import validate

SAMPLE = Path(__file__).resolve().parents[2] / "enrichers" / "samples" / "inventory.yaml"
YAML = """
gateways:
  gw-ams-01: {site: AMS1, region: eu-west, vendor: strongSwan, model: x86 VM, owner: netops-eu,
              addresses: [192.0.2.10, "2001:db8::10"]}
  gw-fra-01: {site: FRA2, region: eu-central}
peers:
  198.51.100.7: {name: Meraki branch 17, owner: branch-it}
  "2001:DB8:1::7": {name: IPv6 partner}
  203.0.113.0/24: {name: Partner Acme}
  203.0.113.128/25: {name: Partner Acme - DR}
  peer.example.net: Partner by IKE id
"""


def doc(host: str | None = "gw-ams-01", peer: str | None = "198.51.100.7", **vpn: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"@timestamp": "2026-02-05T21:29:53Z",
                         "event": {"dataset": "tunnelsight.diagnosis"},
                         "vpn": {"remote": {"ip": peer} if peer else {}, **vpn},
                         "tunnelsight": {"id": "x"}}
    if host:
        d["observer"] = {"hostname": host}
    return d


@pytest.fixture
def inv(tmp_path: Path) -> Inventory:
    path = tmp_path / "inventory.yaml"
    path.write_text(YAML)
    return Inventory.load(path)


@pytest.mark.parametrize(
    ("document", "gateway", "peer"),
    [
        (doc(), {"site": "AMS1", "region": "eu-west", "vendor": "strongSwan", "model": "x86 VM",
                 "owner": "netops-eu"}, {"name": "Meraki branch 17", "owner": "branch-it"}),
        (doc("192.0.2.10", "2001:db8:1::7"), {"site": "AMS1", "region": "eu-west", "vendor": "strongSwan",
                                              "model": "x86 VM", "owner": "netops-eu"}, {"name": "IPv6 partner"}),
        (doc("gw-fra-01", "203.0.113.9"), {"site": "FRA2", "region": "eu-central"}, {"name": "Partner Acme"}),
        (doc("gw-fra-01", "203.0.113.200"), {"site": "FRA2", "region": "eu-central"},
         {"name": "Partner Acme - DR"}),  # the longest prefix wins
        (doc(None, None, local={"ip": "2001:db8:0::10"}, remote={"id": "peer.example.net"}),
         {"site": "AMS1", "region": "eu-west", "vendor": "strongSwan", "model": "x86 VM", "owner": "netops-eu"},
         {"name": "Partner by IKE id"}),
        (doc("gw-unknown", "192.0.2.99"), None, None),
    ],
)
def test_lookups(inv: Inventory, document: dict[str, Any], gateway: dict[str, str] | None,
                 peer: dict[str, str] | None) -> None:
    out = inv.enrich(document)
    assert out["tunnelsight"].get("gateway") == gateway
    assert out["tunnelsight"].get("peer") == peer
    assert "gateway" not in document["tunnelsight"]  # the input is left alone
    assert validate(out, "diagnosis") == [] or out["observer"].get("hostname") is None


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text("type,key,site,region,vendor,model,owner,name,addresses\n"
                    "gateway,gw-ams-01,AMS1,eu-west,strongSwan,VM,netops,,192.0.2.10 192.0.2.11\n"
                    "peer,198.51.100.7,,,,,branch-it,Meraki branch 17,\n"
                    "router,x,,,,,,,\n")
    inv = Inventory.load(path)
    out = inv.enrich(doc("192.0.2.11"))
    assert out["tunnelsight"]["gateway"]["site"] == "AMS1"
    assert out["tunnelsight"]["peer"] == {"name": "Meraki branch 17", "owner": "branch-it"}
    assert inv.problems == ["line 4: type 'router' is neither gateway nor peer"]


@pytest.mark.parametrize(
    ("name", "text"),
    [("missing.yaml", None), ("broken.yaml", "gateways: [unclosed"), ("list.yaml", "- a\n- b\n")],
)
def test_a_bad_inventory_never_stops_the_stream(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                name: str, text: str | None) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    with caplog.at_level(logging.WARNING):
        inv = Inventory.load(path)
    assert inv.problems and caplog.records
    assert inv.enrich(doc()) == doc()


def test_broken_entries_are_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text("gateways:\n  gw1: just a string\n  gw2: {site: S2, addresses: [not-an-ip]}\n"
                    "peers:\n  10.0.0.0/33: {name: bad}\n  198.51.100.7: {name: ok}\n")
    inv = Inventory.load(path)
    assert len(inv.problems) == 3
    assert inv.enrich(doc("gw2"))["tunnelsight"]["gateway"] == {"site": "S2"}
    assert inv.enrich(doc("gw2"))["tunnelsight"]["peer"] == {"name": "ok"}


def test_unknown_names_are_logged_once(inv: Inventory, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="enrichers.inventory"):
        for _ in range(5):
            inv.enrich(doc("gw-nowhere", "192.0.2.250"))
    assert len(caplog.records) == 2  # one for the gateway, one for the peer


def test_the_sample_inventory_loads_cleanly() -> None:
    inv = Inventory.load(SAMPLE)
    assert inv.problems == []
    assert len(inv.gateways) >= 5 and len(inv.peers) + len(inv.networks) >= 5
