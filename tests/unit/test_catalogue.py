"""The field catalogue: consistent, generated files fresh, the validator mirrors the strict mapping."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from schemas.catalogue import CatalogueError, load, parse, validate
from schemas.failure_classes import CODES
from schemas.templates import generate, mapping, template

# The shared folder lies beside the repository (CI copies it there too).
EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "diagnosis-example.json"


@pytest.fixture
def example() -> dict[str, Any]:
    """The shared example document when present, else the same shape inline."""
    if EXAMPLE.exists():
        doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
        doc.pop("_comment", None)
        doc["tunnelsight"]["id"] = "b3f1c2"
        return doc
    return {
        "@timestamp": "2026-02-05T21:29:53Z",
        "event": {"kind": "event", "category": ["network"], "type": ["connection", "error"],
                  "action": "child_sa_failed", "outcome": "failure", "dataset": "tunnelsight.diagnosis"},
        "observer": {"hostname": "gw-ams-01", "vendor": "strongswan"},
        "vpn": {"remote": {"ip": "198.51.100.7"}, "failure": {"class": "child.ts_unacceptable"},
                "evidence": ["a line"]},
        "related": {"ip": ["198.51.100.7"]},
        "tunnelsight": {"id": "b3f1c2"},
    }


def test_generated_files_are_up_to_date() -> None:
    stale = generate(check=True)
    assert stale == [], f"run `tunnelsight indices generate`: {stale}"


def test_every_kind_has_time_dataset_and_a_strict_versioned_template() -> None:
    cat = load()
    for kind in cat.kinds:
        fields = cat.fields(kind)
        assert "@timestamp" in fields and "event.dataset" in fields
        t = template(kind)
        assert t["version"] == cat.version
        assert t["template"]["mappings"]["dynamic"] == "strict"
        assert t["template"]["mappings"]["_meta"]["catalogue_version"] == cat.version


def test_failure_classes_are_the_catalogue_in_code() -> None:
    f = load().field("diagnosis", "vpn.failure.class")
    assert f is not None and set(f.values or ()) == CODES


def test_mapping_choices_for_awkward_values() -> None:
    props = mapping("diagnosis")["properties"]
    # a gateway may be known by an address or a name: never type ip
    assert props["observer"]["properties"]["hostname"]["type"] == "keyword"
    # long evidence lines: searchable text, aggregatable keyword that skips the longest
    evidence = props["vpn"]["properties"]["evidence"]
    assert evidence["type"] == "text" and evidence["fields"]["keyword"]["ignore_above"] == 1024
    # a hostname in an address field must not reject the whole diagnosis
    assert props["vpn"]["properties"]["remote"]["properties"]["ip"] == {"type": "ip", "ignore_malformed": True}
    event = mapping("event")["properties"]["event"]["properties"]["original"]
    assert event == {"type": "keyword", "index": False, "doc_values": False}


def test_the_example_document_validates(example: dict[str, Any]) -> None:
    assert validate(example, "diagnosis") == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(extra=1), "extra: not in the catalogue"),
        (lambda d: d["vpn"].update(attempts="4"), "vpn.attempts: '4' is not a valid long"),
        (lambda d: d["vpn"]["remote"].update(ip="peer.example.net"), "vpn.remote.ip: 'peer.example.net'"),
        (lambda d: d["vpn"]["failure"].update({"class": "ike.bogus"}), "not one of the catalogue's values"),
        (lambda d: d["observer"].update(hostname=["a", "b"]), "observer.hostname: a list"),
        (lambda d: d.pop("@timestamp"), "@timestamp: required"),
        (lambda d: d.update({"@timestamp": "yesterday"}), "@timestamp: 'yesterday' is not a valid date"),
        (lambda d: d["vpn"].update(remote="198.51.100.7"), "where the catalogue has an object"),
        (lambda d: d["vpn"].update(flapping="no"), "vpn.flapping: 'no' is not a valid boolean"),
    ],
)
def test_validator_finds_what_es_would_reject(example: dict[str, Any], change: Any, problem: str) -> None:
    doc = copy.deepcopy(example)
    change(doc)
    problems = validate(doc, "diagnosis")
    assert any(problem in p for p in problems), problems


def test_validator_accepts_ipv6_nulls_and_object_arrays(example: dict[str, Any]) -> None:
    doc = copy.deepcopy(example)
    doc["vpn"]["remote"]["ip"] = "2001:db8::7"
    doc["related"]["ip"] = ["2001:db8::7", "192.0.2.10"]
    doc["vpn"]["connection"] = None
    doc["vpn"]["tunnel"] = {"ends": [{"hostname": "a", "class": "ike.peer_unreachable"}, {"hostname": "b"}]}
    assert validate(doc, "diagnosis") == []


def test_catalogue_rejects_contradictions() -> None:
    base: dict[str, Any] = {"version": 1, "kinds": {"k": {"description": "d", "dataset": "x", "index": "single",
                                                          "name": "k"}}}
    leaf_and_parent = {**base, "sections": [{"name": "s", "kinds": ["k"], "fields": {
        "a": {"type": "keyword", "description": "x"}, "a.b": {"type": "keyword", "description": "x"}}}]}
    with pytest.raises(CatalogueError, match="also the parent"):
        parse(leaf_and_parent)
    bad_type = {**base, "sections": [{"name": "s", "kinds": ["k"], "fields": {
        "a": {"type": "string", "description": "x"}}}]}
    with pytest.raises(CatalogueError, match="type"):
        parse(bad_type)
    twice = {**base, "sections": [
        {"name": "s", "kinds": ["k"], "fields": {"a": {"type": "keyword", "description": "x"}}},
        {"name": "t", "kinds": ["k"], "fields": {"a": {"type": "keyword", "description": "x"}}}]}
    with pytest.raises(CatalogueError, match="twice"):
        parse(twice)


def test_every_field_has_a_description_and_ecs_names_look_like_ecs() -> None:
    ecs_roots = {"@timestamp", "event", "observer", "source", "destination", "network", "related", "error",
                 "message", "process", "log", "rule"}
    for f in load().all_fields():
        assert f.description
        root = f.name.split(".")[0]
        if f.ecs:
            assert root in ecs_roots, f.name
        else:
            assert root in {"vpn", "tunnelsight", "log"}, f.name
