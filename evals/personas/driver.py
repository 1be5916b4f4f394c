"""Drive the self-assessment with scripted learner personas whose true levels are known.

A persona (one YAML file in this folder) names a goal, its true level on every
skill the goal needs, how it answers (``buttons``, ``free-text`` or ``mixed``),
its own words per skill for free-text answers, and any wallet holdings. It
answers every question honestly and consistently with its truth, the way a
person would: it confirms a reading that matches, corrects one that does not,
and accepts verified levels only when they match what it knows of itself.

``run_persona`` returns how the profile compares with the truth and how many
questions it took; ``python -m evals.personas.driver`` prints a table.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from coach.assessment import AssessmentResult, Step, advance, start
from coach.profile import HeldCredential
from knowledge.embedding import Embedder
from knowledge.schema import Catalogue

PERSONA_DIR = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 29)
MAX_TURNS = 200

Style = Literal["buttons", "free-text", "mixed"]


class Holding(BaseModel):
    """A credential in the persona's wallet."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    credential: str
    verified: bool = True
    earned_on: dt.date = dt.date(2025, 6, 1)


class Persona(BaseModel):
    """A scripted learner with known true levels."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    description: str = ""
    target: str = Field(description="What the persona says its goal is (id or own words).")
    target_id: str = Field(description="The catalogue entry it means.")
    mode: Literal["quick", "thorough"] = "quick"
    style: Style = "buttons"
    truth: dict[str, int] = Field(description="True level per skill (0 = none).")
    words: dict[str, str] = Field(
        default_factory=dict, description="What it says about each skill, in its own words."
    )
    holdings: tuple[Holding, ...] = ()

    def held(self) -> tuple[HeldCredential, ...]:
        return tuple(
            HeldCredential(
                credential_id=h.credential,
                earned_on=h.earned_on,
                verified=h.verified,
                wallet_record=f"wallet-{h.credential}",
            )
            for h in self.holdings
        )


@dataclass
class PersonaRun:
    """The outcome of one persona's assessment."""

    persona: Persona
    result: AssessmentResult
    questions: int
    turns: int
    confirmations: int
    asked: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of skills with an estimate whose level equals the truth."""
        known = len(self.matched) + len(self.mismatched)
        return len(self.matched) / known if known else 0.0


def load_personas(folder: Path = PERSONA_DIR) -> list[Persona]:
    """Every ``*.yaml`` persona in ``folder``, by file name."""
    personas = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        personas.append(Persona.model_validate(data))
    return personas


class _Learner:
    """Turns each question into the persona's honest reply."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.use_buttons_for: set[str] = set()
        self.confirmations = 0

    def reply(self, step: Step) -> str:
        state = step.state
        payloads = [a.payload for a in step.answer.actions]
        if state.phase == "choose_target":
            wanted = f"assess:target:{self.persona.target_id}"
            if wanted not in payloads:
                raise AssertionError(f"{self.persona.name}: goal not offered: {payloads}")
            return wanted
        if state.phase == "need_target":
            return self.persona.target_id
        if state.phase == "confirm_verified":
            honest = all(self._truth(p.skill) == p.level for p in state.prefills)
            return "assess:verified:yes" if honest else "assess:verified:no"
        if state.phase == "follow_up":
            return "assess:sure:medium"
        skill = state.current or ""
        truth = self._truth(skill)
        if state.phase == "confirm_level":
            self.confirmations += 1
            pending = state.pending
            if pending is not None and pending.level == truth:
                return "assess:confirm:yes"
            if f"assess:level:{truth}" in payloads:
                return f"assess:level:{truth}"
            self.use_buttons_for.add(skill)
            return "assess:confirm:no"
        return self._answer(skill, truth)

    def _truth(self, skill: str) -> int:
        if skill not in self.persona.truth:
            raise AssertionError(f"{self.persona.name}: no true level for {skill}")
        return self.persona.truth[skill]

    def _answer(self, skill: str, truth: int) -> str:
        words = self.persona.words.get(skill)
        wants_words = self.persona.style != "buttons" and skill not in self.use_buttons_for
        if wants_words and words:
            return words
        if self.persona.style == "free-text" and not words:
            raise AssertionError(f"{self.persona.name}: no words for {skill}")
        return f"assess:level:{truth}"


def run_persona(
    catalogue: Catalogue, persona: Persona, *, embedder: Embedder | None = None
) -> PersonaRun:
    """Take the assessment as ``persona`` and compare the profile with its truth."""
    learner = _Learner(persona)
    step = start(catalogue, persona.target, mode=persona.mode, holdings=persona.held(), today=TODAY)
    turns = 0
    while not step.done:
        turns += 1
        if turns > MAX_TURNS:
            raise AssertionError(f"{persona.name}: no result after {MAX_TURNS} turns")
        stored: Mapping[str, Any] = step.state.model_dump(mode="json")
        step = advance(catalogue, stored, learner.reply(step), today=TODAY, embedder=embedder)
    result = step.result
    if result is None:  # pragma: no cover - a finished step always has one
        raise AssertionError(f"{persona.name}: finished without a result")
    run = PersonaRun(
        persona=persona,
        result=result,
        questions=len(step.state.asked),
        turns=turns,
        confirmations=learner.confirmations,
        asked=list(step.state.asked),
    )
    levels = result.levels
    for gap in result.gaps:
        if gap.skill not in levels:
            run.unknown.append(gap.skill)
        elif levels[gap.skill] == persona.truth.get(gap.skill):
            run.matched.append(gap.skill)
        else:
            run.mismatched[gap.skill] = (levels[gap.skill], persona.truth.get(gap.skill, -1))
    return run


def run_all(
    catalogue: Catalogue, personas: Sequence[Persona], *, embedder: Embedder | None = None
) -> list[PersonaRun]:
    return [run_persona(catalogue, p, embedder=embedder) for p in personas]


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - a reporting aid
    """Print one line per persona: accuracy, questions, confirmations."""
    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.loading import load_catalogue

    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "knowledge/data/demo"
    catalogue = load_catalogue(folder)
    runs = run_all(catalogue, load_personas(), embedder=SentenceTransformerEmbedder())
    for run in runs:
        print(
            f"{run.persona.name:40} {run.persona.style:9} acc={run.accuracy:.2f} "
            f"q={run.questions:2d} confirm={run.confirmations} unknown={len(run.unknown)} "
            f"miss={run.mismatched}"
        )
    total = sum(len(r.matched) for r in runs)
    known = total + sum(len(r.mismatched) for r in runs)
    print(f"overall accuracy {total / known:.3f} over {known} skills")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
