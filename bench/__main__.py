"""``make bench``: run every benchmark module and write bench/results/*.json.

Each ``bench/<name>.py`` with a ``run() -> dict`` is one benchmark. It measures
its figure beside a baseline taken in the same run (these machines are shared
and noisy, so ratios matter more than absolute times) and writes its own JSON.
Run one with ``python -m bench NAME``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _benchmarks() -> list[str]:
    package_dir = Path(__file__).resolve().parent
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(package_dir)])
        if not info.name.startswith("_")
    )


def main(argv: list[str]) -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    names = argv or _benchmarks()
    summary: dict[str, object] = {}
    failed = False
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            result = module.run()
        except Exception as exc:  # a broken benchmark must not hide the others
            failed = True
            print(f"   failed: {type(exc).__name__}: {exc}", flush=True)
            summary[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        result.setdefault("wall_seconds", round(time.perf_counter() - started, 2))
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        summary[name] = result
        print(json.dumps(result, indent=2, default=str), flush=True)
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
