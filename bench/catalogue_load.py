"""Benchmark: load + validate synthetic catalogues of 10,000 and 100,000 credentials.

Targets (issue "The credential catalogue"): under 3 s for 10,000 credentials
and under 30 s for 100,000, on 2 cores. Beside each figure, the baseline
measured in the same run: a raw ``json.load`` of the very same files, i.e.
what reading alone costs before any schema or cross-entry check. The process
is pinned to two CPUs where the platform allows, to match the target's
machine. Run alone with ``python -m bench catalogue_load``.
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from knowledge.loading import load_catalogue
from knowledge.synth import write_synthetic

RESULTS = Path(__file__).resolve().parent / "results"
SIZES: dict[int, float] = {10_000: 3.0, 100_000: 30.0}
SEED = 42


def _pin_two_cores() -> int | None:
    setter = getattr(os, "sched_setaffinity", None)
    getter = getattr(os, "sched_getaffinity", None)
    if setter is None or getter is None:
        return None
    cpus = sorted(getter(0))
    setter(0, set(cpus[:2]))
    return len(cpus[:2])


def _raw_json_seconds(folder: Path) -> float:
    files = sorted(folder.rglob("*.json"))
    started = time.perf_counter()
    for path in files:
        with path.open("rb") as handle:
            json.load(handle)
    return time.perf_counter() - started


def _load_seconds(folder: Path) -> tuple[float, dict[str, int]]:
    gc.collect()
    started = time.perf_counter()
    catalogue = load_catalogue(folder)
    seconds = time.perf_counter() - started
    counts = catalogue.counts()
    del catalogue
    gc.collect()
    return seconds, counts


def _measure(size: int, target: float, workdir: Path) -> dict[str, Any]:
    folder = workdir / f"synth-{size}"
    started = time.perf_counter()
    write_synthetic(folder, size, SEED)
    generate = time.perf_counter() - started
    repeats = 3 if size <= 10_000 else 1
    baseline = min(_raw_json_seconds(folder) for _ in range(repeats))
    runs = [_load_seconds(folder) for _ in range(repeats)]
    seconds = min(run[0] for run in runs)
    return {
        "credentials": size,
        "counts": runs[0][1],
        "files_mb": round(sum(p.stat().st_size for p in folder.rglob("*")) / 1e6, 1),
        "generate_seconds": round(generate, 2),
        "load_validate_seconds": round(seconds, 2),
        "baseline_raw_json_load_seconds": round(baseline, 2),
        "ratio_to_baseline": round(seconds / baseline, 1) if baseline else None,
        "target_seconds": target,
        "meets_target": seconds < target,
    }


def run() -> dict[str, Any]:
    """Measure every size; write bench/results/catalogue_load.json."""
    cores = _pin_two_cores()
    results: dict[str, Any] = {
        "benchmark": "catalogue_load",
        "cores": cores or os.cpu_count(),
        "seed": SEED,
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="catalogue-bench-") as tmp:
        for size, target in SIZES.items():
            results["sizes"].append(_measure(size, target, Path(tmp)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "catalogue_load.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
