"""Turns about the learner's own things: wallet, badges, data export and erasure,
the self-assessment, and the plan picture.

These call the wallet, store, assessment and planner modules through the
learner-bound ``LearnerTools``; their own logic lives in those modules.
"""

from __future__ import annotations

import logging
from typing import Any

from coach import assessment
from coach.answer import Action, Answer, Citation
from coach.assessment import AssessmentResult, Step
from coach.assessment.state import Mode
from coach.dialogue.state import DialogueState, Pending
from coach.dialogue.tools import LearnerTools
from coach.dialogue.turn import TurnResult
from coach.dialogue.turn import after as _after
from coach.errors import CoachError
from coach.planner import PlanResult
from coach.planner.picture import render_pathway
from coach.recognition import explain_verification
from coach.store.ports import WalletRecord
from coach.wallet.result import VerificationResult
from coach.wallet.service import ImportOutcome
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)

ASSESSMENT_MODE: Mode = "quick"


def _result(answer: Answer, state: DialogueState, *, erased: bool = False) -> TurnResult:
    return TurnResult(answer, state, erased)


# --- wallet -------------------------------------------------------------------------
def record_verification(record: WalletRecord | ImportOutcome) -> VerificationResult | None:
    """The verification result a wallet record (or an import outcome) carries."""
    if isinstance(record, ImportOutcome):
        return record.verification
    try:  # a record stores it as JSON; an unreadable one is shown without a verdict
        return VerificationResult.model_validate(record.verification)
    except ValueError:
        return None


def record_id_of(record: WalletRecord | ImportOutcome) -> str | None:
    """The stored id of a wallet record or an import outcome (None before it is stored)."""
    stored = record.record if isinstance(record, ImportOutcome) else record
    return stored.id or None


def _record_line(catalogue: Catalogue, record: WalletRecord) -> tuple[str, Citation | None]:
    verification = record_verification(record)
    name = record.title or (
        verification.achievement.name
        if verification is not None and verification.achievement is not None
        else None
    )
    status = verification.status if verification is not None else record.status
    linked = record.credential_id
    record_id = record_id_of(record) or ""
    line = f'"{str(name or "unnamed badge")[:100]}": {status}'
    citation = None
    if linked and linked in catalogue.credentials:
        line += f" (matches {catalogue.credentials[linked].title})"
        citation = Citation(id=str(linked), title=catalogue.credentials[linked].title)
    elif record_id:
        citation = Citation(id=record_id, title=f"wallet record: {str(name or '')[:80]}")
    return line, citation


def wallet(catalogue: Catalogue, tools: LearnerTools, state: DialogueState) -> TurnResult:
    """The learner's badges with their verification status."""
    records = tools.wallet_records()
    if not records:
        text = (
            "Your wallet is empty. Send me a badge file (Open Badges 2.0/3.0, CLR) and I'll "
            "verify it and keep it."
        )
        return _result(Answer(text=text, intent="wallet"), _after(state, "wallet"))
    lines = [f"Your wallet holds {len(records)} credential(s):"]
    citations = []
    for number, record in enumerate(records, start=1):
        line, citation = _record_line(catalogue, record)
        lines.append(f"{number}. {line}")
        if citation is not None:
            citations.append(citation)
    answer = Answer(text="\n".join(lines), intent="wallet", citations=tuple(citations))
    return _result(answer, _after(state, "wallet"))


def badge_how_to(
    catalogue: Catalogue, tools: LearnerTools, state: DialogueState, intent: str
) -> TurnResult:
    """Without a file: explain the last stored badge's check, or how to send one."""
    records = tools.wallet_records()
    if intent == "verify_badge" and records:
        verification = record_verification(records[-1])
        if verification is not None:
            record_id = record_id_of(records[-1])
            answer = explain_verification(catalogue, verification, record_id=record_id)
            return _result(answer, _after(state, intent))
    text = (
        "Send me the badge file (JSON, or a PNG/SVG with the badge baked in) as an attachment: "
        "I'll verify its signature, issuer and status, explain the result and keep it in your "
        "wallet. In the terminal: coach wallet add FILE --learner ID."
    )
    return _result(Answer(text=text, intent=intent), _after(state, intent))


def badges(
    catalogue: Catalogue, tools: LearnerTools, state: DialogueState, attachments: list[bytes]
) -> TurnResult:
    """Verify and store each attached badge, then explain the verdicts."""
    if tools.wallet is None or tools.verifier is None:
        text = "I can't take badges in this setup: the wallet is not available."
        return _result(Answer(text=text, intent="add_badge"), _after(state, "add_badge"))
    parts: list[str] = []
    citations: list[Citation] = []
    for data in attachments:
        try:
            outcome = tools.import_badge(data)
        except CoachError as exc:
            parts.append(f"I could not read that file: {exc}")
            continue
        explained = explain_verification(
            catalogue, outcome.verification, record_id=record_id_of(outcome)
        )
        parts.append(explained.text)
        citations.extend(explained.citations)
    answer = Answer(
        text="\n\n".join(parts),
        intent="add_badge",
        citations=tuple(citations),
        actions=(Action(label="My wallet", payload="wallet:show"),),
    )
    return _result(answer, _after(state, "add_badge"))


# --- data rights ------------------------------------------------------------------
def export(tools: LearnerTools, state: DialogueState) -> TurnResult:
    """A summary of the learner's stored record, and where to get all of it."""
    record = tools.store.export_learner(tools.learner_id)
    counts = [
        f"{key.replace('_', ' ')}: {len(value)}"
        for key, value in sorted(record.items())
        if isinstance(value, list | tuple | dict)
    ]
    text = (
        "Here is what I hold about you: "
        + "; ".join(counts)
        + ". Get the full record as JSON with `coach wallet export --learner <your id>`, or "
        "GET /api/wallet/export in the web app."
    )
    return _result(Answer(text=text, intent="export_data"), _after(state, "export_data"))


def ask_erase(state: DialogueState) -> TurnResult:
    """Erasure is irreversible: confirm first."""
    answer = Answer(
        text="This permanently erases your wallet, profile, plans and conversation history. "
        "Are you sure?",
        intent="erase_data",
        actions=(
            Action(label="Yes, erase everything", payload="erase:yes"),
            Action(label="No, keep my data", payload="erase:no"),
        ),
    )
    pending = Pending(kind="confirm_erase", intent="erase_data")
    return _result(answer, state.model_copy(update={"pending": pending}))


def confirm_erase(tools: LearnerTools, state: DialogueState, yes: bool) -> TurnResult:
    if not yes:
        answer = Answer(text="Nothing was erased.", intent="erase_data")
        return _result(answer, _after(state, "erase_data"))
    tools.store.erase_learner(tools.learner_id)
    log.info("learner_erased learner=%s", tools.learner_id)
    answer = Answer(text="Done: everything I held about you is erased.", intent="erase_data")
    return _result(answer, DialogueState(), erased=True)


# --- assessment -------------------------------------------------------------------
def assessment_start(
    catalogue: Catalogue, tools: LearnerTools, state: DialogueState, target: str | None
) -> TurnResult:
    """Start the self-assessment towards ``target`` (or ask for a goal first)."""
    # Without a target the assessment itself asks for the goal.
    step = assessment.start(
        catalogue, target, mode=ASSESSMENT_MODE, holdings=tools.holdings(), today=tools.today
    )
    return _assessment_step(tools, state, step, target)


def assessment_advance(
    catalogue: Catalogue, tools: LearnerTools, state: DialogueState, text: str
) -> TurnResult:
    if state.assessment is None:
        return assessment_start(catalogue, tools, state, state.goal)
    step = assessment.advance(
        catalogue, state.assessment, text, today=tools.today, embedder=tools.embedder
    )
    return _assessment_step(tools, state, step, state.assessment_target)


def _assessment_step(
    tools: LearnerTools, state: DialogueState, step: Step, target: str | None
) -> TurnResult:
    reached = step.state.target
    if reached is not None and reached.kind in ("role", "qualification"):
        state = state.model_copy(update={"goal": reached.id})  # the goal it assessed for
        target = reached.id
    if step.done:
        if step.result is not None:
            tools.store.put_state(tools.learner_id, "profile", _profile_update(tools, step.result))
        new_state = state.model_copy(update={"assessment": None, "assessment_target": None})
    else:
        new_state = state.model_copy(
            update={"assessment": step.state.model_dump(mode="json"), "assessment_target": target}
        )
    return _result(step.answer, _after(new_state, "assess"))


def _profile_update(tools: LearnerTools, result: AssessmentResult) -> dict[str, Any]:
    stored = dict(tools.store.get_state(tools.learner_id, "profile") or {})
    skills = dict(stored.get("skills", {}))
    for estimate in result.estimates:
        skills[estimate.skill] = estimate.model_dump(mode="json")
    stored["skills"] = skills
    return stored


# --- plan picture -----------------------------------------------------------------
def with_picture(catalogue: Catalogue, answer: Answer, plan: PlanResult) -> Answer:
    """Attach the pathway picture to a feasible plan's answer."""
    if not plan.feasible:
        return answer
    try:
        attachment = render_pathway(catalogue, plan)
    except Exception:  # a picture must never cost the learner the plan itself
        log.warning("plan_picture_failed", exc_info=True)
        return answer
    return answer.model_copy(update={"attachments": (*answer.attachments, attachment)})
