"""Which skill to ask next, and what can be known without asking.

* Verified wallet credentials pre-fill the skills their catalogue entries teach.
* A "none" (level 0) on a foundation settles its dependants at level 0, with
  lower confidence, so they are not asked.
* Quick mode asks at most ``QUICK_LIMIT`` skills: the highest-impact ones that
  are still open, always foundations first among them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from coach.assessment.state import AssessmentState, Prefill, Record
from coach.assessment.targets import foundations
from coach.profile import HeldCredential
from knowledge.schema import Catalogue

#: Confidence given to each kind of answer.
CONFIDENCE = {
    "button": 0.7,
    "free-text": 0.6,
    "free-text-confirmed": 0.7,
    "verified": 0.95,
    "inferred": 0.4,
}


def prefills_from(
    catalogue: Catalogue, skill_ids: Sequence[str], holdings: Sequence[HeldCredential]
) -> tuple[Prefill, ...]:
    """Levels of ``skill_ids`` evidenced by verified holdings (the highest wins)."""
    wanted = set(skill_ids)
    best: dict[str, Prefill] = {}
    for held in holdings:
        if not held.verified:
            continue
        credential = catalogue.credentials.get(held.credential_id)
        if credential is None:
            continue
        for taught in credential.skills:
            if taught.skill not in wanted:
                continue
            known = best.get(taught.skill)
            if known is None or taught.level > known.level:
                best[taught.skill] = Prefill(
                    skill=taught.skill,
                    level=taught.level,
                    credential_id=credential.id,
                    wallet_record=held.wallet_record,
                )
    return tuple(best[s] for s in skill_ids if s in best)


def open_skills(state: AssessmentState) -> list[str]:
    """Target skills without a record, foundations first."""
    settled = {record.skill for record in state.records}
    return [r.skill for r in state.requirements if r.skill not in settled]


def next_skill(state: AssessmentState) -> str | None:
    """The next skill to ask, or None when the assessment is complete.

    Skills asked before (and reopened by Back) are always eligible; new ones
    fill the remaining budget by impact. Among the eligible, the first in
    foundations-first order is asked.
    """
    still_open = open_skills(state)
    if not still_open:
        return None
    asked = set(state.asked)
    eligible = {s for s in still_open if s in asked}
    limit = state.limit
    fresh = [s for s in still_open if s not in asked]
    if limit is not None:
        budget = max(0, limit - len(asked))
        rank = {r.skill: r.rank for r in state.requirements}
        fresh = sorted(fresh, key=lambda s: rank[s])[:budget]
    eligible.update(fresh)
    for skill_id in still_open:
        if skill_id in eligible:
            return skill_id
    return None


def infer_from_none(
    catalogue: Catalogue, state: AssessmentState, today: dt.date
) -> AssessmentState:
    """Settle open skills at level 0 when a foundation they build on is "none"."""
    zeros = [
        r.skill
        for r in state.records
        if r.level == 0 and r.how in ("button", "free-text", "verified")
    ]
    if not zeros:
        return state
    added: list[Record] = []
    for skill_id in open_skills(state):
        below = foundations(catalogue, skill_id)
        source = next((z for z in zeros if z in below), None)
        if source is None:
            continue
        name = catalogue.skills[source].name if source in catalogue.skills else source
        added.append(
            Record(
                skill=skill_id,
                level=0,
                how="inferred",
                confidence=CONFIDENCE["inferred"],
                on=today,
                evidence=f"inferred: no experience yet with {name}",
                inferred_from=source,
            )
        )
    if not added:
        return state
    return state.model_copy(update={"records": (*state.records, *added)})


def without(state: AssessmentState, skill_id: str) -> AssessmentState:
    """Drop ``skill_id``'s record and what was inferred from it (for Back)."""
    kept = tuple(r for r in state.records if r.skill != skill_id and r.inferred_from != skill_id)
    return state.model_copy(update={"records": kept})


def with_record(state: AssessmentState, record: Record) -> AssessmentState:
    """Replace or add ``record``; remember the skill for Back."""
    kept = tuple(r for r in state.records if r.skill != record.skill)
    history = tuple(h for h in state.history if h != record.skill)
    return state.model_copy(
        update={"records": (*kept, record), "history": (*history, record.skill)}
    )
