"""What the planner answers: steps, totals, coverage, alternatives (the DESIGN contract)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PlanStatus = Literal["planned", "already-reached", "infeasible", "unknown-target"]
RequirementStatus = Literal["met-by-wallet", "met-by-plan", "unmet"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Counted(_Value):
    """One credential counted towards a requirement, and the credits it counts there."""

    id: str
    source: Literal["wallet", "plan", "profile"]
    credits: float = 0.0


class Requirement(_Value):
    """One requirement of the target and how it is covered.

    Ids: ``required:<credential>``, ``pool:<pool>``, ``credits:total``,
    ``credits:transfer-cap``, ``transfer:<record>`` (qualification targets);
    ``skill:<skill>``, ``asked:<credential>`` (role targets; asked credentials are a bonus).
    """

    id: str
    kind: Literal["required", "pool", "total-credits", "transfer-cap", "skill", "asked"]
    description: str
    status: RequirementStatus
    mandatory: bool = True
    by: tuple[Counted, ...] = ()
    needed: float | None = Field(default=None, description="Credits, count or level needed.")
    reached: float | None = None


class PlanStep(_Value):
    """One credential to earn, when, why, and what it counts towards."""

    id: str
    title: str
    provider: str
    cost: float
    currency: str
    hours: float
    credits: float
    start_week: int
    end_week: int
    hours_per_week: float
    reason: str
    skills_gained: tuple[tuple[str, int], ...] = ()
    satisfies: tuple[str, ...] = Field(default=(), description="Requirement ids it counts for.")
    enables: tuple[str, ...] = Field(default=(), description="Later steps it is a prerequisite of.")
    after: tuple[str, ...] = Field(default=(), description="Earlier steps it needs.")
    cites: tuple[str, ...] = Field(default=(), description="Catalogue entries behind the reason.")


class Totals(_Value):
    cost: float = 0.0
    hours: float = 0.0
    weeks: int = 0
    credits: float = 0.0
    award_fee: float = 0.0


class Relaxation(_Value):
    """A single change to the request that makes a plan possible."""

    constraint: str
    current: str
    needed: str
    together: bool = Field(default=False, description="Only works with the other 'together' ones.")

    def text(self) -> str:
        return f"{self.constraint} {self.current} -> {self.needed}"


class Alternative(_Value):
    """Another plan under another objective, with how it trades off against the chosen one."""

    objective: str
    steps: tuple[str, ...]
    totals: Totals
    tradeoff: str


class PlanResult(_Value):
    """The planner's answer. ``to_contract()`` is the ``coach plan --json`` object."""

    target: str
    target_title: str = ""
    target_kind: Literal["qualification", "role", "credential", "unknown"] = "unknown"
    objective: str = "balanced"
    status: PlanStatus
    feasible: bool
    steps: tuple[PlanStep, ...] = ()
    totals: Totals = Totals()
    requirements: tuple[Requirement, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    infeasible_reason: str | None = None
    blocking: tuple[str, ...] = Field(default=(), description="Constraints that block a plan.")
    relaxations: tuple[Relaxation, ...] = ()
    optimal: bool = Field(default=True, description="False when the solver ran out of time.")
    notes: tuple[str, ...] = ()
    candidates: tuple[tuple[str, str, float], ...] = Field(
        default=(), description="For an unknown target: (id, title, score) guesses."
    )

    def to_contract(self) -> dict[str, Any]:
        """The DESIGN JSON shape, plus the detail fields beside it."""
        return {
            "target": self.target,
            "target_title": self.target_title,
            "target_kind": self.target_kind,
            "objective": self.objective,
            "status": self.status,
            "feasible": self.feasible,
            "steps": [
                {
                    "id": step.id,
                    "title": step.title,
                    "provider": step.provider,
                    "cost": step.cost,
                    "currency": step.currency,
                    "hours": step.hours,
                    "credits": step.credits,
                    "start_week": step.start_week,
                    "end_week": step.end_week,
                    "hours_per_week": step.hours_per_week,
                    "reason": step.reason,
                    "skills_gained": [
                        {"skill": skill, "level": level} for skill, level in step.skills_gained
                    ],
                    "satisfies": list(step.satisfies),
                    "enables": list(step.enables),
                    "after": list(step.after),
                    "cites": list(step.cites),
                }
                for step in self.steps
            ],
            "totals": self.totals.model_dump(),
            "requirements": [req.model_dump(mode="json") for req in self.requirements],
            "alternatives": [alt.model_dump(mode="json") for alt in self.alternatives],
            "infeasible_reason": self.infeasible_reason,
            "blocking": list(self.blocking),
            "relaxations": [
                {**relax.model_dump(), "text": relax.text()} for relax in self.relaxations
            ],
            "optimal": self.optimal,
            "notes": list(self.notes),
            "candidates": [
                {"id": cid, "title": title, "score": score} for cid, title, score in self.candidates
            ],
        }
