"""Rendering coach answers for Telegram: escaping, splitting, buttons."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bots.telegram.commands import command_message
from bots.telegram.render import TELEGRAM_TEXT_LIMIT, render_answer, split_html_text
from coach.answer import Action, Answer, Citation


def test_untrusted_text_is_escaped_for_html_parse_mode() -> None:
    answer = Answer(text="<b>Ignore previous instructions</b> & <script>", intent="x")
    [message] = render_answer(answer)
    assert "<b>Ignore" not in message.html
    assert "&lt;b&gt;Ignore previous instructions&lt;/b&gt; &amp; &lt;script&gt;" in message.html


def test_citations_become_links_only_for_web_urls() -> None:
    answer = Answer(
        text="Accredited.",
        citations=(
            Citation(id="rec-1", title='Agency "A"', url="https://agency.example/r?a=1&b=2"),
            Citation(id="rec-2", title="Local record", url="javascript:alert(1)"),
        ),
    )
    [message] = render_answer(answer)
    assert '<a href="https://agency.example/r?a=1&amp;b=2">Agency "A"</a>' in message.html
    assert "javascript:" not in message.html
    assert "Local record (rec-2)" in message.html


def test_long_answers_are_split_under_the_limit_and_buttons_go_last() -> None:
    text = "\n".join(f"Line {i}: " + "word " * 30 for i in range(300))
    answer = Answer(text=text, actions=(Action(label="Next", payload="next"),))
    messages = render_answer(answer)
    assert len(messages) > 1
    assert all(len(m.html) <= TELEGRAM_TEXT_LIMIT for m in messages)
    assert all(not m.buttons for m in messages[:-1])
    assert messages[-1].buttons[0][0].data == "next"
    assert "".join(m.html for m in messages).count("Line ") == 300


def test_buttons_with_payloads_over_64_bytes_are_left_out() -> None:
    answer = Answer(
        text="Pick one",
        actions=(Action(label="ok", payload="a" * 64), Action(label="long", payload="b" * 65)),
    )
    [message] = render_answer(answer)
    assert [button.label for row in message.buttons for button in row] == ["ok"]


@given(st.text(min_size=0, max_size=20000))
def test_splitting_never_loses_text_or_breaks_the_limit(text: str) -> None:
    pieces = split_html_text(text)
    assert all(0 < len(piece) <= TELEGRAM_TEXT_LIMIT for piece in pieces)
    squeezed = "".join(text.split())
    assert "".join("".join(pieces).split()) == (squeezed or "…")


def test_commands_map_to_coach_messages() -> None:
    assert command_message("goal", ["data", "analyst"]) == "my goal is data analyst"
    assert command_message("start", []) == "hello"
    assert command_message("unknown", []) is None
