"""The self-assessment conversation as a pure state machine.

``start`` and ``advance`` take plain data (the catalogue, the stored state, the
learner's message, ``today``) and return a ``Step``: the new state, the answer
to show, and the result once done. No IO, no clock: Telegram, the web chat and
the terminal all drive the same transitions.

need_target ─▶ choose_target ─▶ confirm_verified ─▶ asking ⇄ confirm_level
                                                      │  ⇅ follow_up
                                                      └──▶ done
Any phase: pause / resume, back, and a clear re-prompt for anything unreadable.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from coach.answer import Action, Answer, Attachment
from coach.assessment import prompts
from coach.assessment.commands import MAX_INPUT, Command, parse
from coach.assessment.matching import match_level
from coach.assessment.result import AssessmentResult, build_result
from coach.assessment.selection import (
    CONFIDENCE,
    infer_from_none,
    next_skill,
    prefills_from,
    with_record,
    without,
)
from coach.assessment.state import AssessmentState, Mode, PendingLevel, Record, TargetRef
from coach.assessment.targets import (
    Resolver,
    lexical_resolver,
    ref_for_id,
    requirements_for,
    rivals,
)
from coach.profile import HeldCredential
from knowledge.embedding import Embedder
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)

_VERIFIED_MARK = "@verified"
_SURE_DELTA = {"high": 0.15, "medium": 0.0, "low": -0.25, "skip": 0.0}


class Step(BaseModel):
    """One turn's outcome: persist ``state``, show ``answer``; ``result`` when done."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    state: AssessmentState
    answer: Answer
    done: bool = False
    result: AssessmentResult | None = None


def start(
    catalogue: Catalogue,
    target_text_or_id: str | None,
    *,
    mode: Mode = "quick",
    holdings: Sequence[HeldCredential] = (),
    today: dt.date,
    resolver: Resolver | None = None,
    follow_up: bool = False,
) -> Step:
    """Begin an assessment towards a goal (asks for one when none is given)."""
    evidence = prefills_from(catalogue, tuple(catalogue.skills), holdings)
    state = AssessmentState(mode=mode, started_on=today, follow_up=follow_up, prefills=evidence)
    text = (target_text_or_id or "").strip()
    if not text:
        return Step(state=state, answer=prompts.ask_goal())
    if len(text) > MAX_INPUT:
        return Step(state=state, answer=prompts.ask_goal("That goal is too long to read."))
    return _resolve(catalogue, state, text, today, resolver)


def advance(
    catalogue: Catalogue,
    state: AssessmentState | Mapping[str, Any],
    user_input: str,
    *,
    today: dt.date,
    embedder: Embedder | None = None,
    resolver: Resolver | None = None,
) -> Step:
    """Apply one learner message to the stored state."""
    if not isinstance(state, AssessmentState):
        try:
            state = AssessmentState.model_validate(state)
        except ValidationError:
            log.warning("assessment_state_unreadable")
            fresh = AssessmentState(started_on=today)
            note = "I couldn't read your saved assessment, so let's start again."
            return Step(state=fresh, answer=prompts.ask_goal(note))
    text = user_input.strip() if isinstance(user_input, str) else ""
    if state.phase == "done":
        return _finish(catalogue, state, today, note="This assessment is already finished.")
    if not text:
        return _reprompt(catalogue, state, "I didn't get an answer.")
    if len(text) > MAX_INPUT:
        note = (
            f"That message is too long to read ({len(text)} characters); "
            "a sentence or two is enough."
        )
        return _reprompt(catalogue, state, note)
    command = parse(text)
    if state.paused:
        if command.verb == "finish" and state.target is not None:
            return _finish(catalogue, state, today)
        return _reprompt(catalogue, state.model_copy(update={"paused": False}), "Welcome back.")
    if command.verb == "pause":
        return Step(state=state.model_copy(update={"paused": True}), answer=prompts.paused())
    if command.verb in ("resume", "start"):
        return _reprompt(catalogue, state, "We're in the middle of it.")
    if command.verb == "finish":
        if state.target is None:
            return _reprompt(catalogue, state, "There is nothing to finish yet.")
        return _finish(catalogue, state, today)
    if command.verb == "invalid":
        return _reprompt(catalogue, state, "I don't know that option.")
    handler = _HANDLERS[state.phase]
    return handler(catalogue, state, command, today, embedder, resolver)


# --- target -----------------------------------------------------------------------
def _resolve(
    catalogue: Catalogue,
    state: AssessmentState,
    text: str,
    today: dt.date,
    resolver: Resolver | None,
) -> Step:
    direct = ref_for_id(catalogue, text.lower())
    if direct is not None:
        return _set_target(catalogue, state, direct, today)
    candidates = rivals((resolver or lexical_resolver)(catalogue, text[:300]))
    if len(candidates) == 1:
        return _set_target(catalogue, state, candidates[0].ref, today)
    if candidates:
        choices = tuple(c.ref for c in candidates)
        new = state.model_copy(update={"phase": "choose_target", "choices": choices})
        return Step(state=new, answer=prompts.choose_target(choices))
    shown = text if len(text) <= 60 else text[:59] + "…"
    new = state.model_copy(update={"phase": "need_target", "choices": ()})
    answer = prompts.ask_goal(
        f'I couldn\'t find "{shown}" among the roles, qualifications and fields I know.'
    )
    suggestions = [
        Action(label=role.title[:60], payload=f"assess:target:{role.id}")
        for role in list(catalogue.roles.values())[:6]
    ]
    return Step(state=new, answer=answer.model_copy(update={"actions": tuple(suggestions)}))


def _set_target(
    catalogue: Catalogue, state: AssessmentState, ref: TargetRef, today: dt.date
) -> Step:
    requirements = requirements_for(catalogue, ref)
    if not requirements:
        new = state.model_copy(update={"phase": "need_target", "choices": ()})
        note = f"The catalogue lists no skills for {ref.title}, so I can't assess you for it."
        return Step(state=new, answer=prompts.ask_goal(note))
    wanted = {r.skill for r in requirements}
    new = state.model_copy(
        update={
            "target": ref,
            "choices": (),
            "requirements": requirements,
            "prefills": tuple(p for p in state.prefills if p.skill in wanted),
            "records": (),
            "asked": (),
            "history": (),
        }
    )
    note = f"Goal: {ref.title}. I'll ask about {len(requirements)} skills it needs, basics first."
    if new.mode == "quick" and len(requirements) > (new.limit or 0):
        note = (
            f"Goal: {ref.title}. It needs {len(requirements)} skills; in quick mode I'll ask "
            f"about the {new.limit} that matter most, basics first."
        )
    if new.prefills:
        new = new.model_copy(update={"phase": "confirm_verified"})
        return Step(state=new, answer=prompts.confirm_verified(catalogue, new.prefills, note))
    return _next_question(catalogue, new, today, note)


def _on_need_target(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:
    if command.verb == "target":
        ref = ref_for_id(catalogue, command.arg)
        if ref is not None:
            return _set_target(catalogue, state, ref, today)
    if command.verb != "text":
        return _reprompt(catalogue, state, "Tell me your goal first.")
    return _resolve(catalogue, state, command.arg, today, resolver)


def _on_choose_target(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:
    chosen: TargetRef | None = None
    if command.verb == "target":
        if command.arg == "none":
            new = state.model_copy(update={"phase": "need_target", "choices": ()})
            return Step(
                state=new, answer=prompts.ask_goal("Then tell me your goal in other words.")
            )
        chosen = next((c for c in state.choices if c.id == command.arg), None)
        chosen = chosen or ref_for_id(catalogue, command.arg)
    elif command.verb == "level" and command.arg.isdigit():
        index = int(command.arg) - 1
        chosen = state.choices[index] if 0 <= index < len(state.choices) else None
    elif command.verb == "text":
        return _resolve(catalogue, state, command.arg, today, resolver)
    elif command.verb in ("back", "no"):
        new = state.model_copy(update={"phase": "need_target", "choices": ()})
        return Step(state=new, answer=prompts.ask_goal())
    if chosen is None:
        return _reprompt(catalogue, state, "That is not one of the choices.")
    return _set_target(catalogue, state, chosen, today)


# --- verified credentials ---------------------------------------------------------
def _on_confirm_verified(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:
    answer = command.arg if command.verb == "verified" else command.verb
    if answer not in ("yes", "no"):
        return _reprompt(catalogue, state, "Please answer yes or no.")
    history = (*state.history, _VERIFIED_MARK)
    if answer == "no":
        new = state.model_copy(update={"history": history})
        return _next_question(catalogue, new, today, "Fine, I'll ask you about each of them.")
    records = tuple(
        Record(
            skill=p.skill,
            level=p.level,
            how="verified",
            confidence=CONFIDENCE["verified"],
            on=today,
            evidence=p.wallet_record or p.credential_id,
        )
        for p in state.prefills
    )
    kept = tuple(r for r in state.records if r.skill not in {p.skill for p in state.prefills})
    new = state.model_copy(update={"records": (*kept, *records), "history": history})
    return _next_question(catalogue, new, today, f"Counted {len(records)} verified skills.")


# --- skill questions --------------------------------------------------------------
def _on_asking(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:
    skill = catalogue.skills.get(state.current or "")
    if skill is None:
        return _next_question(catalogue, state, today)
    verb = command.verb
    if verb == "back":
        return _go_back(catalogue, state, today)
    if verb == "skip":
        record = Record(skill=skill.id, how="skipped", confidence=0.0, on=today)
        return _next_question(catalogue, with_record(state, record), today, "Skipped.")
    if verb == "level":
        if not command.arg.isdigit() or int(command.arg) > skill.max_level:
            note = f"There is no option {command.arg} here: choose 0 to {skill.max_level}."
            return _reprompt(catalogue, state, note)
        return _record(catalogue, state, int(command.arg), "button", CONFIDENCE["button"], today)
    if verb in ("yes", "no"):
        note = "Please pick the option closest to you (0 if none of them fits yet)."
        return _reprompt(catalogue, state, note)
    if verb != "text":
        return _reprompt(catalogue, state, "That button belongs to an earlier question.")
    match = match_level(command.arg[:1000], skill, embedder)
    if match.level is None:
        note = (
            "I couldn't place that on this scale. Pick the closest option, or say it differently."
        )
        return _reprompt(catalogue, state, note)
    if match.sure:
        note_text = command.arg if len(command.arg) <= 200 else command.arg[:199] + "…"
        return _record(
            catalogue,
            state,
            match.level,
            "free-text",
            CONFIDENCE["free-text"],
            today,
            evidence=f"in their words: {note_text}",
        )
    pending = PendingLevel(
        skill=skill.id, level=match.level, alternative=match.alternative, text=command.arg
    )
    new = state.model_copy(update={"phase": "confirm_level", "pending": pending})
    return Step(state=new, answer=prompts.confirm_level(skill, match.level, match.alternative))


def _on_confirm_level(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:
    pending = state.pending
    asking = state.model_copy(update={"phase": "asking", "pending": None})
    if pending is None or pending.skill != state.current:
        return _reprompt(catalogue, asking, "")
    answer = command.arg if command.verb == "confirm" else command.verb
    if answer == "yes":
        text = pending.text if len(pending.text) <= 200 else pending.text[:199] + "…"
        return _record(
            catalogue,
            asking,
            pending.level,
            "free-text",
            CONFIDENCE["free-text-confirmed"],
            today,
            evidence=f"in their words: {text}",
        )
    if answer in ("no", "back"):
        return _reprompt(catalogue, asking, "Then pick the option closest to you.")
    return _on_asking(catalogue, asking, command, today, embedder, resolver)


def _on_follow_up(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:
    last = state.history[-1] if state.history else None
    record = state.record_of(last) if last else None
    if record is None:
        return _next_question(catalogue, state, today)
    if command.verb == "back":
        return _go_back(catalogue, state, today)
    if command.verb == "sure" and command.arg in _SURE_DELTA:
        confidence = min(0.9, max(0.1, record.confidence + _SURE_DELTA[command.arg]))
        updated = record.model_copy(update={"confidence": round(confidence, 2)})
    elif command.verb == "skip":
        updated = record
    elif command.verb == "text":
        evidence = command.arg if len(command.arg) <= 300 else command.arg[:299] + "…"
        confidence = min(0.9, record.confidence + 0.05)
        updated = record.model_copy(
            update={"evidence": evidence, "confidence": round(confidence, 2)}
        )
    else:
        return _reprompt(catalogue, state, "Tell me how sure you are, or press Next question.")
    records = tuple(updated if r.skill == record.skill else r for r in state.records)
    return _next_question(catalogue, state.model_copy(update={"records": records}), today)


def _on_done(
    catalogue: Catalogue,
    state: AssessmentState,
    command: Command,
    today: dt.date,
    embedder: Embedder | None,
    resolver: Resolver | None,
) -> Step:  # pragma: no cover - ``advance`` answers finished states before dispatch
    return _finish(catalogue, state, today)


_HANDLERS = {
    "need_target": _on_need_target,
    "choose_target": _on_choose_target,
    "confirm_verified": _on_confirm_verified,
    "asking": _on_asking,
    "confirm_level": _on_confirm_level,
    "follow_up": _on_follow_up,
    "done": _on_done,
}


# --- moves ------------------------------------------------------------------------
def _record(
    catalogue: Catalogue,
    state: AssessmentState,
    level: int,
    how: str,
    confidence: float,
    today: dt.date,
    *,
    evidence: str | None = None,
) -> Step:
    skill_id = state.current or ""
    record = Record(
        skill=skill_id,
        level=level,
        how="button" if how == "button" else "free-text",
        confidence=confidence,
        on=today,
        evidence=evidence,
    )
    new = infer_from_none(catalogue, with_record(state, record), today)
    skipped = len(new.records) - len(state.records) - (0 if state.record_of(skill_id) else 1)
    noun = "skill that builds" if skipped == 1 else "skills that build"
    note = f"Noted. I'll skip {skipped} {noun} on it." if skipped > 0 else ""
    skill = catalogue.skills.get(skill_id)
    if new.follow_up and level > 0 and skill is not None:
        new = new.model_copy(update={"phase": "follow_up", "pending": None})
        return Step(state=new, answer=prompts.follow_up(skill, note))
    return _next_question(catalogue, new, today, note)


def _next_question(
    catalogue: Catalogue, state: AssessmentState, today: dt.date, note: str = ""
) -> Step:
    skill_id = next_skill(state)
    while skill_id is not None and skill_id not in catalogue.skills:
        # The catalogue changed since the assessment began: leave that skill unknown.
        state = with_record(state, Record(skill=skill_id, how="skipped", confidence=0.0, on=today))
        skill_id = next_skill(state)
    if skill_id is None:
        return _finish(catalogue, state, today, note=note)
    asked = state.asked if skill_id in state.asked else (*state.asked, skill_id)
    new = state.model_copy(
        update={"phase": "asking", "current": skill_id, "pending": None, "asked": asked}
    )
    return Step(state=new, answer=prompts.ask_skill(new, catalogue.skills[skill_id], note))


def _go_back(catalogue: Catalogue, state: AssessmentState, today: dt.date) -> Step:
    if not state.history:
        return _reprompt(
            catalogue, state, "This is the first question: there is nothing before it."
        )
    last = state.history[-1]
    history = state.history[:-1]
    if last == _VERIFIED_MARK:
        verified = {p.skill for p in state.prefills}
        records = tuple(r for r in state.records if r.skill not in verified or r.how != "verified")
        new = state.model_copy(
            update={
                "phase": "confirm_verified",
                "records": records,
                "history": history,
                "current": None,
                "pending": None,
            }
        )
        return Step(state=new, answer=prompts.confirm_verified(catalogue, new.prefills))
    previous = state.record_of(last)
    new = without(state, last).model_copy(
        update={"history": history, "phase": "asking", "current": last, "pending": None}
    )
    skill = catalogue.skills.get(last)
    if skill is None:
        return _next_question(catalogue, new, today)
    note = f"Back to {skill.name}."
    if previous is not None:
        said = "skipped" if previous.level is None else prompts.level_words(skill, previous.level)
        note += f" Before, you answered: {said}."
    return Step(state=new, answer=prompts.ask_skill(new, skill, note))


def _reprompt(catalogue: Catalogue, state: AssessmentState, note: str) -> Step:
    """Say what went wrong and ask the open question again; nothing is lost."""
    phase = state.phase
    if phase == "need_target" or (phase != "choose_target" and state.target is None):
        return Step(state=state, answer=prompts.ask_goal(note))
    if phase == "choose_target":
        return Step(state=state, answer=prompts.choose_target(state.choices, note))
    if phase == "confirm_verified":
        return Step(state=state, answer=prompts.confirm_verified(catalogue, state.prefills, note))
    skill = catalogue.skills.get(state.current or "")
    if skill is None:
        return _next_question(catalogue, state, state.started_on, note)
    if phase == "confirm_level" and state.pending is not None:
        pending = state.pending
        return Step(
            state=state,
            answer=prompts.confirm_level(skill, pending.level, pending.alternative, note),
        )
    if phase == "follow_up" and state.history:
        last = catalogue.skills.get(state.history[-1])
        if last is not None:
            return Step(state=state, answer=prompts.follow_up(last, note))
    asking = state.model_copy(update={"phase": "asking", "pending": None})
    return Step(state=asking, answer=prompts.ask_skill(asking, skill, note))


def _finish(catalogue: Catalogue, state: AssessmentState, today: dt.date, note: str = "") -> Step:
    done = state.model_copy(
        update={"phase": "done", "current": None, "pending": None, "paused": False}
    )
    result = build_result(catalogue, done, today)
    lead = f"{note}\n\n" if note else ""
    text = f"{lead}That's all, thank you. {result.summary}"
    actions: list[Action] = []
    if result.target.kind != "domain":
        actions.append(Action(label="Plan a path", payload=f"plan:{result.target.id}"))
    attachments: tuple[Attachment, ...] = ()
    try:
        from coach.assessment.radar import render_radar

        attachments = (render_radar(result, fmt="png"),)
    except Exception:  # the chart must never cost the learner the result
        log.warning("assessment_radar_failed", exc_info=True)
    answer = Answer(
        text=text, intent=prompts.INTENT, actions=tuple(actions), attachments=attachments
    )
    return Step(state=done, answer=answer, done=True, result=result)
