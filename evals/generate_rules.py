"""Generated cases from a catalogue's rules: prerequisites and stacking.

Each case's expectations come from the records themselves: the titles that must
appear in the answer and the ids that must be cited.
"""

from __future__ import annotations

from typing import Any

from knowledge.schema import Catalogue


def prerequisite_cases(catalogue: Catalogue, limit: int) -> list[dict[str, Any]]:
    """ "What do I need before X?": every prerequisite credential and skill is named and cited."""
    cases: list[dict[str, Any]] = []
    for cid, credential in catalogue.credentials.items():
        if not credential.prerequisites or len(cases) >= limit:
            continue
        facts: list[str] = []
        cited = [cid]
        for group in credential.prerequisites:
            for needed in group.credentials:
                title = catalogue.title_of(needed)
                if title is not None:
                    facts.append(title)
                    cited.append(needed)
            for level in group.skills:
                name = catalogue.title_of(level.skill)
                if name is not None:
                    facts.append(name)
        if not facts:
            continue
        cases.append(
            {
                "id": f"prerequisites-{cid}",
                "kind": "ask",
                "tags": ["prerequisites", "generated"],
                "question": f"What do I need before {credential.title}?",
                "expect": {"facts": _unique(facts), "citations": _unique(cited)},
            }
        )
    return cases


def stacking_cases(catalogue: Catalogue, limit: int) -> list[dict[str, Any]]:
    """What a credential stacks into, and what a qualification is built from."""
    cases: list[dict[str, Any]] = []
    for cid, qualifications in catalogue.stacks_into.items():
        credential = catalogue.credentials.get(cid)
        if credential is None or len(cases) >= limit:
            continue
        titles = [catalogue.title_of(q) or q for q in qualifications]
        cases.append(
            {
                "id": f"stacks-into-{cid}",
                "kind": "ask",
                "tags": ["stacking", "generated"],
                "question": f"What does {credential.title} stack into?",
                "expect": {"facts": titles, "citations": [cid, *qualifications]},
            }
        )
    for qid, qualification in list(catalogue.qualifications.items())[:limit]:
        rules = qualification.rules
        required = [r for r in rules.required if r in catalogue.credentials]
        facts: list[Any] = [catalogue.credentials[r].title for r in required]
        if rules.min_total_credits:
            facts.append(rules.min_total_credits)
        for pool in rules.elective_pools:
            if pool.min_credits:
                facts.append(pool.min_credits)
        if not facts:
            continue
        cases.append(
            {
                "id": f"stacking-rules-{qid}",
                "kind": "ask",
                "tags": ["stacking", "credits", "generated"],
                "question": f"Which credentials count towards {qualification.title}?",
                "expect": {"facts": facts, "citations": [qid, *required]},
            }
        )
    return cases


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
