"""Inventory enrichment: who owns a gateway, where it stands, which partner is behind a peer address.

The inventory is a file the network team already keeps (YAML, or CSV exported from a CMDB); see
enrichers/samples/inventory.yaml. `Inventory.enrich(doc)` adds `tunnelsight.gateway.*` (site, region,
vendor, model, owner) and `tunnelsight.peer.*` (name, owner) to a diagnosis, tunnel or incident
document. A missing file, a broken file or a broken entry never stops the stream: it is logged once and
the documents go out without those fields. What the fields mean is in schemas/fields.yaml.

YAML:
    gateways:
      gw-ams-01: {site: AMS1, region: eu-west, vendor: strongSwan, model: x86 VM, owner: netops-eu,
                  addresses: [192.0.2.10]}
    peers:
      198.51.100.7: {name: Meraki branch 17, owner: branch-it}
      203.0.113.0/24: {name: Partner Acme}          # a network: the longest prefix wins
CSV (header required): type,key,site,region,vendor,model,owner,name,addresses
    gateway,gw-ams-01,AMS1,eu-west,strongSwan,x86 VM,netops-eu,,192.0.2.10 192.0.2.11
    peer,198.51.100.7,,,,,branch-it,Meraki branch 17,
"""

from __future__ import annotations

import copy
import csv
import ipaddress
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)

GATEWAY_FIELDS = ("site", "region", "vendor", "model", "owner")
PEER_FIELDS = ("name", "owner")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class Inventory:
    """Lookups by gateway name or address and by peer address or network. Empty is valid."""

    gateways: dict[str, dict[str, str]] = field(default_factory=dict)
    gateway_addresses: dict[str, str] = field(default_factory=dict)  # address -> gateway name
    peers: dict[str, dict[str, str]] = field(default_factory=dict)  # normalised address -> fields
    networks: list[tuple[Network, dict[str, str]]] = field(default_factory=list)  # longest prefix first
    problems: list[str] = field(default_factory=list)
    _warned: set[str] = field(default_factory=set, repr=False)

    # --- loading ---

    @classmethod
    def load(cls, path: str | Path | None) -> Inventory:
        """Read a YAML or CSV inventory; any trouble gives an (partly) empty inventory and a log line."""
        inv = cls()
        if path is None:
            return inv
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            log.warning("inventory %s unreadable (%s): documents go out without inventory fields", p, exc)
            inv.problems.append(f"{p}: {exc}")
            return inv
        try:
            if p.suffix.lower() == ".csv":
                inv._load_rows(csv.DictReader(text.splitlines()))
            else:
                inv._load_mapping(yaml.safe_load(text) or {})
        except (yaml.YAMLError, csv.Error, AttributeError, TypeError) as exc:
            log.warning("inventory %s is broken (%s): documents go out without inventory fields", p, exc)
            inv.problems.append(f"{p}: {exc}")
            return cls(problems=inv.problems)
        for problem in inv.problems:
            log.warning("inventory %s: %s (entry skipped)", p, problem)
        return inv

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Inventory:
        inv = cls()
        inv._load_mapping(data)
        return inv

    def _load_mapping(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            raise TypeError("the inventory is not a mapping with gateways: and peers:")
        for name, entry in (data.get("gateways") or {}).items():
            self._add_gateway(str(name), entry)
        for key, entry in (data.get("peers") or {}).items():
            self._add_peer(str(key), entry)
        self.networks.sort(key=lambda item: item[0].prefixlen, reverse=True)

    def _load_rows(self, rows: Iterable[dict[str, str]]) -> None:
        for n, row in enumerate(rows, start=2):
            kind = (row.get("type") or "").strip().lower()
            key = (row.get("key") or "").strip()
            entry: dict[str, Any] = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
            if "addresses" in entry:
                entry["addresses"] = entry["addresses"].split()
            if kind == "gateway":
                self._add_gateway(key, entry)
            elif kind == "peer":
                self._add_peer(key, entry)
            else:
                self.problems.append(f"line {n}: type {kind!r} is neither gateway nor peer")
        self.networks.sort(key=lambda item: item[0].prefixlen, reverse=True)

    def _add_gateway(self, name: str, entry: Any) -> None:
        if not name or not isinstance(entry, Mapping):
            self.problems.append(f"gateway {name!r}: not a mapping of {', '.join(GATEWAY_FIELDS)}")
            return
        self.gateways[name] = {k: str(entry[k]) for k in GATEWAY_FIELDS if entry.get(k) not in (None, "")}
        for addr in entry.get("addresses") or ():
            norm = _normalise(str(addr))
            if norm is None:
                self.problems.append(f"gateway {name}: {addr!r} is not an address")
            else:
                self.gateway_addresses[norm] = name

    def _add_peer(self, key: str, entry: Any) -> None:
        if isinstance(entry, str):  # `198.51.100.7: Partner Acme`
            entry = {"name": entry}
        if not isinstance(entry, Mapping):
            self.problems.append(f"peer {key!r}: not a name or a mapping of {', '.join(PEER_FIELDS)}")
            return
        fields = {k: str(entry[k]) for k in PEER_FIELDS if entry.get(k) not in (None, "")}
        if "/" in key:
            try:
                self.networks.append((ipaddress.ip_network(key, strict=False), fields))
            except ValueError:
                self.problems.append(f"peer {key!r}: not a network")
            return
        norm = _normalise(key)
        self.peers[norm or key] = fields  # a peer may be named by its IKE id when it has no fixed address

    # --- lookups ---

    def gateway(self, hostname: str | None, address: str | None = None) -> dict[str, str] | None:
        if hostname and hostname in self.gateways:
            return self.gateways[hostname]
        for key in (hostname, address):
            norm = _normalise(key) if key else None
            if norm and norm in self.gateway_addresses:
                return self.gateways.get(self.gateway_addresses[norm])
        return None

    def peer(self, address: str | None, ike_id: str | None = None) -> dict[str, str] | None:
        norm = _normalise(address) if address else None
        if norm and norm in self.peers:
            return self.peers[norm]
        if ike_id and ike_id in self.peers:
            return self.peers[ike_id]
        if norm and norm in self.gateway_addresses:  # the far end is a gateway of our own fleet
            name = self.gateway_addresses[norm]
            owner = self.gateways.get(name, {}).get("owner")
            return {"name": name, **({"owner": owner} if owner else {})}
        if norm:
            ip = ipaddress.ip_address(norm)
            for net, fields in self.networks:
                if ip.version == net.version and ip in net:
                    return fields
        return None

    def enrich(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of the document with the inventory's fields; unknown names are logged once each."""
        out = copy.deepcopy(dict(doc))
        observer = out.get("observer") or {}
        vpn = out.get("vpn") or {}
        local, remote = vpn.get("local") or {}, vpn.get("remote") or {}
        hostname, peer_ip = observer.get("hostname"), remote.get("ip")
        ts = out.setdefault("tunnelsight", {})
        if hostname or local.get("ip"):
            gw = self.gateway(hostname, local.get("ip"))
            if gw:
                ts["gateway"] = {**ts.get("gateway", {}), **gw}
            else:
                self._warn_once(f"gateway {hostname or local.get('ip')}")
        if peer_ip or remote.get("id"):
            peer = self.peer(peer_ip, remote.get("id"))
            if peer:
                ts["peer"] = {**ts.get("peer", {}), **peer}
            else:
                self._warn_once(f"peer {peer_ip or remote.get('id')}")
        if not ts:
            del out["tunnelsight"]
        return out

    def _warn_once(self, what: str) -> None:
        if what not in self._warned and len(self._warned) < 10_000:
            self._warned.add(what)
            log.info("inventory has no entry for %s", what)


def _normalise(address: str) -> str | None:
    """The canonical text of an address (IPv6 compressed), or None for a name."""
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def enrich_all(docs: Iterable[Mapping[str, Any]], inventory: Inventory) -> list[dict[str, Any]]:
    return [inventory.enrich(d) for d in docs]
