"""One renderer per vendor: abstract steps in, that vendor's exact log lines out.

RENDERERS maps the dialect name (the same names as streams/parse/dialects) to its renderer class.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer
from streams.simulate.vendors.cisco_asa import CiscoAsa
from streams.simulate.vendors.cisco_ios import CiscoIos
from streams.simulate.vendors.fortigate import Fortigate
from streams.simulate.vendors.juniper import Juniper
from streams.simulate.vendors.libreswan import Libreswan
from streams.simulate.vendors.meraki import Meraki
from streams.simulate.vendors.mikrotik import Mikrotik
from streams.simulate.vendors.paloalto import Paloalto
from streams.simulate.vendors.strongswan import Strongswan

RENDERERS: dict[str, type[Renderer]] = {
    r.vendor: r
    for r in (Strongswan, Libreswan, CiscoIos, CiscoAsa, Fortigate, Paloalto, Juniper, Meraki, Mikrotik)
}


def supports(vendor: str, cls: str) -> bool:
    """Whether `vendor` logs evidence of failure class `cls` (so it can be injected there)."""
    return cls in RENDERERS[vendor].classes


def versions(vendor: str, cls: str) -> tuple[int, ...]:
    """IKE versions on which `vendor` shows class `cls`."""
    r = RENDERERS[vendor]
    return r.class_versions.get(cls, r.versions)


def renders(vendor: str, kind: str) -> bool:
    """Whether `vendor` prints anything for a step of this kind."""
    return kind in RENDERERS[vendor].steps
