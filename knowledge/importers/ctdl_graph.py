"""A tolerant reader for CTDL JSON-LD as the Credential Engine Registry publishes it.

The registry and its examples come in several shapes: a ``@graph`` of
compacted nodes (``ceterms:name``), expanded JSON-LD (full IRIs, values as
``[{"@value": ...}]``), bare lists of nodes, and nodes wrapped in verifiable
credentials. Full JSON-LD processing would need the remote CTDL context, which
is not fetched at run time; instead every key and type is reduced to its
local name (``ceterms:name`` and ``https://purl.org/ctdl/terms/name`` both
become ``name``) and values are unwrapped. That is enough for the terms the
importer maps, and unknown terms are simply ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from knowledge.importers.common import as_number

_PREFIXES = (
    "https://purl.org/ctdl/terms/",
    "http://purl.org/ctdl/terms/",
    "https://purl.org/ctdlasn/terms/",
    "http://purl.org/ctdlasn/terms/",
    "https://credreg.net/ctdl/terms/",
    "https://schema.org/",
    "http://schema.org/",
    "ceterms:",
    "ceasn:",
    "schema:",
    "asn:",
    "skos:",
    "_:",
)

Node = dict[str, Any]


def local(name: str) -> str:
    """``ceterms:Course`` / ``https://purl.org/ctdl/terms/Course`` -> ``Course``."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class Graph:
    """Every node with an id, by id; embedded nodes stay reachable from their parents."""

    def __init__(self, data: Any) -> None:
        self.nodes: dict[str, Node] = {}
        self.roots: list[Node] = []
        #: Prefixes the file's own contexts define (``"res": "https://..."``), so
        #: compact ids such as ``res:ce-1234`` expand to the registry IRI.
        self.prefixes: dict[str, str] = {}
        _collect_prefixes(data, self.prefixes)
        for item in _top_level(data):
            if isinstance(item, dict):
                self.roots.append(self._normalise(item))

    def _normalise(self, raw: dict[str, Any]) -> Node:
        node: Node = {}
        for key, value in raw.items():
            if key in ("@id", "id"):
                node["@id"] = self.expand(value if isinstance(value, str) else str(value))
            elif key in ("@type", "type"):
                values = value if isinstance(value, list) else [value]
                node["@type"] = [local(str(v)) for v in values if v is not None]
            elif key == "@context":
                continue
            else:
                node[local(key)] = self._value(value)
        node_id = node.get("@id")
        if isinstance(node_id, str) and (len(node) > 1 or node_id not in self.nodes):
            existing = self.nodes.get(node_id)
            if existing is None or len(node) > len(existing):
                self.nodes[node_id] = node
        return node

    def _value(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._value(item) for item in value]
        if isinstance(value, dict):
            if "@value" in value:
                return value["@value"]
            if "@list" in value:
                return self._value(value["@list"])
            if set(value) == {"@id"}:
                return {"@id": self.expand(str(value["@id"]))}
            if any(key.startswith("@") or ":" in key or key in ("id", "type") for key in value):
                return self._normalise(value)
            return dict(value)  # a language map such as {"en-US": "..."}
        return value

    def expand(self, iri: str) -> str:
        """``res:ce-1`` -> ``https://example.org/resources/ce-1`` when the file defines ``res``."""
        prefix, sep, rest = iri.partition(":")
        if sep and not rest.startswith("//") and prefix in self.prefixes:
            return self.prefixes[prefix] + rest
        return iri

    def resolve(self, value: Any) -> Node | None:
        """The node a value refers to (an id string or {"@id"}), or the embedded node."""
        if isinstance(value, str):
            return self.nodes.get(self.expand(value))
        if isinstance(value, dict):
            if set(value) == {"@id"}:
                return self.nodes.get(value["@id"], {"@id": value["@id"]})
            if "@id" in value or "@type" in value:
                return value
        return None

    def all_nodes(self) -> Iterator[Node]:
        """Every node once: registered nodes, then embedded ones without an id."""
        seen: set[int] = set()
        stack: list[Any] = [*self.roots, *self.nodes.values()]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict) and id(item) not in seen:
                seen.add(id(item))
                if "@type" in item:
                    yield item
                stack.extend(v for v in item.values() if isinstance(v, dict | list))


def _collect_prefixes(data: Any, prefixes: dict[str, str]) -> None:
    contexts: list[Any] = []
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict) and "@context" in item:
            context = item["@context"]
            contexts.extend(context if isinstance(context, list) else [context])
    for context in contexts:
        if isinstance(context, dict):
            for name, iri in context.items():
                if isinstance(iri, str) and iri.startswith(("http://", "https://")):
                    prefixes[name] = iri


def _top_level(data: Any) -> list[Any]:
    if isinstance(data, list):
        items: list[Any] = []
        for item in data:
            items.extend(
                _top_level(item) if isinstance(item, dict) and "@graph" in item else [item]
            )
        return items
    if isinstance(data, dict):
        if "@graph" in data:
            graph = data["@graph"]
            return list(graph) if isinstance(graph, list) else [graph]
        return [data]
    return []


def values(node: Node, key: str) -> list[Any]:
    value = node.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types(node: Node) -> list[str]:
    return list(node.get("@type", []))


def text(node: Node, key: str) -> str | None:
    """A plain string for a literal or a language map (English first)."""
    for value in values(node, key):
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict) and not any(k.startswith("@") for k in value):
            ordered = sorted(value.items(), key=lambda item: not str(item[0]).startswith("en"))
            for _, item in ordered:
                if isinstance(item, str) and item.strip():
                    return item.strip()
                if isinstance(item, list) and item and isinstance(item[0], str):
                    return item[0].strip()
    return None


def number(node: Node, key: str) -> float | None:
    """The first value under ``key`` that reads as a number."""
    for value in values(node, key):
        found = as_number(value)
        if found is not None:
            return found
    return None


def target_node_names(node: Node, key: str) -> list[str]:
    """Labels of CredentialAlignmentObjects (``targetNode`` local name or ``targetNodeName``)."""
    labels: list[str] = []
    for value in values(node, key):
        if isinstance(value, dict):
            target = value.get("targetNode")
            if isinstance(target, dict):
                target = target.get("@id")
            if isinstance(target, str):
                labels.append(target.rsplit(":", 1)[-1].rsplit("/", 1)[-1])
                continue
            label = text(value, "targetNodeName")
            if label:
                labels.append(label)
        elif isinstance(value, str):
            labels.append(value.rsplit(":", 1)[-1].rsplit("/", 1)[-1])
    return labels
