"""Several processes opening a fresh database at once all get a migrated schema
(SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock around the migration)."""

from __future__ import annotations

import os
import subprocess
import sys

from coach.store import open_database
from tests.conftest import ROOT

OPENER = (
    "import sys; from coach.store import open_database; "
    "s = open_database(sys.argv[1]); print(s.create_learner()); s.close()"
)


def test_processes_opening_a_new_database_together_all_succeed(database_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, database_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(3)
    ]
    learners = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        learners.append(out.strip())
    store = open_database(database_url)
    try:
        assert all(store.learner_exists(learner) for learner in learners)
    finally:
        store.close()
