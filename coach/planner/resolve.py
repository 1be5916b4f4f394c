"""Finding the target a learner means: by id, title or alias, fuzzily (rapidfuzz)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from knowledge.schema import Catalogue

#: Scores below this are not offered as candidates.
MIN_SCORE = 60.0


@dataclass(frozen=True)
class TargetCandidate:
    id: str
    title: str
    kind: str  # "qualification" | "role" | "credential"
    score: float  # 0-100; 100 for an exact id


def _score(query: str, name: str, **_: object) -> float:
    """Word-set similarity, not partial matches: "nope" must not match a one-letter id."""
    return max(fuzz.token_set_ratio(query, name), fuzz.ratio(query, name))


def resolve_target(
    catalogue: Catalogue, text: str, *, limit: int = 5, min_score: float = MIN_SCORE
) -> list[TargetCandidate]:
    """Candidate targets for ``text``, best first (an exact id match is the only answer)."""
    query = text.strip()
    tables = (
        ("qualification", catalogue.qualifications),
        ("role", catalogue.roles),
        ("credential", catalogue.credentials),
    )
    for kind, table in tables:
        if query in table:
            return [TargetCandidate(query, table[query].title, kind, 100.0)]
    names: list[str] = []
    owners: list[tuple[str, str, str]] = []
    for kind, table in tables:
        for entry in table.values():
            for name in (entry.id, entry.title, *entry.aliases):
                names.append(name)
                owners.append((entry.id, entry.title, kind))
    best: dict[str, TargetCandidate] = {}
    matches = process.extract(
        query, names, scorer=_score, processor=utils.default_process, limit=None
    )
    for _, score, index in matches:
        if score < min_score:
            continue
        cid, title, kind = owners[index]
        # qualifications and roles are the usual targets: rank them above credentials on ties
        # 100 is kept for an exact id; word-set matches top out just below it
        ranked = min(float(score), 99.0) - (0.5 if kind == "credential" else 0.0)
        current = best.get(cid)
        if current is None or ranked > current.score:
            best[cid] = TargetCandidate(cid, title, kind, round(ranked, 1))
    return sorted(best.values(), key=lambda c: (-c.score, c.id))[:limit]
