"""Validity dates of a credential (VC 2.0 validFrom/validUntil, VC 1.1
issuanceDate/expirationDate, OB 2.0 issuedOn/expires)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 / XML Schema dateTime string, else None."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def window(document: dict[str, Any]) -> tuple[Any, Any]:
    """(start, end) raw values, whichever vocabulary the document uses."""
    start = document.get("validFrom", document.get("issuanceDate", document.get("issuedOn")))
    end = document.get("validUntil", document.get("expirationDate", document.get("expires")))
    return start, end


def check_window(document: dict[str, Any], now: datetime) -> tuple[str, str]:
    """('ok' | 'expired' | 'not_yet_valid' | 'malformed', detail)."""
    start_raw, end_raw = window(document)
    start, end = parse_time(start_raw), parse_time(end_raw)
    if start_raw is not None and start is None:
        return "malformed", f"unreadable start date {start_raw!r}"
    if end_raw is not None and end is None:
        return "malformed", f"unreadable end date {end_raw!r}"
    if start is not None and now < start:
        return "not_yet_valid", f"valid only from {start_raw}"
    if end is not None and now >= end:
        return "expired", f"expired on {end_raw}"
    span = f"from {start_raw}" if start_raw else "no start date"
    return "ok", span + (f" until {end_raw}" if end_raw else ", no end date")
