"""The field catalogue (schemas/fields.yaml) in code: load it, look fields up, validate documents.

Everything that names a field - the index templates, docs/fields.md, the Kibana objects, the report -
starts from here, so a field is defined once and a typo is a test failure, not an empty dashboard.
The generators live in schemas/templates.py; this module only reads and checks.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from schemas.docpath import is_ip
from schemas.failure_classes import CODES

CATALOGUE_PATH = Path(__file__).with_name("fields.yaml")
TYPES = frozenset({"keyword", "text", "date", "long", "float", "boolean", "ip", "object", "nested"})
OBJECT_TYPES = frozenset({"object", "nested"})
DEFAULT_IGNORE_ABOVE = 1024  # as ECS: long values stay in _source, only the index skips them


class CatalogueError(ValueError):
    """fields.yaml contradicts itself (a duplicate, an unknown type, a leaf that is also an object)."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str
    description: str
    section: str
    kinds: tuple[str, ...]
    ecs: bool = False
    array: bool = False
    required: tuple[str, ...] = ()
    values: tuple[Any, ...] | None = None
    ignore_above: int | None = None
    index: bool = True
    keyword: bool = False
    ignore_malformed: bool = False

    @property
    def is_object(self) -> bool:
        return self.type in OBJECT_TYPES


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    description: str
    dataset: str
    index: str  # monthly | single
    suffix: str  # the index family name: diagnoses, tunnels...


@dataclass(frozen=True)
class Catalogue:
    version: int
    kinds: dict[str, Kind]
    sections: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, description, kinds)
    by_kind: dict[str, dict[str, Field]] = field(repr=False)

    def fields(self, kind: str) -> dict[str, Field]:
        """Fields of one kind by dotted name (KeyError for an unknown kind)."""
        return self.by_kind[kind]

    def field(self, kind: str, name: str) -> Field | None:
        return self.by_kind[kind].get(name)

    def all_fields(self) -> Iterator[Field]:
        """Every entry once (a name in two sections appears twice)."""
        seen: set[tuple[str, str]] = set()
        for fields in self.by_kind.values():
            for f in fields.values():
                if (f.section, f.name) not in seen:
                    seen.add((f.section, f.name))
                    yield f

    def has(self, kind: str, name: str) -> bool:
        """A leaf or object field of the kind, or a `.keyword` subfield of a text field."""
        fields = self.by_kind[kind]
        if name in fields:
            return True
        base, _, sub = name.rpartition(".")
        return sub == "keyword" and base in fields and fields[base].keyword


def _field(section: str, kinds: tuple[str, ...], name: str, spec: Mapping[str, Any]) -> Field:
    unknown = set(spec) - {"type", "description", "ecs", "array", "required", "values", "ignore_above",
                           "index", "keyword", "ignore_malformed"}
    if unknown:
        raise CatalogueError(f"{name}: unknown keys {sorted(unknown)}")
    ftype = spec.get("type")
    if ftype not in TYPES:
        raise CatalogueError(f"{name}: type {ftype!r} is not one of {sorted(TYPES)}")
    if not spec.get("description"):
        raise CatalogueError(f"{name}: no description")
    req = spec.get("required", False)
    required = kinds if req is True else tuple(req) if isinstance(req, list) else ()
    if set(required) - set(kinds):
        raise CatalogueError(f"{name}: required for kinds outside its section")
    values = spec.get("values")
    if values == "failure_classes":
        values = tuple(sorted(CODES))
    elif values is not None:
        values = tuple(values)
    if spec.get("keyword") and ftype != "text":
        raise CatalogueError(f"{name}: a keyword subfield only makes sense on text")
    ignore_above = spec.get("ignore_above", DEFAULT_IGNORE_ABOVE if ftype == "keyword" else None)
    return Field(name=name, type=ftype, description=" ".join(str(spec["description"]).split()),
                 section=section, kinds=kinds, ecs=bool(spec.get("ecs", False)),
                 array=bool(spec.get("array", False)), required=required, values=values,
                 ignore_above=ignore_above, index=bool(spec.get("index", True)),
                 keyword=bool(spec.get("keyword", False)),
                 ignore_malformed=bool(spec.get("ignore_malformed", False)))


def parse(data: Mapping[str, Any]) -> Catalogue:
    """Build and check a catalogue from the YAML's data (tests feed small ones)."""
    kinds = {
        name: Kind(name=name, description=" ".join(str(k["description"]).split()), dataset=k["dataset"],
                   index=k["index"], suffix=k["name"])
        for name, k in data["kinds"].items()
    }
    by_kind: dict[str, dict[str, Field]] = {k: {} for k in kinds}
    sections = []
    for sec in data["sections"]:
        sec_kinds = tuple(sec["kinds"])
        if set(sec_kinds) - set(kinds):
            raise CatalogueError(f"section {sec['name']}: unknown kinds {set(sec_kinds) - set(kinds)}")
        sections.append((sec["name"], " ".join(str(sec.get("description", "")).split()), sec_kinds))
        for name, spec in sec["fields"].items():
            f = _field(sec["name"], sec_kinds, name, spec)
            for k in sec_kinds:
                if name in by_kind[k]:
                    raise CatalogueError(f"{name} defined twice for kind {k}")
                by_kind[k][name] = f
    for k, fields in by_kind.items():
        for name in fields:
            parent = name.rpartition(".")[0]
            while parent:
                p = fields.get(parent)
                if p is not None and not p.is_object:
                    raise CatalogueError(f"kind {k}: {parent} is a {p.type} and also the parent of {name}")
                parent = parent.rpartition(".")[0]
    return Catalogue(version=int(data["version"]), kinds=kinds, sections=tuple(sections), by_kind=by_kind)


@cache
def load(path: Path = CATALOGUE_PATH) -> Catalogue:
    """The project's catalogue (read once)."""
    with path.open(encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))


# --- validation ---------------------------------------------------------------------------------------


def _is_date(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):  # epoch_millis, which the default date format accepts
        return True
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True



def _type_problem(f: Field, value: Any) -> str | None:
    """Why Elasticsearch would reject (or silently drop) this value, or None."""
    t = f.type
    ok: bool
    if t == "keyword":
        ok = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    elif t == "text":
        ok = isinstance(value, str)
    elif t == "date":
        ok = _is_date(value)
    elif t == "long":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif t == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    elif t == "boolean":
        ok = isinstance(value, bool)
    elif t == "ip":
        ok = is_ip(value)
    else:
        ok = False
    if not ok:
        return f"{f.name}: {value!r} is not a valid {t}"
    if f.values is not None and value not in f.values:
        return f"{f.name}: {value!r} is not one of the catalogue's values"
    return None


def validate(doc: Mapping[str, Any], kind: str, catalogue: Catalogue | None = None) -> list[str]:
    """Problems that would make Elasticsearch reject the document, or lose a value: [] when it is fine.

    Mirrors the strict mapping: an unknown field, a wrong type, a list where one value belongs, a
    missing required field, a value outside the catalogue's list. None counts as absent, as in ES.
    """
    cat = catalogue or load()
    fields = cat.fields(kind)
    prefixes = {name.rsplit(".", i)[0] for name in fields for i in range(1, name.count(".") + 1)}
    problems: list[str] = []
    seen: set[str] = set()

    def walk(obj: Mapping[str, Any], prefix: str) -> None:
        for key, value in obj.items():
            path = f"{prefix}{key}"
            if value is None:
                continue
            f = fields.get(path)
            if f is not None and not f.is_object:
                seen.add(path)
                items = value if isinstance(value, list) else [value]
                if isinstance(value, list) and not f.array:
                    problems.append(f"{path}: a list where the catalogue has one value")
                for item in items:
                    if item is None:
                        continue
                    problem = _type_problem(f, item)
                    if problem:
                        problems.append(problem)
                continue
            if f is not None or path in prefixes:
                seen.add(path)
                if isinstance(value, Mapping):
                    walk(value, path + ".")
                elif isinstance(value, list) and f is not None and f.array:
                    for item in value:
                        if isinstance(item, Mapping):
                            walk(item, path + ".")
                        else:
                            problems.append(f"{path}: {item!r} is not an object")
                else:
                    problems.append(f"{path}: {value!r} where the catalogue has an object")
                continue
            problems.append(f"{path}: not in the catalogue for kind {kind}")

    walk(doc, "")
    for name, f in fields.items():
        if kind in f.required and name not in seen:
            problems.append(f"{name}: required for kind {kind} but missing")
    return problems
