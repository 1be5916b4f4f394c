"""Reading a badge file: bytes in, a parsed payload out (no verification here).

Accepts JSON credentials, compact JWS/JWT (VC-JWT, OB 2.0 signed assertions),
baked PNG and SVG images, and OB 2.0 hosted-assertion URLs found in images.

BadgeInputError (WalletError)   the bytes are not a badge we can read
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from coach.errors import WalletError
from coach.wallet.baked import PNG_SIGNATURE, BakedBadgeError, extract_png, extract_svg

#: The wallet's contract: files over 2 MB are refused with a clear error. Real
#: Blockcerts that embed large images can exceed it; the error names the limit.
MAX_BADGE_BYTES = 2 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_JSON_NODES = 200_000

Container = Literal["json", "jwt", "png", "svg"]
PayloadKind = Literal["json", "jwt", "url"]

_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")


class BadgeInputError(WalletError):
    """The input is not a badge that can be read (size, encoding, structure)."""


class ParsedBadge(BaseModel):
    """What a badge file holds, before any check.

    ``kind`` is ``json`` (``document`` set), ``jwt`` (``token`` set; ``document``
    holds the decoded payload when it is JSON) or ``url`` (an OB 2.0 hosted
    assertion named by a baked SVG; ``url`` set).
    """

    model_config = ConfigDict(frozen=True)

    container: Container
    kind: PayloadKind
    document: dict[str, Any] | None = None
    token: str | None = None
    url: str | None = None


def _check_shape(value: Any) -> None:
    """Refuse documents nested deeper than MAX_JSON_DEPTH or with too many nodes."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_JSON_NODES:
            raise BadgeInputError("the JSON document is too large (too many values)")
        if depth > MAX_JSON_DEPTH:
            raise BadgeInputError(f"the JSON document is nested deeper than {MAX_JSON_DEPTH}")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _reject_constant(name: str) -> Any:
    raise BadgeInputError(f"the JSON document holds a non-standard number ({name})")


def parse_json_text(text: str, *, what: str = "badge") -> Any:
    """Parse JSON safely: depth and size limits, no NaN/Infinity."""
    # Depth is checked on the raw text first: json.loads recurses and would
    # overflow the stack on pathological nesting before _check_shape runs.
    depth = max_depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            max_depth = max(max_depth, depth)
            if max_depth > MAX_JSON_DEPTH:
                raise BadgeInputError(
                    f"the {what} JSON is nested deeper than {MAX_JSON_DEPTH} levels"
                )
        elif char in "]}":
            depth -= 1
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except BadgeInputError:
        raise
    except (ValueError, RecursionError) as exc:
        raise BadgeInputError(f"the {what} is not valid JSON: {exc}") from exc
    _check_shape(value)
    return value


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BadgeInputError("UTF-16 text is not accepted; save the badge as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadgeInputError("the badge is neither an image nor UTF-8 text") from exc


def b64url_decode(segment: str) -> bytes:
    """Decode base64url without padding (JWS segments)."""
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (ValueError, TypeError) as exc:
        raise BadgeInputError("a JWT segment is not base64url") from exc


def jws_header_and_signature(header_b64: str, sig_b64: str) -> tuple[Any, bytes]:
    """The decoded JSON header and raw signature of a compact JWS.

    Raises ValueError (bad JSON) or BadgeInputError (bad base64url); the caller words it.
    """
    return json.loads(b64url_decode(header_b64)), b64url_decode(sig_b64)


def _parse_token(token: str, container: Container) -> ParsedBadge:
    payload_segment = token.split(".")[1]
    document: dict[str, Any] | None = None
    try:
        payload_text = b64url_decode(payload_segment).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadgeInputError("the JWT payload is not UTF-8") from exc
    value = parse_json_text(payload_text, what="JWT payload")
    if not isinstance(value, dict):
        raise BadgeInputError("the JWT payload is not a JSON object")
    document = value
    return ParsedBadge(container=container, kind="jwt", token=token, document=document)


def _parse_text(text: str, container: Container) -> ParsedBadge:
    stripped = text.strip()
    if not stripped:
        raise BadgeInputError("the badge is empty")
    if _COMPACT_JWS.match(stripped):
        return _parse_token(stripped, "jwt" if container == "json" else container)
    if stripped.startswith(("https://", "http://")) and container != "json":
        return ParsedBadge(container=container, kind="url", url=stripped)
    value = parse_json_text(stripped)
    if not isinstance(value, dict):
        raise BadgeInputError("the badge is JSON but not a JSON object")
    return ParsedBadge(container=container, kind="json", document=value)


def load_badge_bytes(data: bytes) -> ParsedBadge:
    """Read badge bytes (JSON, compact JWT, baked PNG or SVG) into a ParsedBadge.

    Raises BadgeInputError (a WalletError) with a message a person understands.
    """
    if len(data) > MAX_BADGE_BYTES:
        raise BadgeInputError(f"the file is larger than {MAX_BADGE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise BadgeInputError("the file is empty")
    try:
        if data.startswith(PNG_SIGNATURE):
            _keyword, text = extract_png(data)
            return _parse_text(text, "png")
        head = data.lstrip()[:512].lower()
        if head.startswith(b"<") and (b"<svg" in data[:4096].lower() or head.startswith(b"<?xml")):
            kind, text = extract_svg(data)
            if kind == "verify":
                return ParsedBadge(container="svg", kind="url", url=text)
            return _parse_text(text, "svg")
    except BakedBadgeError as exc:
        raise BadgeInputError(str(exc)) from exc
    if data[:4] in (b"GIF8", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1") or data[:2] == b"\xff\xd8":
        raise BadgeInputError("this image format cannot carry a badge (use PNG or SVG)")
    return _parse_text(_decode_text(data), "json")
