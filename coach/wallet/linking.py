"""Linking a received badge to the catalogue credential it proves (pure).

A badge names its issuer and its achievement; the catalogue names, per
credential, the Open Badges achievement ids its badges carry and, per provider,
the issuer ids it signs with. In order of strength:

1. ``achievement_id``: the achievement id is one of a credential's
   ``achievement_ids`` (confidence 1.0, or 0.6 when the provider lists issuer
   ids and the badge's issuer is not one of them);
2. ``alignment``: an alignment URL of the achievement is a credential's ``url``;
3. ``issuer_and_name``: the issuer id is one of a provider's ``issuer_ids`` and
   the achievement name matches one of that provider's credential titles or
   aliases (rapidfuzz);
4. ``issuer_name_and_name``: no issuer id matched, but the issuer's name matches
   a provider's name and the achievement name one of its titles, both closely.

The result carries the evidence (which fields matched, scores), so a learner
and a reviewer can see why the coach believes the badge proves the credential.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, utils

from coach.wallet.result import AchievementSummary, Party, VerificationResult
from knowledge.schema import Catalogue, Credential

LinkMethod = Literal["achievement_id", "alignment", "issuer_and_name", "issuer_name_and_name"]

#: Title similarity (0-100) needed when the issuer id matched the provider.
NAME_THRESHOLD = 85.0
#: Issuer-name and title similarity needed when no identifier matched.
STRICT_THRESHOLD = 92.0


class CatalogueLink(BaseModel):
    """The catalogue credential a badge proves, how sure we are, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credential_id: str
    confidence: float = Field(ge=0.0, le=1.0)
    method: LinkMethod
    evidence: dict[str, Any]


def _norm_id(value: str | None) -> str:
    return (value or "").strip().rstrip("/")


def _name_score(name: str, credential: Credential) -> tuple[float, str]:
    """Best similarity of ``name`` with the credential's title and aliases."""
    best, best_title = 0.0, credential.title
    for title in (credential.title, *credential.aliases):
        score = float(fuzz.token_sort_ratio(name, title, processor=utils.default_process))
        if score > best:
            best, best_title = score, title
    return best, best_title


def _best_by_name(
    name: str, credentials: Iterable[Credential], threshold: float
) -> tuple[Credential, float, str] | None:
    scored = [(credential, *_name_score(name, credential)) for credential in credentials]
    scored = [item for item in scored if item[1] >= threshold]
    if not scored:
        return None
    scored.sort(key=lambda item: (-item[1], item[0].id))
    if len(scored) > 1 and scored[0][1] == scored[1][1]:
        return None  # two equally good titles: do not guess
    return scored[0]


def _issuer_evidence(
    catalogue: Catalogue, credential: Credential, issuer: Party | None
) -> bool | None:
    """Whether the badge's issuer is one the credential's provider signs with (None: unknown)."""
    provider = catalogue.providers.get(credential.provider)
    if provider is None or not provider.issuer_ids:
        return None
    known = {_norm_id(value) for value in provider.issuer_ids}
    return _norm_id(issuer.id if issuer else None) in known


def link_badge(
    catalogue: Catalogue, issuer: Party | None, achievement: AchievementSummary | None
) -> CatalogueLink | None:
    """The catalogue credential this issuer/achievement pair proves, or None."""
    if achievement is None:
        return None
    issuer_id = _norm_id(issuer.id if issuer else None)
    base: dict[str, Any] = {
        "issuer_id": issuer.id if issuer else None,
        "issuer_name": issuer.name if issuer else None,
        "achievement_id": achievement.id,
        "achievement_name": achievement.name,
    }

    achievement_id = _norm_id(achievement.id)
    if achievement_id:
        for credential in sorted(catalogue.credentials.values(), key=lambda c: c.id):
            if achievement_id in {_norm_id(value) for value in credential.achievement_ids}:
                issuer_ok = _issuer_evidence(catalogue, credential, issuer)
                return CatalogueLink(
                    credential_id=credential.id,
                    confidence=0.6 if issuer_ok is False else 1.0,
                    method="achievement_id",
                    evidence={**base, "matched": "achievement_ids", "issuer_matches": issuer_ok},
                )

    alignments = {_norm_id(url) for url in achievement.alignments if url}
    if alignments:
        for credential in sorted(catalogue.credentials.values(), key=lambda c: c.id):
            if credential.url and _norm_id(credential.url) in alignments:
                issuer_ok = _issuer_evidence(catalogue, credential, issuer)
                return CatalogueLink(
                    credential_id=credential.id,
                    confidence=0.5 if issuer_ok is False else 0.85,
                    method="alignment",
                    evidence={
                        **base,
                        "matched": "alignment",
                        "alignment": credential.url,
                        "issuer_matches": issuer_ok,
                    },
                )

    name = (achievement.name or "").strip()
    if not name:
        return None
    if issuer_id:
        providers = [
            p
            for p in catalogue.providers.values()
            if issuer_id in {_norm_id(value) for value in p.issuer_ids}
        ]
        if providers:
            ids = {p.id for p in providers}
            own = [c for c in catalogue.credentials.values() if c.provider in ids]
            best = _best_by_name(name, own, NAME_THRESHOLD)
            if best is not None:
                credential, score, title = best
                return CatalogueLink(
                    credential_id=credential.id,
                    confidence=round(0.9 * score / 100.0, 3),
                    method="issuer_and_name",
                    evidence={
                        **base,
                        "matched": "issuer_ids+name",
                        "provider": credential.provider,
                        "matched_title": title,
                        "name_score": round(score, 1),
                    },
                )
            return None  # a known issuer that does not offer this title: no guessing

    issuer_name = (issuer.name if issuer else None) or ""
    if not issuer_name.strip():
        return None
    for provider in sorted(catalogue.providers.values(), key=lambda p: p.id):
        provider_score = float(
            fuzz.token_sort_ratio(issuer_name, provider.name, processor=utils.default_process)
        )
        if provider_score < STRICT_THRESHOLD:
            continue
        own = [c for c in catalogue.credentials.values() if c.provider == provider.id]
        best = _best_by_name(name, own, STRICT_THRESHOLD)
        if best is not None:
            credential, score, title = best
            return CatalogueLink(
                credential_id=credential.id,
                confidence=round(0.6 * min(score, provider_score) / 100.0, 3),
                method="issuer_name_and_name",
                evidence={
                    **base,
                    "matched": "issuer_name+name",
                    "provider": provider.id,
                    "provider_score": round(provider_score, 1),
                    "matched_title": title,
                    "name_score": round(score, 1),
                },
            )
    return None


def link_all(catalogue: Catalogue, result: VerificationResult) -> list[CatalogueLink]:
    """Every catalogue credential the result proves: itself, then each part of a
    CLR bundle (a transcript proves several), each credential once."""
    links: list[CatalogueLink] = []
    seen: set[str] = set()
    candidates = [(result.issuer, result.achievement)]
    candidates += [(part.issuer or result.issuer, part.achievement) for part in result.parts]
    for issuer, achievement in candidates:
        link = link_badge(catalogue, issuer, achievement)
        if link is not None and link.credential_id not in seen:
            seen.add(link.credential_id)
            links.append(link)
    return links


def link_result(catalogue: Catalogue, result: VerificationResult) -> CatalogueLink | None:
    """The main link: the credential itself, or a bundle's first linkable part."""
    links = link_all(catalogue, result)
    return links[0] if links else None
