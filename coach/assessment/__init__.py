"""Guided skill self-assessment: a conversation that finds where a learner stands.

A pure, channel-neutral state machine::

    step = start(catalogue, "I want to move into data analysis", holdings=..., today=...)
    # show step.answer; persist step.state.model_dump(mode="json")
    step = advance(catalogue, stored_state, "assess:level:3", today=..., embedder=...)
    if step.done: step.result  # estimates, gaps, summary
    render_radar(step.result, fmt="svg")  # -> coach.answer.Attachment

The learner names a goal (a role, a qualification or a domain); the machine asks
about the skills it needs, foundations first, through their proficiency
descriptors (buttons or free text), pre-fills what verified credentials show,
skips the dependants of a "none", and supports back, skip, pause and resume.
"""

from coach.assessment.machine import Step, advance, start
from coach.assessment.radar import render_radar
from coach.assessment.result import AssessmentResult, SkillGap
from coach.assessment.state import QUICK_LIMIT, STATE_KEY, AssessmentState, TargetRef
from coach.assessment.targets import Resolver, TargetCandidate, lexical_resolver

__all__ = [
    "QUICK_LIMIT",
    "STATE_KEY",
    "AssessmentResult",
    "AssessmentState",
    "Resolver",
    "SkillGap",
    "Step",
    "TargetCandidate",
    "TargetRef",
    "advance",
    "lexical_resolver",
    "render_radar",
    "start",
]
