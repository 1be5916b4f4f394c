"""The words and buttons of each assessment turn (channel-neutral ``Answer`` s).

Payloads the machine understands: ``assess:level:N`` (0 = none yet),
``assess:skip``, ``assess:back``, ``assess:pause``, ``assess:resume``,
``assess:finish``, ``assess:confirm:yes|no``, ``assess:target:ID``,
``assess:target:none``, ``assess:verified:yes|no``, ``assess:sure:high|medium|low|skip``.
"""

from __future__ import annotations

from coach.answer import Action, Answer
from coach.assessment.state import AssessmentState, Prefill, TargetRef
from knowledge.schema import Catalogue, Skill

INTENT = "assess"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _answer(text: str, actions: list[Action]) -> Answer:
    return Answer(text=text, intent=INTENT, actions=tuple(actions))


def ask_goal(note: str = "") -> Answer:
    lead = f"{note}\n\n" if note else ""
    return _answer(
        lead + "What is your goal? Name a job role, a qualification or a field in your own "
        'words, for example "I want to move into data analysis".',
        [],
    )


def choose_target(choices: tuple[TargetRef, ...], note: str = "") -> Answer:
    lead = f"{note}\n\n" if note else ""
    lines = [f"{i}. {c.title} ({c.kind})" for i, c in enumerate(choices, start=1)]
    actions = [
        Action(label=_short(f"{c.title} ({c.kind})", 60), payload=f"assess:target:{c.id}")
        for c in choices
    ]
    actions.append(Action(label="None of these", payload="assess:target:none"))
    return _answer(lead + "Which of these did you mean?\n" + "\n".join(lines), actions)


def confirm_verified(catalogue: Catalogue, prefills: tuple[Prefill, ...], note: str = "") -> Answer:
    lead = f"{note}\n\n" if note else ""
    lines = []
    for p in prefills:
        skill = catalogue.skills.get(p.skill)
        name = skill.name if skill is not None else p.skill
        source = catalogue.title_of(p.credential_id) or p.credential_id
        descriptor = skill.levels[p.level - 1] if skill is not None else ""
        lines.append(f'- {name}: level {p.level} ("{descriptor}"), from {source}')
    text = (
        lead
        + "Your verified credentials already show these levels:\n"
        + "\n".join(lines)
        + "\nShall I count them, so I don't ask you about them?"
    )
    return _answer(
        text,
        [
            Action(label="Yes, count them", payload="assess:verified:yes"),
            Action(label="Let me answer myself", payload="assess:verified:no"),
            Action(label="Pause", payload="assess:pause"),
        ],
    )


def _counter(state: AssessmentState, skill_id: str) -> str:
    asked = state.asked
    number = asked.index(skill_id) + 1 if skill_id in asked else len(asked) + 1
    if state.limit is not None:
        total = min(state.limit, len(state.requirements))
        return f"Question {number} (at most {total})"
    return f"Question {number} of {len(state.requirements)}"


def ask_skill(state: AssessmentState, skill: Skill, note: str = "") -> Answer:
    need = state.requirement_of(skill.id)
    lead = f"{note}\n\n" if note else ""
    why = ""
    if need is not None and state.target is not None:
        kind = "essential for" if need.essential else "used in"
        why = f" ({kind} {state.target.title}, which needs level {need.level})"
    options = "\n".join(f"{i}. {d}" for i, d in enumerate(skill.levels, start=1))
    text = (
        f"{lead}{_counter(state, skill.id)}: {skill.name}{why}\n"
        f"Which is closest to you?\n{options}\n0. None of these yet\n"
        "Pick one, or describe it in your own words. You can also skip, go back or pause."
    )
    actions = [
        Action(label=_short(f"{i}: {d}", 64), payload=f"assess:level:{i}")
        for i, d in enumerate(skill.levels, start=1)
    ]
    actions.append(Action(label="None of these yet", payload="assess:level:0"))
    actions.append(Action(label="Skip", payload="assess:skip"))
    if state.history:
        actions.append(Action(label="Back", payload="assess:back"))
    actions.append(Action(label="Pause", payload="assess:pause"))
    return _answer(text, actions)


def level_words(skill: Skill, level: int) -> str:
    if level == 0:
        return "none of these yet"
    return f'level {level}: "{skill.levels[level - 1]}"'


def confirm_level(skill: Skill, level: int, alternative: int | None, note: str = "") -> Answer:
    lead = f"{note}\n\n" if note else ""
    text = f"{lead}For {skill.name}, I read that as {level_words(skill, level)}. Is that right?"
    actions = [Action(label="Yes, that's right", payload="assess:confirm:yes")]
    if alternative is not None and alternative != level:
        label = "None of these yet" if alternative == 0 else f"Closer to level {alternative}"
        actions.append(Action(label=label, payload=f"assess:level:{alternative}"))
    actions.append(Action(label="Show all options", payload="assess:confirm:no"))
    actions.append(Action(label="Back", payload="assess:back"))
    return _answer(text, actions)


def follow_up(skill: Skill, note: str = "") -> Answer:
    lead = f"{note}\n\n" if note else ""
    text = (
        f"{lead}How sure are you about {skill.name}? If you like, name your evidence in a few "
        "words (a project, a job, a course)."
    )
    return _answer(
        text,
        [
            Action(label="Very sure", payload="assess:sure:high"),
            Action(label="Fairly sure", payload="assess:sure:medium"),
            Action(label="It's a guess", payload="assess:sure:low"),
            Action(label="Next question", payload="assess:sure:skip"),
            Action(label="Back", payload="assess:back"),
        ],
    )


def paused() -> Answer:
    return _answer(
        "Paused. Your answers are saved: come back any time, here or on another channel, "
        'and say "resume".',
        [
            Action(label="Resume", payload="assess:resume"),
            Action(label="Finish with what I answered", payload="assess:finish"),
        ],
    )
