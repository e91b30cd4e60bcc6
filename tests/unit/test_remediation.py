"""The remediation knowledge base: complete, well-formed, and answering by class and vendor."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from enrichers import remediation
from enrichers.remediation import (
    VENDORS,
    KnowledgeError,
    Remediation,
    knowledge,
    load_knowledge,
    remediation_for,
    vendors_for,
)
from schemas.failure_classes import CODES

KNOWLEDGE_DIR = Path(remediation.__file__).parent / "knowledge"
DOC = Path(__file__).resolve().parents[2] / "docs" / "remediation.md"

ALL = frozenset(VENDORS)
LINUX = frozenset({"strongswan", "libreswan"})
# Where each class exists, so where a vendor entry is required. Adding a vendor entry means adding it
# here too, on purpose: the table is the coverage contract reviewers read.
EXPECTED_VENDORS: dict[str, frozenset[str]] = {
    "ike.proposal_mismatch": ALL,
    "ike.dh_group_mismatch": ALL,
    "ike.auth_failed.psk_mismatch": ALL,
    "ike.auth_failed.certificate": ALL - {"meraki"},  # MX non-Meraki peers: pre-shared keys only
    "ike.auth_failed": ALL,
    "ike.id_mismatch": ALL,
    "ike.psk_not_found": LINUX | {"cisco", "cisco_asa"},
    "ike.invalid_version": ALL,
    "ike.attributes_not_supported": LINUX,
    "ike.peer_unreachable": ALL,
    "ike.dpd_timeout": ALL,
    "ike.unauthenticated_quick_mode": frozenset({"cisco"}),
    "ike.phase1_failed": ALL,
    "child.ts_unacceptable": ALL,
    "child.mode_mismatch": LINUX | {"cisco", "cisco_asa", "fortinet", "mikrotik"},
    "child.proposal_mismatch": ALL,
    "child.rekey_pfs_mismatch": ALL,
    "kernel.cipher_unsupported": LINUX,
    "control.vici_message_too_large": frozenset({"strongswan"}),
    "dataplane.replay_check_failed": ALL - {"meraki", "mikrotik"},
    "dataplane.integrity_check_failed": ALL - {"meraki", "mikrotik"},
    "dataplane.invalid_identity": frozenset({"cisco"}),
    "unknown": ALL,
}

# First word(s) a command may start with on each vendor's box: catches an entry pasted under the wrong vendor.
COMMAND_PREFIXES: dict[str, tuple[str, ...]] = {
    "strongswan": ("swanctl ", "ipsec ", "ip ", "cat ", "lsmod", "modprobe ", "tcpdump ", "journalctl ",
                   "pki ", "openssl ", "ethtool "),
    "libreswan": ("ipsec ", "ip ", "cat ", "lsmod", "modprobe ", "tcpdump ", "journalctl ", "certutil "),
    "cisco": ("show ", "debug ", "undebug ", "clear ", "ping "),
    "cisco_asa": ("show ", "debug ", "undebug ", "clear ", "more ", "packet-tracer ", "capture "),
    "meraki": ("curl ",),
    "fortinet": ("diagnose ", "get ", "show ", "execute "),
    "paloalto": ("show ", "test ", "less ", "tail ", "debug ", "clear "),
    "juniper": ("show ", "request ", "clear "),
    "mikrotik": ("/",),
}


def entries() -> list[tuple[str, str | None, Remediation]]:
    out: list[tuple[str, str | None, Remediation]] = []
    for code, known in knowledge().classes.items():
        out.append((code, None, known.generic))
        out.extend((code, vendor, entry) for vendor, entry in known.vendors.items())
    return out


def test_every_catalogue_class_has_a_file_and_no_file_is_extra() -> None:
    files = {p.name.removesuffix(".yaml") for p in KNOWLEDGE_DIR.glob("*.yaml")}
    assert files == set(CODES)
    assert set(EXPECTED_VENDORS) == set(CODES)


@pytest.mark.parametrize("path", sorted(KNOWLEDGE_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_yaml_files_load(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["class"] == path.name.removesuffix(".yaml")
    assert isinstance(data["generic"], dict)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_class_has_a_generic_entry(code: str) -> None:
    generic = knowledge().classes[code].generic
    assert generic.summary and generic.steps and generic.references
    assert generic.vendor is None and generic.failure_class == code


@pytest.mark.parametrize("code", sorted(CODES))
def test_classes_have_an_entry_for_each_vendor_they_exist_on(code: str) -> None:
    assert set(vendors_for(code)) == EXPECTED_VENDORS[code]
    for vendor in EXPECTED_VENDORS[code]:
        entry = remediation_for(code, vendor)
        assert entry.vendor == vendor and entry.failure_class == code


def test_every_entry_has_summary_references_and_vendor_entries_have_commands() -> None:
    for code, vendor, entry in entries():
        where = f"{code}/{vendor or 'generic'}"
        assert entry.summary.strip(), where
        assert entry.references, where
        assert all(r.strip() for r in entry.references), where
        if vendor is not None:
            assert entry.commands, where


def test_vendor_commands_look_like_that_vendors_cli() -> None:
    for code, vendor, entry in entries():
        if vendor is None:
            continue
        for command in entry.commands:
            assert command.startswith(COMMAND_PREFIXES[vendor]), f"{code}/{vendor}: {command!r}"


def test_vendor_entry_wins_generic_is_the_fallback() -> None:
    generic = knowledge().classes["child.ts_unacceptable"].generic
    assert remediation_for("child.ts_unacceptable", "strongswan") != generic
    assert remediation_for("child.ts_unacceptable", "no-such-vendor") == generic
    assert remediation_for("child.ts_unacceptable", "") == generic
    assert remediation_for("child.ts_unacceptable", " StrongSwan ").vendor == "strongswan"
    # a class that does not exist on a vendor answers with its generic entry
    assert remediation_for("control.vici_message_too_large", "cisco").vendor is None


def test_unknown_class_code_gets_the_unknown_entry() -> None:
    assert remediation_for("no.such.class", "juniper") == remediation_for("unknown", "juniper")
    assert remediation_for("no.such.class", "juniper").failure_class == "unknown"
    assert remediation_for("no.such.class", "no-such-vendor") == knowledge().classes["unknown"].generic
    assert vendors_for("no.such.class") == ()


def test_unknown_entry_tells_how_to_get_more_evidence() -> None:
    generic = knowledge().classes["unknown"].generic
    text = " ".join((generic.summary, *generic.steps)).lower()
    assert "log level" in text and "responder" in text and "manually" in text
    assert remediation_for("unknown", "strongswan").commands[1] == "swanctl -i -i <ike> -c <child>"


def test_key_references_are_cited() -> None:
    def refs(code: str) -> str:
        return " ".join(knowledge().classes[code].generic.references)

    assert "RFC 7296 §2.9" in refs("child.ts_unacceptable")
    assert "RFC 7296 §1.3" in refs("child.rekey_pfs_mismatch") and "§2.7" in refs("child.rekey_pfs_mismatch")
    assert "shared reference 000" in refs("child.ts_unacceptable")
    assert "shared reference 004" in refs("dataplane.invalid_identity")


def test_to_doc_keeps_the_indexed_shape() -> None:
    doc = remediation_for("child.ts_unacceptable", "strongswan").to_doc()
    assert set(doc) == {"summary", "steps", "references", "commands"}
    assert set(knowledge().classes["unknown"].generic.to_doc()) == {"summary", "steps", "references"}


def test_knowledge_is_loaded_once() -> None:
    assert knowledge() is knowledge()


def test_docs_coverage_table_matches_the_knowledge_base() -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    table: dict[str, set[str]] = {}
    header = next(line for line in DOC.read_text(encoding="utf-8").splitlines()
                  if line.startswith("| class |"))
    columns = [c.strip() for c in header.strip("|").split("|")][1:]
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        code = cells[0].strip("`")
        table[code] = {vendor for vendor, cell in zip(columns, cells[1:], strict=False) if cell == "✓"}
    assert table == {code: set(EXPECTED_VENDORS[code]) for code in CODES}


# ------------------------------------------------------------------------------ broken knowledge bases


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_a_copy_of_the_knowledge_loads(kb_copy: Path) -> None:
    assert set(load_knowledge(kb_copy).classes) == set(CODES)


def test_broken_yaml_names_the_file(kb_copy: Path) -> None:
    (kb_copy / "ike.dpd_timeout.yaml").write_text("class: ike.dpd_timeout\ngeneric: [unclosed\n")
    with pytest.raises(KnowledgeError, match=re.escape("ike.dpd_timeout.yaml: cannot be read as YAML")):
        load_knowledge(kb_copy)


def test_unquoted_colon_in_a_step_names_file_and_entry(kb_copy: Path) -> None:
    path = kb_copy / "child.mode_mismatch.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    - Check the IPsec mode", "    - Check this: the IPsec mode", 1))
    with pytest.raises(KnowledgeError, match=re.escape("child.mode_mismatch.yaml: generic: 'steps'")):
        load_knowledge(kb_copy)


def test_missing_file_is_reported(kb_copy: Path) -> None:
    (kb_copy / "ike.psk_not_found.yaml").unlink()
    with pytest.raises(KnowledgeError, match=re.escape("ike.psk_not_found.yaml: missing")):
        load_knowledge(kb_copy)


def test_file_for_an_unknown_class_is_reported(kb_copy: Path) -> None:
    shutil.copy(kb_copy / "unknown.yaml", kb_copy / "ike.made_up.yaml")
    with pytest.raises(KnowledgeError, match=re.escape("ike.made_up.yaml: no failure class 'ike.made_up'")):
        load_knowledge(kb_copy)


def test_entry_without_references_or_summary_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "dataplane.invalid_identity.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["vendors"]["cisco"]["references"]
    data["generic"]["summary"] = ""
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kb_copy)
    message = str(info.value)
    assert "dataplane.invalid_identity.yaml: vendors.cisco: needs at least one reference" in message
    assert "dataplane.invalid_identity.yaml: generic: 'summary' must be a non-empty string" in message


def test_vendor_entry_without_commands_and_unknown_vendor_are_reported(kb_copy: Path) -> None:
    path = kb_copy / "kernel.cipher_unsupported.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["vendors"]["libreswan"]["commands"]
    data["vendors"]["openswan"] = data["vendors"]["strongswan"]
    data["class"] = "kernel.other"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kb_copy)
    message = str(info.value)
    assert "kernel.cipher_unsupported.yaml: vendors.libreswan: a vendor entry needs at least one command" in message
    assert "kernel.cipher_unsupported.yaml: vendors.openswan: not an observer.vendor" in message
    assert "kernel.cipher_unsupported.yaml: 'class' is 'kernel.other'" in message
