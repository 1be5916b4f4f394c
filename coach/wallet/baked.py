"""Baked badges: the credential carried inside a PNG or SVG image.

PNG: an ``iTXt`` (or ``tEXt``) chunk with keyword ``openbadgecredential`` (Open
Badges 3.0) or ``openbadges`` (Open Badges 2.0). SVG: an
``<openbadges:credential>`` element whose text is the credential, or whose
``verify`` attribute points at a hosted OB 2.0 assertion.
"""

from __future__ import annotations

import re
import struct
import zlib
from xml.etree import ElementTree

from coach.errors import WalletError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BADGE_KEYWORDS = (b"openbadgecredential", b"openbadges")
_MAX_TEXT = 2 * 1024 * 1024


class BakedBadgeError(WalletError):
    """An image could not be read, or carries no badge."""


def _decompress(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, _MAX_TEXT + 1)
    if len(out) > _MAX_TEXT or inflater.unconsumed_tail:
        raise BakedBadgeError("compressed badge text in the PNG is too large")
    return out


def extract_png(data: bytes) -> tuple[str, str]:
    """Return (keyword, text) of the badge chunk in a PNG image."""
    if not data.startswith(PNG_SIGNATURE):
        raise BakedBadgeError("not a PNG image")
    pos = len(PNG_SIGNATURE)
    found: dict[bytes, bytes] = {}
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise BakedBadgeError("the PNG image is truncated")
        pos += 12 + length
        if kind == b"IEND":
            break
        if kind == b"iTXt":
            keyword, _, rest = body.partition(b"\x00")
            if keyword not in _BADGE_KEYWORDS or len(rest) < 2:
                continue
            compressed, _method = rest[0], rest[1]
            _lang, _, rest = rest[2:].partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            found[keyword] = _decompress(text) if compressed else text
        elif kind == b"tEXt":
            keyword, _, text = body.partition(b"\x00")
            if keyword in _BADGE_KEYWORDS:
                found[keyword] = text
    for keyword in _BADGE_KEYWORDS:
        if keyword in found:
            try:
                return keyword.decode(), found[keyword].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BakedBadgeError("the badge text in the PNG is not UTF-8") from exc
    raise BakedBadgeError("the PNG image carries no badge (no openbadgecredential chunk)")


_DANGEROUS_XML = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_OB_NAMESPACES = ("https://purl.imsglobal.org/ob/v3p0", "http://openbadges.org")


def extract_svg(data: bytes) -> tuple[str, str]:
    """Return (kind, text) of the ``openbadges:credential`` element of an SVG.

    kind is ``credential`` (text inside) or ``verify`` (an OB 2.0 hosted URL).
    """
    if _DANGEROUS_XML.search(data):
        raise BakedBadgeError("SVG with a DOCTYPE or entity declarations is refused")
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - no DTD allowed above
    except ElementTree.ParseError as exc:
        raise BakedBadgeError(f"the SVG image is not well-formed XML: {exc}") from exc
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag.endswith("}credential"):
            continue
        namespace = tag[1:].split("}", 1)[0]
        if not any(namespace.startswith(ns) for ns in _OB_NAMESPACES):
            continue
        text = (element.text or "").strip()
        if text:
            return "credential", text
        verify = element.get("verify")
        if verify:
            return "verify", verify
    raise BakedBadgeError("the SVG image carries no badge (no openbadges:credential)")
