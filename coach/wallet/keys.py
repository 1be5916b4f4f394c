"""Key resolution: verification method id -> public key, and whether the
controller authorises it for a purpose (``assertionMethod``).

did:key (Ed25519, multibase/multicodec) is decoded here; did:web and HTTPS
key documents are read through the resolver port.

KeyResolutionError (WalletError)   reason ``unknown_key`` / ``key_not_authorized``
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

import base58
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from coach.errors import WalletError
from coach.wallet.parse import b64url_decode
from coach.wallet.resolver import DocumentResolver, ResolutionError

_ED25519_PUB = b"\xed\x01"
_P256_PUB = b"\x80\x24"
_SECP256K1_PUB = b"\xe7\x01"  # Blockcerts issuers and status lists (did:key:zQ3s...)

KeyFailure = Literal["unknown_key", "key_not_authorized"]


class KeyResolutionError(WalletError):
    """A key could not be found (``unknown_key``), fetched (``unavailable``) or is
    not authorised for the purpose (``key_not_authorized``)."""

    def __init__(self, message: str, reason: KeyFailure | Literal["unavailable"]) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ResolvedKey:
    """A public key and who controls it."""

    id: str
    controller: str
    public_key: PublicKeyTypes


def decode_multibase(value: str) -> bytes:
    """Decode a base58btc (``z``) multibase string."""
    if not value.startswith("z"):
        raise KeyResolutionError(f"unsupported multibase encoding: {value[:1]!r}", "unknown_key")
    try:
        return bytes(base58.b58decode(value[1:]))
    except ValueError as exc:
        raise KeyResolutionError("bad base58 in a key", "unknown_key") from exc


def ed25519_from_multikey(value: str) -> ed25519.Ed25519PublicKey:
    """Ed25519 public key from a multibase + multicodec value (``z6Mk...``)."""
    raw = decode_multibase(value)
    if raw[:2] != _ED25519_PUB or len(raw) != 34:
        raise KeyResolutionError("the key is not a multicodec Ed25519 public key", "unknown_key")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_from_multikey(value: str) -> PublicKeyTypes:
    """Ed25519, P-256 or secp256k1 public key from a multibase + multicodec value."""
    raw = decode_multibase(value)
    if raw[:2] == _ED25519_PUB:
        return ed25519_from_multikey(value)
    for prefix, curve, name in (
        (_P256_PUB, ec.SECP256R1(), "P-256"),
        (_SECP256K1_PUB, ec.SECP256K1(), "secp256k1"),
    ):
        if raw[:2] == prefix and len(raw) == 35:
            try:
                return ec.EllipticCurvePublicKey.from_encoded_point(curve, raw[2:])
            except ValueError as exc:
                raise KeyResolutionError(f"not a valid {name} point", "unknown_key") from exc
    raise KeyResolutionError(
        "unsupported multicodec key (Ed25519, P-256 or secp256k1 only)", "unknown_key"
    )


def jwk_to_public_key(jwk: Any) -> PublicKeyTypes:
    """A public key from a JWK (OKP Ed25519, EC P-256 / secp256k1, RSA); private
    members refused."""
    if not isinstance(jwk, dict):
        raise KeyResolutionError("the JWK is not an object", "unknown_key")
    if "d" in jwk or "p" in jwk:
        raise KeyResolutionError("a private key was published as a JWK", "unknown_key")
    kty = jwk.get("kty")
    try:
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(str(jwk["x"])))
        if kty == "EC" and jwk.get("crv") in ("P-256", "secp256k1"):
            curve: ec.EllipticCurve = (
                ec.SECP256R1() if jwk.get("crv") == "P-256" else ec.SECP256K1()
            )
            x = int.from_bytes(b64url_decode(str(jwk["x"])), "big")
            y = int.from_bytes(b64url_decode(str(jwk["y"])), "big")
            return ec.EllipticCurvePublicNumbers(x, y, curve).public_key()
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(str(jwk["n"])), "big")
            e = int.from_bytes(b64url_decode(str(jwk["e"])), "big")
            if n.bit_length() < 2048:
                raise KeyResolutionError("RSA keys under 2048 bits are refused", "unknown_key")
            return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError, WalletError) as exc:
        if isinstance(exc, KeyResolutionError):
            raise
        raise KeyResolutionError(f"malformed JWK: {exc}", "unknown_key") from exc
    raise KeyResolutionError(f"unsupported JWK key type {kty!r}", "unknown_key")


def _key_from_method(method: dict[str, Any]) -> PublicKeyTypes:
    if isinstance(method.get("publicKeyMultibase"), str):
        return public_key_from_multikey(method["publicKeyMultibase"])
    if isinstance(method.get("publicKeyBase58"), str):
        raw = bytes(base58.b58decode(method["publicKeyBase58"]))
        if len(raw) != 32:
            raise KeyResolutionError("publicKeyBase58 is not an Ed25519 key", "unknown_key")
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    if "publicKeyJwk" in method:
        return jwk_to_public_key(method["publicKeyJwk"])
    raise KeyResolutionError("the verification method carries no usable key", "unknown_key")


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document a did:key implies (Ed25519 or P-256)."""
    fingerprint = did.removeprefix("did:key:").split("#", 1)[0]
    public_key_from_multikey(fingerprint)
    method_id = f"{did}#{fingerprint}"
    return {
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Ed25519VerificationKey2020",
                "controller": did,
                "publicKeyMultibase": fingerprint,
            }
        ],
        "assertionMethod": [method_id],
        "authentication": [method_id],
    }


def did_web_url(did: str) -> str:
    """https URL of the DID document of a did:web."""
    parts = did.removeprefix("did:web:").split(":")
    host = unquote(parts[0])
    if not host or "/" in host or "@" in host:
        raise KeyResolutionError(f"malformed did:web: {did}", "unknown_key")
    path = "/".join(unquote(p) for p in parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def _fetch_json(url: str, resolver: DocumentResolver) -> dict[str, Any]:
    try:
        body = resolver.fetch(url)
    except ResolutionError as exc:
        raise KeyResolutionError(f"could not fetch {url}: {exc}", "unavailable") from exc
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise KeyResolutionError(f"{url} is not JSON", "unknown_key") from exc
    if not isinstance(value, dict):
        raise KeyResolutionError(f"{url} is not a JSON object", "unknown_key")
    return value


def resolve_did(did: str, resolver: DocumentResolver) -> dict[str, Any]:
    """The DID document of a did:key or did:web."""
    if did.startswith("did:key:"):
        return did_key_document(did)
    if did.startswith("did:web:"):
        document = _fetch_json(did_web_url(did), resolver)
        if document.get("id") != did:
            raise KeyResolutionError(f"the DID document is not for {did}", "unknown_key")
        return document
    raise KeyResolutionError(f"unsupported DID method: {did.split(':')[:2]}", "unknown_key")


def _absolute(ref: str, did: str) -> str:
    return did + ref if ref.startswith("#") else ref


def _methods(document: dict[str, Any], relation: str) -> tuple[list[str], list[dict[str, Any]]]:
    did = str(document.get("id", ""))
    ids: list[str] = []
    embedded: list[dict[str, Any]] = []
    entries = document.get(relation, [])
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, str):
            ids.append(_absolute(entry, did))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            ids.append(_absolute(entry["id"], did))
            embedded.append(entry)
    return ids, embedded


def resolve_method(
    method_id: str, resolver: DocumentResolver, *, purpose: str = "assertionMethod"
) -> ResolvedKey:
    """Find a verification method and check its controller authorises it for ``purpose``."""
    base = method_id.split("#", 1)[0]
    document: dict[str, Any] | None = None
    if method_id.startswith("did:"):
        document = resolve_did(base, resolver)
    elif method_id.startswith("https://") and "#" in method_id:
        document = _fetch_json(base, resolver)  # a controller document (OB 3.0 profiles)
        if document.get("id") != base:
            raise KeyResolutionError(f"{base} does not describe itself", "unknown_key")
    if document is not None:
        did = base
        all_methods: list[dict[str, Any]] = []
        for relation in ("verificationMethod", purpose):
            all_methods.extend(_methods(document, relation)[1])
        method = next((m for m in all_methods if _absolute(str(m["id"]), did) == method_id), None)
        if method is None:
            raise KeyResolutionError(
                f"{method_id} is not in the DID document of {did}", "key_not_authorized"
            )
        authorised, _ = _methods(document, purpose)
        if method_id not in authorised:
            raise KeyResolutionError(
                f"{did} does not authorise {method_id} for {purpose}", "key_not_authorized"
            )
        controller = str(method.get("controller", did))
        if controller != did:
            raise KeyResolutionError(f"{method_id} is controlled by {controller}", "unknown_key")
        return ResolvedKey(method_id, controller, _key_from_method(method))
    if method_id.startswith("https://"):
        method = _fetch_json(method_id, resolver)
        if method.get("id") != method_id:
            raise KeyResolutionError(f"{method_id} does not describe itself", "unknown_key")
        owner = method.get("controller")
        if not isinstance(owner, str):
            raise KeyResolutionError(f"{method_id} names no controller", "key_not_authorized")
        controller_doc = _fetch_json(owner, resolver)
        authorised, _ = _methods(controller_doc, purpose)
        if method_id not in authorised:
            raise KeyResolutionError(
                f"{owner} does not authorise {method_id} for {purpose}",
                "key_not_authorized",
            )
        return ResolvedKey(method_id, owner, _key_from_method(method))
    raise KeyResolutionError(f"unsupported verification method: {method_id}", "unknown_key")
