"""Language-model judges inside a run: calibrate first, then score every answer.

A ``JudgePanel`` holds one ``Judge`` per metric over the configured chat client
(which is the record/replay client when ``--record``/``--replay`` is given, so
judge calls replay like the coach's own). Before scoring, each judge runs on its
human-labelled calibration set; a judge whose Cohen's kappa is below the floor is
*uncalibrated*: its scores are still reported but never gate a suite.

Scores: each exchange (an ``ask`` answer, or one turn of a scripted
``conversation``) gets a yes/no verdict per metric; a case's score is the share
of "yes"; a suite's score is the mean over its judged cases, compared with the
suite's ``judges:`` thresholds.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from coach.llm.client import ChatClient
from evals.judges.judge import Judge, Metric, calibrate, load_calibration
from knowledge.schema import Catalogue

METRICS: tuple[Metric, ...] = ("faithfulness", "relevance")
DEFAULT_KAPPA_FLOOR = 0.6
#: Records shown to the judge per answer, and characters per record (keeps prompts bounded).
_MAX_RECORDS = 8
_MAX_RECORD_CHARS = 1500


@dataclass(frozen=True)
class Exchange:
    """One question and the answer the coach gave, with the ids it cited."""

    question: str
    answer: str
    citations: tuple[str, ...]


@dataclass
class Calibration:
    """A judge's agreement with the human labels."""

    metric: str
    items: int = 0
    agreement: float = 0.0
    kappa: float = 0.0
    calibrated: bool = False
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "items": self.items,
            "agreement": round(self.agreement, 4),
            "kappa": round(self.kappa, 4),
            "calibrated": self.calibrated,
            "error": self.error,
        }


def record_texts(catalogue: Catalogue, ids: tuple[str, ...]) -> list[str]:
    """The cited catalogue records as text the judge can check claims against."""
    texts: list[str] = []
    for entry_id in dict.fromkeys(ids):
        entry: Any = None
        for table in (
            catalogue.credentials,
            catalogue.qualifications,
            catalogue.recognitions,
            catalogue.providers,
            catalogue.roles,
            catalogue.skills,
        ):
            entry = table.get(entry_id)
            if entry is not None:
                break
        if entry is None:
            continue
        data = entry.model_dump(mode="json", exclude_defaults=True)
        texts.append(f"{entry_id}: {json.dumps(data, ensure_ascii=False)}"[:_MAX_RECORD_CHARS])
        if len(texts) >= _MAX_RECORDS:
            break
    return texts


@dataclass
class JudgePanel:
    """The judges of one run, their calibration, and the per-case scoring."""

    client: ChatClient
    kappa_floor: float = DEFAULT_KAPPA_FLOOR
    metrics: tuple[Metric, ...] = METRICS
    calibration: dict[str, Calibration] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def calibrate(self, items: list[dict[str, Any]] | None = None) -> dict[str, Calibration]:
        """Run every judge on the calibration set (a failing judge is recorded, not raised)."""
        rows = items if items is not None else load_calibration()
        for metric in self.metrics:
            try:
                found = calibrate(Judge(self.client, metric), rows)
            except Exception as exc:  # a dead or unrecorded model leaves the judge unusable
                self.calibration[metric] = Calibration(metric, error=_describe(exc))
                continue
            self.calibration[metric] = Calibration(
                metric,
                items=int(found["items"]),
                agreement=float(found["agreement"]),
                kappa=float(found["kappa"]),
                calibrated=found["items"] > 0 and float(found["kappa"]) >= self.kappa_floor,
            )
        return self.calibration

    def usable(self) -> list[Metric]:
        """Judges that can score (calibration ran), calibrated or not."""
        return [m for m in self.metrics if m in self.calibration and not self.calibration[m].error]

    def score(
        self, catalogue: Catalogue, exchanges: list[Exchange]
    ) -> tuple[dict[str, float], list[str]]:
        """Per-metric share of "yes" over the exchanges, and any judge errors."""
        scores: dict[str, float] = {}
        errors: list[str] = []
        for metric in self.usable():
            judge = Judge(self.client, metric)
            verdicts: list[bool] = []
            for exchange in exchanges:
                records = record_texts(catalogue, exchange.citations)
                try:
                    verdict = judge.judge(exchange.question, exchange.answer, records)
                except Exception as exc:  # a judge failure is reported, never a failed case
                    errors.append(f"{metric}: {_describe(exc)}")
                    continue
                verdicts.append(verdict.label == "yes")
            if verdicts:
                scores[metric] = sum(verdicts) / len(verdicts)
        return scores, errors

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "scored" if self.usable() else "unavailable",
            "reason": None if self.usable() else "no judge could be calibrated",
            "kappa_floor": self.kappa_floor,
            "calibration": {m: c.to_json() for m, c in self.calibration.items()},
        }


def skipped(reason: str) -> dict[str, Any]:
    """The report's judge section when no judge runs."""
    return {"status": "skipped", "reason": reason, "kappa_floor": None, "calibration": {}}


def suite_judges(
    results: list[dict[str, float]],
    thresholds: dict[str, float],
    calibration: dict[str, Calibration],
) -> dict[str, dict[str, Any]]:
    """Per metric: mean score over judged cases, threshold, and whether it gates and is met."""
    summary: dict[str, dict[str, Any]] = {}
    metrics = sorted({m for scores in results for m in scores} | set(thresholds))
    for metric in metrics:
        values = [scores[metric] for scores in results if metric in scores]
        mean = sum(values) / len(values) if values else None
        threshold = thresholds.get(metric)
        known = calibration.get(metric)
        calibrated = bool(known and known.calibrated)
        gating = threshold is not None and calibrated and mean is not None
        met = not gating or (mean is not None and threshold is not None and mean >= threshold)
        summary[metric] = {
            "score": round(mean, 4) if mean is not None else None,
            "cases": len(values),
            "threshold": threshold,
            "calibrated": calibrated,
            "kappa": round(known.kappa, 4) if known and not known.error else None,
            "gating": gating,
            "met": met,
        }
    return summary


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
