"""Small catalogues for planner tests, built in code (no files, no loader)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coach.profile import HeldCredential, Profile, SkillEstimate
from knowledge.schema import (
    Catalogue,
    CatalogueInfo,
    Credential,
    ElectivePool,
    PrerequisiteGroup,
    Provider,
    Qualification,
    Recognition,
    Role,
    RoleSkill,
    Skill,
    SkillLevel,
    StackingRules,
)

TODAY = dt.date(2026, 6, 1)
LEVELS = ("knows", "applies", "adapts", "leads", "shapes")


def skill(sid: str) -> Skill:
    return Skill(id=sid, name=sid.replace("-", " ").title(), domain="data", levels=LEVELS)


def cred(
    cid: str,
    *,
    cost: float = 100,
    hours: float = 20,
    credits: float | None = 2,
    provider: str = "uni",
    skills: dict[str, int] | None = None,
    prereq: tuple[PrerequisiteGroup, ...] = (),
    eqf: int | None = 5,
    mode: str = "online",
    pacing: str = "self-paced",
    weeks: float = 4,
    languages: tuple[str, ...] = ("en",),
) -> Credential:
    return Credential(
        id=cid,
        title=f"Course {cid}",
        type="MicroCredential",
        provider=provider,
        skills=tuple(SkillLevel(skill=s, level=lv) for s, lv in (skills or {}).items()),
        domain="data",
        eqf_level=eqf,
        workload={"hours": hours, "credits": credits},
        price={"amount": cost},
        duration_weeks=weeks,
        participation={"mode": mode, "pacing": pacing},
        prerequisites=prereq,
        languages=languages,
    )


def group(
    *, credentials: tuple[str, ...] = (), skills: dict[str, int] | None = None, n: int | None = None
) -> PrerequisiteGroup:
    return PrerequisiteGroup(
        min_count=n,
        credentials=credentials,
        skills=tuple(SkillLevel(skill=s, level=lv) for s, lv in (skills or {}).items()),
    )


def qual(
    qid: str,
    *,
    required: tuple[str, ...] = (),
    pools: tuple[ElectivePool, ...] = (),
    provider: str = "uni",
    award_fee: float | None = None,
    **rules: Any,
) -> Qualification:
    return Qualification(
        id=qid,
        title=f"Certificate {qid}",
        type="Certificate",
        provider=provider,
        domain="data",
        rules=StackingRules(required=required, elective_pools=pools, **rules),
        award_fee=None if award_fee is None else {"amount": award_fee},
    )


def pool(
    pid: str, members: tuple[str, ...], *, credits: float | None = None, count: int | None = None
) -> ElectivePool:
    return ElectivePool(id=pid, credentials=members, min_credits=credits, min_count=count)


def role(rid: str, needs: dict[str, tuple[int, bool]], asked: tuple[str, ...] = ()) -> Role:
    return Role(
        id=rid,
        title=f"Role {rid}",
        domain="data",
        required_skills=tuple(
            RoleSkill(skill=s, level=lv, essential=ess) for s, (lv, ess) in needs.items()
        ),
        asked_credentials=asked,
    )


def recognition(
    rid: str,
    credential: str,
    *,
    kind: str = "accreditation",
    countries: tuple[str, ...] = ("DE",),
    **extra: Any,
) -> Recognition:
    return Recognition(
        id=rid,
        kind=kind,
        granted_by="Agency",
        credential=credential,
        countries=countries,
        detail=f"{kind} of {credential}",
        source_url="https://example.org/r",
        **extra,
    )


def catalogue(
    credentials: list[Credential],
    *,
    qualifications: list[Qualification] = (),  # type: ignore[assignment]
    roles: list[Role] = (),  # type: ignore[assignment]
    recognitions: list[Recognition] = (),  # type: ignore[assignment]
) -> Catalogue:
    skill_ids = {s.skill for c in credentials for s in c.skills}
    skill_ids |= {s.skill for r in roles for s in r.required_skills}
    skill_ids |= {s.skill for c in credentials for g in c.prerequisites for s in g.skills}
    providers = {c.provider for c in credentials} | {q.provider for q in qualifications}
    return Catalogue(
        info=CatalogueInfo(name="test"),
        providers={
            p: Provider(id=p, name=p.title(), kind="university", country="DE") for p in providers
        },
        skills={s: skill(s) for s in sorted(skill_ids)},
        credentials={c.id: c for c in credentials},
        qualifications={q.id: q for q in qualifications},
        roles={r.id: r for r in roles},
        recognitions={r.id: r for r in recognitions},
    )


def profile(
    levels: dict[str, int] | None = None,
    held: dict[str, dt.date] | None = None,
) -> Profile:
    return Profile(
        learner_id="learner-1",
        skills={
            s: SkillEstimate(
                skill=s, level=lv, source="self-assessed", confidence=0.8, assessed_on=TODAY
            )
            for s, lv in (levels or {}).items()
        },
        holdings=tuple(
            HeldCredential(credential_id=c, earned_on=d, verified=True)
            for c, d in (held or {}).items()
        ),
    )
