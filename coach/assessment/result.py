"""The assessment's outcome: estimates, the gap to the target, a summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.assessment.state import AssessmentState, Mode, TargetRef
from coach.profile import HeldCredential, Profile, SkillEstimate
from knowledge.schema import Catalogue

GapStatus = Literal["met", "gap", "unknown"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SkillGap(_Value):
    """Required minus current for one target skill (``gap`` None when unknown)."""

    skill: str
    name: str
    required: int = Field(ge=1, le=8)
    current: int | None = Field(default=None, ge=0, le=8)
    max_level: int = Field(ge=1, le=8)
    gap: int | None = Field(default=None, ge=0, le=8)
    essential: bool = False
    status: GapStatus


class AssessmentResult(_Value):
    """Where the learner stands against the target."""

    target: TargetRef
    mode: Mode
    assessed_on: dt.date
    estimates: tuple[SkillEstimate, ...]
    unknown: tuple[str, ...] = Field(default=(), description="Target skills left unknown.")
    gaps: tuple[SkillGap, ...]
    summary: str
    questions_asked: int = Field(ge=0)

    @property
    def levels(self) -> dict[str, int]:
        """Skill id -> level for every skill with an estimate."""
        return {e.skill: e.level for e in self.estimates}

    def to_profile(self, learner_id: str, holdings: Sequence[HeldCredential] = ()) -> Profile:
        """The planner's view of the result."""
        return Profile(
            learner_id=learner_id,
            skills={e.skill: e for e in self.estimates},
            holdings=tuple(holdings),
        )


def build_result(catalogue: Catalogue, state: AssessmentState, today: dt.date) -> AssessmentResult:
    """Turn the finished (or stopped) state into estimates, gaps and a summary."""
    if state.target is None:  # pragma: no cover - the machine never finishes without one
        raise ValueError("an assessment without a target has no result")
    estimates: list[SkillEstimate] = []
    gaps: list[SkillGap] = []
    unknown: list[str] = []
    for need in state.requirements:
        skill = catalogue.skills.get(need.skill)
        name = skill.name if skill is not None else need.skill
        max_level = skill.max_level if skill is not None else need.level
        record = state.record_of(need.skill)
        current = record.level if record is not None else None
        if record is not None and record.level is not None:
            estimates.append(
                SkillEstimate(
                    skill=need.skill,
                    level=record.level,
                    source="verified-credential" if record.how == "verified" else "self-assessed",
                    confidence=record.confidence,
                    assessed_on=record.on,
                    evidence=record.evidence,
                )
            )
        else:
            unknown.append(need.skill)
        status: GapStatus
        if current is None:
            gap, status = None, "unknown"
        else:
            gap = max(0, need.level - current)
            status = "met" if gap == 0 else "gap"
        gaps.append(
            SkillGap(
                skill=need.skill,
                name=name,
                required=need.level,
                current=current,
                max_level=max(max_level, need.level),
                gap=gap,
                essential=need.essential,
                status=status,
            )
        )
    return AssessmentResult(
        target=state.target,
        mode=state.mode,
        assessed_on=today,
        estimates=tuple(estimates),
        unknown=tuple(unknown),
        gaps=tuple(gaps),
        summary=summarise(state.target, gaps),
        questions_asked=len(state.asked),
    )


def summarise(target: TargetRef, gaps: Sequence[SkillGap]) -> str:
    """A few plain sentences: what is met, the biggest gaps, what is unknown."""
    known = [g for g in gaps if g.status != "unknown"]
    met = [g for g in known if g.status == "met"]
    missing = sorted(
        (g for g in known if g.status == "gap"),
        key=lambda g: (not g.essential, -(g.gap or 0), g.name),
    )
    lines = [f"Towards {target.title}: you already meet {len(met)} of {len(gaps)} skills."]
    if missing:
        shown = ", ".join(f"{g.name} (level {g.current} of {g.required})" for g in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        lines.append(f"Biggest gaps: {shown}{more}.")
    elif known:
        lines.append("No gaps among the skills we covered.")
    unknown = [g.name for g in gaps if g.status == "unknown"]
    if unknown:
        shown = ", ".join(unknown[:4]) + (
            f" and {len(unknown) - 4} more" if len(unknown) > 4 else ""
        )
        lines.append(f"Not assessed yet: {shown}.")
    return " ".join(lines)
