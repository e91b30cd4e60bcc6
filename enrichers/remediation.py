"""Remediation knowledge: what to check and change, per failure class and vendor, with references.

The knowledge lives as data in enrichers/knowledge/<class>.yaml; this module loads it once and answers
`remediation_for(class, vendor)`: the vendor's entry when there is one, else the class's generic entry.
(Stub: the knowledge base is being written; the API is fixed.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Remediation:
    summary: str
    steps: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    commands: tuple[str, ...] = field(default=())  # commands to run on this vendor's box

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"summary": self.summary, "steps": list(self.steps),
                               "references": list(self.references)}
        if self.commands:
            doc["commands"] = list(self.commands)
        return doc


def remediation_for(failure_class: str, vendor: str) -> Remediation:
    """Best entry for the class on this vendor (vendor = observer.vendor, e.g. 'strongswan', 'cisco')."""
    return Remediation(summary=f"Investigate {failure_class} on the {vendor} gateway.")
