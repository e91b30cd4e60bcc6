"""Remediation knowledge: what to check and change, per failure class and vendor, with references.

The knowledge lives as data in enrichers/knowledge/<class>.yaml (one file per failure class, a `generic`
entry and one entry per `observer.vendor` where the class exists); this module loads it once, validates it
against schemas.failure_classes.CATALOGUE and answers `remediation_for(class, vendor)`: the vendor's entry
when there is one, else the class's generic entry; a class code the catalogue does not know gets the
`unknown` entry. How failures are recognised lives elsewhere (streams/); docs/remediation.md tells how to
add an entry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from schemas.failure_classes import CODES

# observer.vendor values the parsers emit (streams/parse/dialects/*: `vendor = ...`), in the order docs list them.
VENDORS: tuple[str, ...] = (
    "strongswan", "libreswan", "cisco", "cisco_asa", "meraki", "fortinet", "paloalto", "juniper", "mikrotik",
)
UNKNOWN = "unknown"
KNOWLEDGE_PACKAGE = "enrichers.knowledge"

_FILE_KEYS = frozenset({"class", "generic", "vendors"})
_ENTRY_KEYS = frozenset({"summary", "steps", "commands", "references", "notes"})
_LIST_KEYS = ("steps", "commands", "references", "notes")


class KnowledgeError(ValueError):
    """The knowledge base is incomplete or a file in it is malformed; the message names every bad file."""


@dataclass(frozen=True, slots=True)
class Remediation:
    summary: str
    steps: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    commands: tuple[str, ...] = field(default=())  # commands to run on this vendor's box
    notes: tuple[str, ...] = ()  # false positives and caveats, for people reading the knowledge base
    failure_class: str = ""  # the class whose entry answered (`unknown` for a code the catalogue lacks)
    vendor: str | None = None  # the vendor whose entry answered; None when the generic entry did

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"summary": self.summary, "steps": list(self.steps),
                               "references": list(self.references)}
        if self.commands:
            doc["commands"] = list(self.commands)
        return doc


@dataclass(frozen=True, slots=True)
class ClassKnowledge:
    """Everything known about one failure class: its generic entry and its per-vendor entries."""

    code: str
    generic: Remediation
    vendors: Mapping[str, Remediation]


class KnowledgeBase:
    """The validated knowledge base: one ClassKnowledge per failure-class code."""

    def __init__(self, classes: Mapping[str, ClassKnowledge]) -> None:
        self._classes = MappingProxyType(dict(classes))

    @property
    def classes(self) -> Mapping[str, ClassKnowledge]:
        return self._classes

    def remediation_for(self, failure_class: str, vendor: str | None) -> Remediation:
        known = self._classes.get(failure_class) or self._classes[UNKNOWN]
        return known.vendors.get(_vendor_key(vendor), known.generic)

    def vendors_for(self, failure_class: str) -> tuple[str, ...]:
        """Vendors with their own entry for this class, in VENDORS order; () for a code not in the base."""
        known = self._classes.get(failure_class)
        return tuple(v for v in VENDORS if known and v in known.vendors)


def _vendor_key(vendor: str | None) -> str:
    return vendor.strip().lower() if vendor else ""


# ---------------------------------------------------------------------------------------------- loading


def load_knowledge(source: Traversable | Path | None = None) -> KnowledgeBase:
    """Load and validate every <class>.yaml in `source` (default: the packaged enrichers/knowledge).

    Raises KnowledgeError listing every problem, each prefixed with the file it is in.
    """
    root: Traversable | Path = source if source is not None else resources.files(KNOWLEDGE_PACKAGE)
    problems: list[str] = []
    classes: dict[str, ClassKnowledge] = {}
    present: set[str] = set()  # codes with a file, readable or not
    for item in sorted(root.iterdir(), key=lambda t: t.name):
        if not item.is_file() or not item.name.endswith((".yaml", ".yml")):
            continue
        code = item.name.rsplit(".", 1)[0]
        if code not in CODES:
            problems.append(f"{item.name}: no failure class {code!r} in schemas.failure_classes.CATALOGUE")
            continue
        if code in present:
            problems.append(f"{item.name}: a second file for failure class {code!r}")
            continue
        present.add(code)
        parsed = _parse_file(item, code, problems)
        if parsed is not None:
            classes[code] = parsed
    for code in sorted(CODES - present):
        problems.append(f"{code}.yaml: missing; every failure class needs a knowledge file")
    if problems:
        raise KnowledgeError("remediation knowledge is invalid:\n  " + "\n  ".join(problems))
    return KnowledgeBase(classes)


def _parse_file(item: Traversable | Path, code: str, problems: list[str]) -> ClassKnowledge | None:
    name = item.name
    try:
        data = yaml.safe_load(item.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{name}: cannot be read as YAML: {exc}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{name}: must be a mapping with keys {sorted(_FILE_KEYS)}")
        return None
    before = len(problems)
    unknown_keys = set(data) - _FILE_KEYS
    if unknown_keys:
        problems.append(f"{name}: unknown keys {sorted(map(str, unknown_keys))}")
    if data.get("class") != code:
        problems.append(f"{name}: 'class' is {data.get('class')!r}, expected {code!r} (the file name)")
    generic = _parse_entry(name, "generic", data.get("generic"), code, None, problems)
    vendors: dict[str, Remediation] = {}
    raw_vendors = data.get("vendors") or {}
    if not isinstance(raw_vendors, dict):
        problems.append(f"{name}: 'vendors' must be a mapping of vendor -> entry")
        raw_vendors = {}
    for vendor, raw in raw_vendors.items():
        if vendor not in VENDORS:
            problems.append(f"{name}: vendors.{vendor}: not an observer.vendor the parsers emit {list(VENDORS)}")
            continue
        entry = _parse_entry(name, f"vendors.{vendor}", raw, code, vendor, problems)
        if entry is not None:
            vendors[vendor] = entry
    if generic is None or len(problems) > before:
        return None
    return ClassKnowledge(code=code, generic=generic, vendors=MappingProxyType(vendors))


def _parse_entry(name: str, where: str, raw: object, code: str, vendor: str | None,
                 problems: list[str]) -> Remediation | None:
    at = f"{name}: {where}"
    if not isinstance(raw, dict):
        problems.append(f"{at}: missing or not a mapping")
        return None
    before = len(problems)
    unknown_keys = set(raw) - _ENTRY_KEYS
    if unknown_keys:
        problems.append(f"{at}: unknown keys {sorted(map(str, unknown_keys))}")
    summary = raw.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        problems.append(f"{at}: 'summary' must be a non-empty string")
    lists = {key: _string_list(at, key, raw.get(key), problems) for key in _LIST_KEYS}
    if not lists["references"]:
        problems.append(f"{at}: needs at least one reference")
    if vendor is not None and not lists["commands"]:
        problems.append(f"{at}: a vendor entry needs at least one command to run on the box")
    if len(problems) > before or not isinstance(summary, str):
        return None
    return Remediation(summary=summary.strip(), steps=lists["steps"], references=lists["references"],
                       commands=lists["commands"], notes=lists["notes"], failure_class=code, vendor=vendor)


def _string_list(at: str, key: str, value: object, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    # An unquoted "a: b" list item parses as a mapping: the commonest slip when editing these files.
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{at}: '{key}' must be a list of non-empty strings (quote items containing ': ')")
        return ()
    return tuple(v.strip() for v in value)


# ------------------------------------------------------------------------------------------- public API


@functools.cache
def knowledge() -> KnowledgeBase:
    """The packaged knowledge base, loaded and validated on first use."""
    return load_knowledge()


def remediation_for(failure_class: str, vendor: str) -> Remediation:
    """Best entry for the class on this vendor (vendor = observer.vendor, e.g. 'strongswan', 'cisco')."""
    return knowledge().remediation_for(failure_class, vendor)


def vendors_for(failure_class: str) -> tuple[str, ...]:
    """Vendors that have their own entry for this class (the others get the generic entry)."""
    return knowledge().vendors_for(failure_class)
