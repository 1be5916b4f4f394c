"""JSON-LD with an allow-listed, hash-pinned set of contexts.

Contexts come from maintained packages (npm packages exported by
``contexts/export-contexts.cjs``; the ``cert-schema`` PyPI package) or, for the
few no package ships (CLR 2.0), from a seed folder in the data dir. The
committed ``contexts/manifest.json`` maps every allowed URL to its file and the
sha256 of its canonical JSON; anything else is refused (``context_not_allowed``).

Undefined terms are an error, not silently dropped: the document is expanded
once more with a trailing ``@vocab`` sentinel and any IRI minted from it (or
from the VC 2.0 ``issuer-dependent`` vocabulary) is reported.

ContextError (WalletError)   a context is not allowed, missing or altered
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cert_schema
from pyld import jsonld
from pyld.canon import URDNA2015

from coach.errors import WalletError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
NPM_EXPORT_DIR = CONTEXTS_DIR / "node_modules" / ".stackwise-contexts"
MANIFEST_PATH = CONTEXTS_DIR / "manifest.json"
_CERT_SCHEMA_DIR = Path(cert_schema.__file__).resolve().parent

_SENTINEL_VOCAB = "urn:stackwise:undefined-term:"
_ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"


class ContextError(WalletError):
    """A JSON-LD context is not allowed, not installed, or does not match its pin."""

    def __init__(self, message: str, *, url: str | None = None, missing: bool = False) -> None:
        super().__init__(message)
        self.url = url
        #: True when the context is pinned but not installed here (a set-up gap,
        #: not the credential's fault: checks stay open instead of failing).
        self.missing = missing


def canonical_sha256(document: Any) -> str:
    """sha256 of a JSON value serialised with sorted keys and no spaces."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ContextStore:
    """The allowed contexts: manifest + package files + an optional seed folder."""

    def __init__(
        self,
        *,
        seed_dir: Path | None = None,
        manifest_path: Path = MANIFEST_PATH,
        npm_dir: Path = NPM_EXPORT_DIR,
    ) -> None:
        self._manifest: dict[str, dict[str, str]] = json.loads(
            manifest_path.read_text(encoding="utf-8")
        )
        self._seed_dir = seed_dir
        self._npm_dir = npm_dir
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        """True when the manifest pins ``url``."""
        return url in self._manifest

    def seed_entries(self) -> dict[str, str]:
        """URL -> expected sha256 of each context that must be seeded."""
        return {u: e["sha256"] for u, e in self._manifest.items() if e["source"] == "seed"}

    def import_seed(self, document_bytes: bytes) -> str:
        """Store a context copy in the seed folder if its hash is pinned; return its URL."""
        if self._seed_dir is None:
            raise ContextError("no seed folder configured for contexts")
        try:
            document = json.loads(document_bytes)
        except ValueError as exc:
            raise ContextError("the context file is not JSON") from exc
        digest = canonical_sha256(document)
        for url, entry in self._manifest.items():
            if entry["source"] == "seed" and entry["sha256"] == digest:
                self._seed_dir.mkdir(parents=True, exist_ok=True)
                (self._seed_dir / entry["file"]).write_bytes(document_bytes)
                return url
        raise ContextError("this file matches no pinned context (hash unknown)")

    def _path(self, entry: dict[str, str]) -> Path | None:
        source = entry["source"]
        if source == "npm":
            return self._npm_dir / entry["file"]
        if source == "pypi":
            return _CERT_SCHEMA_DIR / entry["file"]
        if source == "seed" and self._seed_dir is not None:
            return self._seed_dir / entry["file"]
        return None

    def get(self, url: str) -> Any:
        """The context document for ``url``, checked against its pinned hash."""
        with self._lock:
            if url in self._cache:
                return copy.deepcopy(self._cache[url])
        entry = self._manifest.get(url)
        if entry is None:
            raise ContextError(f"context not on the allow-list: {url}", url=url)
        path = self._path(entry)
        if path is None or not path.exists():
            hint = (
                "run `make install` (npm ci of coach/wallet/contexts)"
                if entry["source"] == "npm"
                else "import it with `coach wallet contexts import FILE`"
            )
            raise ContextError(
                f"context {url} is not installed here; {hint}", url=url, missing=True
            )
        document = json.loads(path.read_text(encoding="utf-8"))
        if canonical_sha256(document) != entry["sha256"]:
            raise ContextError(f"context {url} does not match its pinned sha256", url=url)
        with self._lock:
            self._cache[url] = document
        return copy.deepcopy(document)

    def loader(self) -> Any:
        """A pyld document loader that answers only from this store."""

        def load(url: str, options: Any = None) -> dict[str, Any]:
            return {"contextUrl": None, "documentUrl": url, "document": self.get(url)}

        return load


_default_lock = threading.Lock()
_default_store: ContextStore | None = None


def configure_default_store(seed_dir: Path | None) -> ContextStore:
    """Set the store used when a caller passes none (bots call this at start-up)."""
    global _default_store
    with _default_lock:
        _default_store = ContextStore(seed_dir=seed_dir)
        return _default_store


def default_store() -> ContextStore:
    """The configured store, or one without a seed folder."""
    global _default_store
    with _default_lock:
        if _default_store is None:
            _default_store = ContextStore()
        return _default_store


def _cause_context_error(exc: BaseException) -> ContextError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ContextError):
            return current
        details = getattr(current, "details", None)
        if isinstance(details, dict) and isinstance(details.get("cause"), BaseException):
            current = details["cause"]
            continue
        current = current.__cause__ or current.__context__
        if current is None:
            cause = getattr(exc, "cause", None)
            current = cause if isinstance(cause, BaseException) and cause is not exc else None
    return None


class JsonLdProcessingError(WalletError):
    """JSON-LD processing failed; ``context_error`` is set when a context was refused."""

    def __init__(self, message: str, context_error: ContextError | None = None) -> None:
        super().__init__(message)
        self.context_error = context_error

    @property
    def missing_context(self) -> bool:
        """A pinned context is not installed here (the check cannot be made)."""
        return self.context_error is not None and self.context_error.missing


def _run(func: Any, document: Any, options: dict[str, Any]) -> Any:
    try:
        return func(document, options)
    except ContextError as exc:
        raise JsonLdProcessingError(str(exc), exc) from exc
    except Exception as exc:  # pyld raises its own JsonLdError with nested causes
        found = _cause_context_error(exc)
        message = str(found) if found else f"JSON-LD processing failed: {exc}"
        raise JsonLdProcessingError(message.splitlines()[0], found) from exc


def _iris(value: Any) -> Iterator[str]:
    """Every property IRI and @type IRI in an expanded document."""
    if isinstance(value, list):
        for item in value:
            yield from _iris(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@type":
                types = item if isinstance(item, list) else [item]
                yield from (t for t in types if isinstance(t, str))
            elif not key.startswith("@"):
                yield key
            if key != "@value":
                yield from _iris(item)


def undefined_terms(document: dict[str, Any], store: ContextStore) -> list[str]:
    """Terms of ``document`` its contexts do not define (would be dropped or vague)."""
    probe = copy.deepcopy(document)
    context = probe.get("@context")
    contexts = context if isinstance(context, list) else [context] if context else []
    probe["@context"] = [*contexts, {"@vocab": _SENTINEL_VOCAB}]
    expanded = _run(jsonld.expand, probe, {"documentLoader": store.loader()})
    found: list[str] = []
    for iri in _iris(expanded):
        for prefix in (_SENTINEL_VOCAB, _ISSUER_DEPENDENT):
            if iri.startswith(prefix):
                term = iri[len(prefix) :]
                if term not in found:
                    found.append(term)
    return found


#: Most N-degree hash steps one canonicalisation may take. Ordinary credentials
#: need none; crafted "poison" graphs of look-alike blank nodes need exponentially
#: many, so a cap keeps one upload from tying up the verifier.
MAX_DEEP_HASHES = 250
#: Most statements linking two blank nodes; each deep hash step costs time in
#: proportion to these, so both caps together bound the work.
MAX_BLANK_LINKS = 3_000


class CanonicalisationLimitError(WalletError):
    """The document needs too much work to canonicalise (a poison graph)."""


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self._deep_hashes = 0

    def hash_n_degree_quads(self, id_: Any, issuer: Any) -> Any:
        self._deep_hashes += 1
        if self._deep_hashes > MAX_DEEP_HASHES:
            raise CanonicalisationLimitError(
                "the document has too many indistinguishable blank nodes to canonicalise"
            )
        return super().hash_n_degree_quads(id_, issuer)


def _canonize(document: Any, options: dict[str, Any]) -> str:
    dataset = jsonld.to_rdf(
        document, {"documentLoader": options["documentLoader"], "produceGeneralizedRdf": False}
    )
    links = sum(
        1
        for quads in dataset.values()
        for quad in quads
        if quad["subject"]["type"] == "blank node" and quad["object"]["type"] == "blank node"
    )
    if links > MAX_BLANK_LINKS:
        raise CanonicalisationLimitError(
            f"the document links {links} unnamed nodes to each other (limit {MAX_BLANK_LINKS})"
        )
    return str(
        _BoundedURDNA2015().main(
            dataset, {"algorithm": "URDNA2015", "format": "application/n-quads"}
        )
    )


def canonize(document: dict[str, Any], store: ContextStore) -> str:
    """RDF Dataset Canonicalization (URDNA2015 / RDFC-1.0) as N-Quads, work-bounded."""
    return str(_run(_canonize, document, {"documentLoader": store.loader()}))
