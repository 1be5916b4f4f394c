"""The validation report: every problem found, each with where it is.

``errors`` make a catalogue invalid (the coach refuses to load it);
``warnings`` point at data worth a second look but do not block loading.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    """One problem: ``where`` is ``file: kind[index] (id) > field``."""

    model_config = ConfigDict(frozen=True)

    where: str
    message: str


class ValidationReport(BaseModel):
    """What ``coach catalogue validate --json`` prints."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)

    def summary(self, limit: int = 5) -> str:
        """A few lines for an exception message or a log line."""
        head = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        lines = [f"{problem.where}: {problem.message}" for problem in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more")
        return "\n".join([head, *lines])


class Problems:
    """Collects problems while the checks run (mutable; frozen into a report)."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(Problem(where=where, message=message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where=where, message=message))

    def report(self, counts: dict[str, int]) -> ValidationReport:
        return ValidationReport(
            ok=not self.errors,
            errors=list(self.errors),
            warnings=list(self.warnings),
            counts=dict(counts),
        )
