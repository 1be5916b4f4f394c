"""CLR 2.0: the ClrCredential is verified like any embedded-proof VC, and every
credential inside (``credentialSubject.verifiableCredential``: JSON or VC-JWT)
becomes a part of the result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coach.wallet.jsonld import ContextStore
from coach.wallet.parse import ParsedBadge
from coach.wallet.report import Report
from coach.wallet.resolver import DocumentResolver
from coach.wallet.result import VerificationResult
from coach.wallet.vc import verify_embedded_vc

MAX_PARTS = 500


def verify_clr(
    document: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
    store: ContextStore,
) -> VerificationResult:
    """The bundle and each credential inside it."""
    from coach.wallet.verify import verify_parsed  # the parts may be any format

    subject = document.get("credentialSubject")
    inner = subject.get("verifiableCredential", []) if isinstance(subject, dict) else []
    items = inner if isinstance(inner, list) else [inner]
    parts: list[VerificationResult] = []
    for item in items[:MAX_PARTS]:
        if isinstance(item, dict):
            parsed = ParsedBadge(container="json", kind="json", document=item)
        elif isinstance(item, str) and item.count(".") == 2:
            from coach.wallet.parse import load_badge_bytes

            try:
                parsed = load_badge_bytes(item.encode("utf-8"))
            except Exception:
                report = Report()
                report.failed("format", "malformed", "an inner credential is unreadable")
                parts.append(report.result("unknown"))
                continue
        else:
            report = Report()
            report.failed("format", "malformed", "an inner credential is neither JSON nor a JWT")
            parts.append(report.result("unknown"))
            continue
        parts.append(
            verify_parsed(
                parsed,
                resolver=resolver,
                now=now,
                learner_identity=learner_identity,
                contexts=store,
            )
        )
    return verify_embedded_vc(
        document,
        resolver=resolver,
        now=now,
        learner_identity=learner_identity,
        store=store,
        parts=tuple(parts),
    )
