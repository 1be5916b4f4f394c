"""What a learner asks the planner for: a target, constraints and an objective."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coach.errors import PlanningError

Objective = Literal["cheapest", "fastest", "recognized", "balanced"]
Modality = Literal["online", "onsite", "blended"]

#: Pace of self-paced credentials when the learner states no weekly capacity.
DEFAULT_HOURS_PER_WEEK = 10.0


class PlanRequest(BaseModel):
    """A plan request: every constraint is optional except the target.

    * ``budget``: most the learner will pay (catalogue currency; award fees included).
    * ``hours_per_week``: study capacity; the schedule never exceeds it in any week.
      Unstated (None): no capacity limit; self-paced credentials are paced at
      ``DEFAULT_HOURS_PER_WEEK`` and cohort credentials at their own pace.
    * ``weeks``: deadline, in weeks from the start of the plan.
    * ``modality`` / ``language``: only credentials offered that way / in that language.
    * ``country``: only credentials accredited or recognised there (current, not refused).
    * ``providers_prefer`` break ties (and weigh in ``balanced``); ``providers_avoid`` exclude.
    * ``max_credentials``: most new credentials in the plan.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: str = Field(min_length=1)
    budget: float | None = Field(default=None, ge=0)
    hours_per_week: float | None = Field(default=None, gt=0, le=112)
    weeks: int | None = Field(default=None, ge=0, le=1040)
    objective: Objective = "balanced"
    modality: Modality | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    providers_prefer: tuple[str, ...] = ()
    providers_avoid: tuple[str, ...] = ()
    max_credentials: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _not_contradictory(self) -> PlanRequest:
        both = sorted(set(self.providers_prefer) & set(self.providers_avoid))
        if both:
            raise ValueError(f"providers both preferred and avoided: {', '.join(both)}")
        return self

    @classmethod
    def parse(cls, **fields: Any) -> PlanRequest:
        """Build a request, turning validation failures into one ``PlanningError``."""
        try:
            return cls(**fields)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'request'}: {err['msg']}"
                for err in exc.errors()
            )
            raise PlanningError(f"malformed plan request: {problems}") from exc
