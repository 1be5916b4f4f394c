"""Finding the learner's goal in the catalogue and the skills it needs.

A goal is a role, a qualification or a domain (domains are the ``domain`` ids
that skills, credentials and roles carry). Resolution goes through a
``Resolver``: the coach can plug in vector search; ``lexical_resolver`` is the
default (exact ids, then fuzzy matching over titles, aliases and domain names
with rapidfuzz) so the assessment works on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from coach.assessment.state import Requirement, TargetRef
from knowledge.schema import Catalogue, Skill


class TargetCandidate(BaseModel):
    """A possible goal with a score in [0, 1]."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ref: TargetRef
    score: float = Field(ge=0.0, le=1.0)


#: Resolver port: (catalogue, learner's words) -> candidates, best first.
Resolver = Callable[[Catalogue, str], Sequence[TargetCandidate]]

#: Below this a candidate is not a match at all; within ``AMBIGUOUS_MARGIN`` of
#: the best one, it is a rival the learner must choose between.
MIN_SCORE = 0.6
AMBIGUOUS_MARGIN = 0.12

_FILLER_TEXT = (
    "i im i'm want wanna would like to move into get become be a an the my as in into "
    "work working job career role towards toward for of do on at about goal aim "
    "switch change transition learn study me please"
)
_FILLER = frozenset(_FILLER_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+")
_SMALL_WORDS = frozenset({"of", "in", "on", "to", "by", "an", "at", "or"})


def domain_title(domain_id: str) -> str:
    """Readable name of a domain id: ``data-analysis`` -> ``Data analysis``."""
    words = [word for word in re.split(r"[-_.]+", domain_id) if word]
    # Two-letter words in domain ids are acronyms: "ux-design" -> "UX design".
    shown = [w.upper() if len(w) <= 2 and w not in _SMALL_WORDS else w for w in words]
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


def domains(catalogue: Catalogue) -> tuple[str, ...]:
    """Every domain id that some skill belongs to."""
    return tuple(sorted({skill.domain for skill in catalogue.skills.values()}))


def _core_words(text: str) -> str:
    words = [w for w in _WORD.findall(text.lower()) if w not in _FILLER]
    return " ".join(words)


def _names(catalogue: Catalogue) -> Iterable[tuple[TargetRef, tuple[str, ...]]]:
    for role in catalogue.roles.values():
        yield TargetRef(kind="role", id=role.id, title=role.title), (role.title, *role.aliases)
    for qual in catalogue.qualifications.values():
        yield (
            TargetRef(kind="qualification", id=qual.id, title=qual.title),
            (qual.title, *qual.aliases),
        )
    for domain in domains(catalogue):
        title = domain_title(domain)
        yield TargetRef(kind="domain", id=domain, title=title), (title,)


def lexical_resolver(catalogue: Catalogue, text: str) -> list[TargetCandidate]:
    """Default resolver: exact id first, then fuzzy match on names, best first."""
    wanted = text.strip()
    exact = [ref for ref, _ in _names(catalogue) if ref.id == wanted.lower()]
    if exact:
        return [TargetCandidate(ref=exact[0], score=1.0)]
    query = _core_words(wanted)
    if not query:
        return []
    scored: list[TargetCandidate] = []
    for ref, names in _names(catalogue):
        best = 0.0
        for name in names:
            core = _core_words(name)
            if not core:
                continue
            # token_set handles "I want to move into data analysis" vs a short
            # title; WRatio catches spelling slips ("data analist").
            score = max(fuzz.token_set_ratio(query, core), fuzz.WRatio(query, core))
            if query == core:
                score = 100.0
            best = max(best, score / 100.0)
        if best >= MIN_SCORE:
            scored.append(TargetCandidate(ref=ref, score=round(best, 4)))
    kind_order = {"role": 0, "qualification": 1, "domain": 2}
    scored.sort(key=lambda c: (-c.score, kind_order[c.ref.kind], c.ref.title))
    return scored


def rivals(candidates: Sequence[TargetCandidate], *, limit: int = 5) -> list[TargetCandidate]:
    """The candidates close enough to the best one that the learner must choose."""
    good = [c for c in candidates if c.score >= MIN_SCORE]
    if not good:
        return []
    best = good[0].score
    return [c for c in good if best - c.score <= AMBIGUOUS_MARGIN][:limit]


def ref_for_id(catalogue: Catalogue, entry_id: str) -> TargetRef | None:
    """The target an id names, if it is a role, qualification or domain."""
    role = catalogue.roles.get(entry_id)
    if role is not None:
        return TargetRef(kind="role", id=role.id, title=role.title)
    qual = catalogue.qualifications.get(entry_id)
    if qual is not None:
        return TargetRef(kind="qualification", id=qual.id, title=qual.title)
    if entry_id in domains(catalogue):
        return TargetRef(kind="domain", id=entry_id, title=domain_title(entry_id))
    return None


# --- what the target needs ------------------------------------------------------
def _raw_needs(catalogue: Catalogue, target: TargetRef) -> dict[str, tuple[int, bool]]:
    """Skill id -> (required level, essential), before ordering."""
    needs: dict[str, tuple[int, bool]] = {}

    def add(skill_id: str, level: int, essential: bool) -> None:
        skill = catalogue.skills.get(skill_id)
        if skill is None:
            return
        level = min(level, skill.max_level)
        old_level, old_essential = needs.get(skill_id, (0, False))
        needs[skill_id] = (max(old_level, level), old_essential or essential)

    if target.kind == "role":
        role = catalogue.roles.get(target.id)
        if role is not None:
            for need in role.required_skills:
                add(need.skill, need.level, need.essential)
    elif target.kind == "qualification":
        qual = catalogue.qualifications.get(target.id)
        if qual is not None:
            required = set(qual.rules.required)
            members = list(qual.rules.required)
            for pool in qual.rules.elective_pools:
                members.extend(pool.credentials)
            for credential_id in members:
                credential = catalogue.credentials.get(credential_id)
                if credential is None:
                    continue
                for taught in credential.skills:
                    add(taught.skill, taught.level, credential_id in required)
    else:
        needs.update(_domain_needs(catalogue, target.id))
    return needs


def _domain_needs(catalogue: Catalogue, domain: str) -> dict[str, tuple[int, bool]]:
    """A domain's core skills: its skills that its roles or credentials ask for.

    The level is the highest its roles require (else the highest its credentials
    teach, else the middle of the scale); essential when a role says so.
    """
    in_domain = {s.id: s for s in catalogue.skills.values() if s.domain == domain}
    role_need: dict[str, tuple[int, bool]] = {}
    for role in catalogue.roles.values():
        for need in role.required_skills:
            if need.skill in in_domain:
                level, essential = role_need.get(need.skill, (0, False))
                role_need[need.skill] = (max(level, need.level), essential or need.essential)
    taught: dict[str, int] = {}
    for credential in catalogue.credentials.values():
        for item in credential.skills:
            if item.skill in in_domain:
                taught[item.skill] = max(taught.get(item.skill, 0), item.level)
    core = set(role_need) | set(taught) or set(in_domain)
    result: dict[str, tuple[int, bool]] = {}
    for skill_id in core:
        skill = in_domain[skill_id]
        if skill_id in role_need:
            level, essential = role_need[skill_id]
        else:
            level, essential = taught.get(skill_id, (skill.max_level + 1) // 2), False
        result[skill_id] = (min(level, skill.max_level), essential)
    return result


def foundations(catalogue: Catalogue, skill_id: str) -> set[str]:
    """Every skill ``skill_id`` builds on, transitively (cycles are tolerated)."""
    seen: set[str] = set()
    stack = list(_depends(catalogue, skill_id))
    while stack:
        current = stack.pop()
        if current in seen or current == skill_id:
            continue
        seen.add(current)
        stack.extend(_depends(catalogue, current))
    return seen


def _depends(catalogue: Catalogue, skill_id: str) -> tuple[str, ...]:
    skill: Skill | None = catalogue.skills.get(skill_id)
    return skill.depends_on if skill is not None else ()


def requirements_for(catalogue: Catalogue, target: TargetRef) -> tuple[Requirement, ...]:
    """The target's skills, foundations first; ``rank`` orders them by impact.

    Impact: essential first, then the larger required level, then the skill
    more others build on. The order is topological by ``depends_on`` (within
    the target's skills, transitively), ties broken by impact.
    """
    needs = _raw_needs(catalogue, target)
    ids = sorted(needs)
    below = {s: foundations(catalogue, s) & set(ids) for s in ids}
    dependants = {s: sum(1 for o in ids if s in below[o]) for s in ids}
    by_impact = sorted(ids, key=lambda s: (not needs[s][1], -needs[s][0], -dependants[s], s))
    rank = {skill_id: index for index, skill_id in enumerate(by_impact)}
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(ids):
        ready = [s for s in ids if s not in placed and below[s] <= placed]
        if not ready:  # a cycle: break it at the highest-impact skill left
            ready = [s for s in ids if s not in placed]
        chosen = min(ready, key=lambda s: rank[s])
        ordered.append(chosen)
        placed.add(chosen)
    return tuple(
        Requirement(skill=s, level=needs[s][0], essential=needs[s][1], rank=rank[s])
        for s in ordered
    )
