"""Record/replay of model calls and Cohen's kappa."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from coach.llm.client import Message, ModelReply
from evals.judges.kappa import cohens_kappa
from evals.replay import RecordingClient, ReplayMissError


class _Counting:
    def __init__(self) -> None:
        self.calls = 0

    async def complete(
        self, messages: Sequence[Message], tools: Sequence[dict[str, Any]], *, stream: bool = False
    ) -> ModelReply:
        self.calls += 1
        return ModelReply(content=f"reply {self.calls} to {messages[-1].content}")


def test_recorded_replies_replay_without_the_model(tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    inner = _Counting()
    recorder = RecordingClient(path, "record", inner)
    question = [Message(role="user", content="price?")]
    first = asyncio.run(recorder.complete(question, []))
    again = asyncio.run(recorder.complete(question, []))
    assert inner.calls == 1
    assert again == first
    replay = RecordingClient(path, "replay")
    assert asyncio.run(replay.complete(question, [])) == first
    with pytest.raises(ReplayMissError):
        asyncio.run(replay.complete([Message(role="user", content="other")], []))


def test_kappa_known_values() -> None:
    assert cohens_kappa(["y", "n", "y", "n"], ["y", "n", "y", "n"]) == 1.0
    # 20 items: 16 agree; marginals 10/10 and 10/10 -> (0.8 - 0.5) / 0.5
    human = ["y"] * 10 + ["n"] * 10
    judge = ["y"] * 8 + ["n"] * 2 + ["y"] * 2 + ["n"] * 8
    assert cohens_kappa(human, judge) == pytest.approx(0.6)
    with pytest.raises(ValueError, match="equal length"):
        cohens_kappa(["y"], [])


class _Scripted:
    """A stand-in model that answers 'yes' when the answer text contains a marker word."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    async def complete(
        self, messages: Sequence[Message], tools: Sequence[dict[str, Any]], *, stream: bool = False
    ) -> ModelReply:
        return ModelReply(content="yes" if self.marker in messages[-1].content else "no")


def test_calibration_reports_kappa_against_the_human_labels() -> None:
    from evals.judges.judge import Judge, calibrate, load_calibration

    items = load_calibration()
    assert len(items) >= 10
    report = calibrate(Judge(_Scripted("ANSWER"), "relevance"), items)  # always "yes"
    assert report["items"] == len(items)
    assert report["kappa"] == pytest.approx(0.0)
    assert 0.5 < report["agreement"] < 1.0
