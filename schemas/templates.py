"""Generate from the field catalogue: the composable index templates, docs/fields.md; apply them.

`apply(es)` is what the stream and the demo call at start-up: it puts one index template per kind
(strict mappings, versioned) and creates the indices and aliases that must exist before the first
document (so Kibana and `tunnelsight report` find them on an empty cluster). It is idempotent.

Why templates and not `indices.create` with a mapping: the monthly diagnosis indices are created by
the first document of each month (bulk auto-creates them), and only a template can give those their
mapping and read alias. Names and ids are in schemas/indices.py.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.catalogue import Catalogue, Field, load
from schemas.indices import DEFAULT_INDICES, Indices

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = Path(__file__).with_name("index_templates")
FIELDS_DOC = ROOT / "docs" / "fields.md"
PRIORITY = 200  # above the built-in templates' 100, so ours win for our names


def _leaf_mapping(f: Field) -> dict[str, Any]:
    m: dict[str, Any] = {"type": f.type}
    if f.type == "keyword" and f.ignore_above and f.index:
        m["ignore_above"] = f.ignore_above
    if not f.index:
        m["index"] = False
        if f.type == "keyword":
            m["doc_values"] = False
    if f.ignore_malformed:
        m["ignore_malformed"] = True
    if f.keyword:
        m["fields"] = {"keyword": {"type": "keyword", "ignore_above": 1024}}
    return m


def mapping(kind: str, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """The strict mapping of one kind: a field outside the catalogue is rejected, not guessed."""
    cat = catalogue or load()
    props: dict[str, Any] = {}
    for name in sorted(cat.fields(kind)):
        f = cat.fields(kind)[name]
        node = props
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {"properties": {}})["properties"]
        if f.is_object:
            entry = node.setdefault(parts[-1], {"properties": {}})
            if f.type == "nested":
                entry["type"] = "nested"
        else:
            node[parts[-1]] = _leaf_mapping(f)
    return {
        "dynamic": "strict",
        "date_detection": False,
        "_meta": {"catalogue_version": cat.version, "kind": kind, "source": "schemas/fields.yaml"},
        "properties": props,
    }


def template(kind: str, indices: Indices = DEFAULT_INDICES, catalogue: Catalogue | None = None,
             replicas: int = 0) -> dict[str, Any]:
    """The composable index template body for `PUT _index_template/<name>`."""
    cat = catalogue or load()
    k = cat.kinds[kind]
    body: dict[str, Any] = {
        "settings": {"number_of_shards": 1, "number_of_replicas": replicas},
        "mappings": mapping(kind, cat),
    }
    if k.index == "monthly":
        body["aliases"] = {indices.family(kind): {}}  # every new month joins the read alias
    return {
        "index_patterns": [indices.pattern(kind)],
        "priority": PRIORITY,
        "version": cat.version,
        "_meta": {"description": k.description, "managed_by": "tunnelsight", "catalogue_version": cat.version},
        "template": body,
    }


def template_name(kind: str, indices: Indices = DEFAULT_INDICES) -> str:
    return indices.family(kind)


def apply(es: Any, indices: Indices = DEFAULT_INDICES, *, replicas: int = 0, now: datetime | None = None) -> list[str]:
    """Put every template, then create the single indices and this month's monthly ones (so aliases
    exist from the start). Safe to call on every start-up and from several workers at once."""
    cat = load()
    done: list[str] = []
    for kind in cat.kinds:
        es.indices.put_index_template(name=template_name(kind, indices), **template(kind, indices, cat, replicas))
        done.append(f"template {template_name(kind, indices)} v{cat.version}")
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for kind in cat.kinds:
        name = indices.index_for(kind, stamp)
        if not es.indices.exists(index=name):
            try:
                es.indices.create(index=name)
                done.append(f"index {name}")
            except Exception as exc:  # another worker created it between exists and create
                if "resource_already_exists_exception" not in str(exc):
                    raise
    _check_existing(es, indices, cat)
    return done


def _check_existing(es: Any, indices: Indices, cat: Catalogue) -> None:
    """Warn when an index was built by an older catalogue: its mapping lacks the newer fields, which
    it keeps until the next month (monthly kinds) or a reindex (single ones)."""
    for kind in cat.kinds:
        found = es.indices.get_mapping(index=indices.pattern(kind), allow_no_indices=True)
        for name, body in found.items():
            version = body.get("mappings", {}).get("_meta", {}).get("catalogue_version")
            if version != cat.version:
                log.warning("index %s was built by catalogue v%s, current is v%s", name, version, cat.version)


# --- generated files ----------------------------------------------------------------------------------


def render_templates(catalogue: Catalogue | None = None) -> dict[str, str]:
    """File name -> JSON text of every template (default prefix), as committed in index_templates/."""
    cat = catalogue or load()
    return {f"{Indices().family(kind)}.json": json.dumps(template(kind, catalogue=cat), indent=2) + "\n"
            for kind in cat.kinds}


def render_fields_doc(catalogue: Catalogue | None = None) -> str:
    """docs/fields.md: one table per section."""
    cat = catalogue or load()
    ix = Indices()
    out = [
        "# Fields",
        "",
        "Generated from `schemas/fields.yaml` by `tunnelsight indices generate`: edit the catalogue, not this",
        f"file. Catalogue version {cat.version}. ECS = the name and meaning are the Elastic Common Schema's.",
        "",
        "## Document kinds",
        "",
        "| kind | index | event.dataset | what it is |",
        "|---|---|---|---|",
    ]
    for k in cat.kinds.values():
        where = f"`{ix.pattern(k.name)}` (alias `{ix.family(k.name)}`)" if k.index == "monthly" \
            else f"`{ix.family(k.name)}`"
        out.append(f"| {k.name} | {where} | `{k.dataset}` | {k.description} |")
    by_section: dict[str, list[Field]] = {}
    for f in cat.all_fields():
        by_section.setdefault(f.section, []).append(f)
    for name, description, kinds in cat.sections:
        out += ["", f"## {name}", "", f"{description} Kinds: {', '.join(kinds)}.", "",
                "| field | type | ECS | required | description |", "|---|---|---|---|---|"]
        for f in sorted(by_section.get(name, []), key=lambda x: x.name):
            t = f.type + ("[]" if f.array else "")
            if f.keyword:
                t += " + .keyword"
            if not f.index:
                t += " (not indexed)"
            req = ", ".join(f.required) if f.required else ""
            desc = f.description.replace("|", "\\|")
            if f.values is not None and len(f.values) <= 8:
                desc += " Values: " + ", ".join(f"`{v}`" for v in f.values) + "."
            out.append(f"| `{f.name}` | {t} | {'yes' if f.ecs else ''} | {req} | {desc} |")
    return "\n".join(out) + "\n"


def generate(check: bool = False) -> list[Path]:
    """Write (or, with check, compare) the generated files; returns those that differ."""
    wanted = {TEMPLATES_DIR / name: text for name, text in render_templates().items()}
    wanted[FIELDS_DOC] = render_fields_doc()
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if not check:
        for p in stale:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(wanted[p], encoding="utf-8")
    return stale
