"""Any sequence of messages keeps the machine in a valid, resumable state."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.assessment import QUICK_LIMIT, AssessmentState, advance, start
from coach.profile import HeldCredential
from tests.assessment.conftest import TODAY, build_catalogue

CATALOGUE = build_catalogue()
HOLDINGS = [HeldCredential(credential_id="sql-basics", earned_on=TODAY, verified=True)]

MESSAGES = st.one_of(
    st.sampled_from(
        [
            "assess:level:0",
            "assess:level:2",
            "assess:level:4",
            "assess:level:99",
            "assess:skip",
            "assess:back",
            "assess:pause",
            "assess:resume",
            "assess:finish",
            "assess:confirm:yes",
            "assess:confirm:no",
            "assess:verified:yes",
            "assess:verified:no",
            "assess:target:data-analyst",
            "assess:target:nope",
            "assess:sure:low",
            "assess:",
            "yes",
            "no",
            "back",
            "3",
            "",
            "x" * 3000,
            "I write joins and group by queries",
            "data scientist",
        ]
    ),
    st.text(max_size=40),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from([None, "data-analyst", "data analysis", "cert-analytics", "??"]),
    messages=st.lists(MESSAGES, max_size=25),
)
def test_random_conversations_never_break_the_machine(
    target: str | None, messages: list[str]
) -> None:
    step = start(CATALOGUE, target, holdings=HOLDINGS, today=TODAY)
    for message in messages:
        stored = json.loads(json.dumps(step.state.model_dump(mode="json")))
        before = step.state
        step = advance(CATALOGUE, stored, message, today=TODAY)
        assert step.answer.text
        assert AssessmentState.model_validate(step.state.model_dump(mode="json")) == step.state
        assert len(step.state.asked) <= QUICK_LIMIT
        if step.done:
            assert step.result is not None
            break
        # Answers are only ever dropped by Back (or by choosing a new goal).
        lost = {r.skill for r in before.records} - {r.skill for r in step.state.records}
        if lost:
            assert message.lower() in ("assess:back", "back") or before.target != step.state.target
