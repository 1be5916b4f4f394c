"""Is the credential about this learner? Plain ids, OB 3.0 IdentityObjects and
OB 2.0 recipients (``sha256$`` of identity + salt)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any


def _variants(identity: str) -> set[str]:
    value = identity.strip()
    out = {value, value.lower()}
    if "@" in value and not value.startswith(("mailto:", "did:", "http")):
        out |= {"mailto:" + value, "mailto:" + value.lower()}
    if value.startswith("mailto:"):
        out |= {value[7:], value[7:].lower()}
    return out


def identity_matches(obj: dict[str, Any], identity: str) -> bool | None:
    """Match one IdentityObject / OB 2.0 recipient; None when it holds no identity."""
    stored = obj.get("identityHash", obj.get("identity"))
    if not isinstance(stored, str):
        return None
    candidates = _variants(identity)
    if obj.get("hashed") in (True, "true"):
        salt = obj.get("salt") if isinstance(obj.get("salt"), str) else ""
        algorithm, _, digest = stored.partition("$")
        if algorithm.lower() not in ("sha256", "md5") or not digest:
            return False
        for candidate in candidates:
            data = (candidate + str(salt)).encode("utf-8")
            mine = (
                hashlib.sha256(data).hexdigest()
                if algorithm.lower() == "sha256"
                else hashlib.md5(data, usedforsecurity=False).hexdigest()
            )
            if hmac.compare_digest(mine, digest.lower()):
                return True
        return False
    return stored in candidates or stored.lower() in candidates


def subject_matches(subject: Any, identity: str) -> tuple[bool | None, str]:
    """(matches, detail) for a credentialSubject (or list of them)."""
    subjects = subject if isinstance(subject, list) else [subject]
    seen_any = False
    for item in subjects:
        if not isinstance(item, dict):
            continue
        ident = item.get("id")
        if isinstance(ident, str):
            seen_any = True
            if ident in _variants(identity):
                return True, f"the subject id {ident} is the learner"
        identifiers = item.get("identifier", [])
        for obj in identifiers if isinstance(identifiers, list) else [identifiers]:
            if isinstance(obj, dict):
                found = identity_matches(obj, identity)
                if found is not None:
                    seen_any = True
                    if found:
                        return True, "the subject's identifier matches the learner"
    if not seen_any:
        return None, "the credential names no subject identity to compare with the learner"
    return False, "the credential was issued to a different subject"
