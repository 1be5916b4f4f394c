"""A process killed with SIGKILL mid-import loses no acknowledged import, and the
database passes its integrity check afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from coach.store import open_database
from tests.conftest import ROOT

WORKER = Path(__file__).with_name("durability_worker.py")


def _run_and_kill(url: str, learner: str, kill_after: int) -> dict[str, int]:
    """Start the worker, SIGKILL it after ``kill_after`` acks; the acked record ids."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(WORKER), url, learner, "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    acked: dict[str, int] = {}
    assert process.stdout is not None
    try:
        for line in process.stdout:
            parts = line.split()
            if parts and parts[0] == "ack":
                acked[parts[1]] = int(parts[2])
                if len(acked) >= kill_after:
                    process.send_signal(signal.SIGKILL)
                    break
        else:
            pytest.fail(f"worker ended early: {process.stderr.read() if process.stderr else ''}")
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return acked


@pytest.mark.parametrize("kill_after", [25, 60])
def test_sigkill_mid_import_loses_no_acknowledged_record_on_sqlite(
    tmp_path: Path, kill_after: int
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'coach.sqlite3'}"
    acked = _run_and_kill(url, "killed", kill_after)

    store = open_database(url)
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        records = {r.id: r for r in store.list_credentials("killed")}
        for record_id, n in acked.items():
            assert record_id in records, f"acknowledged record {n} was lost"
            assert json.loads(records[record_id].data)["n"] == n
        assert len(records) >= len(acked)
        # the store keeps working after the crash
        store.append_turn("killed", "learner", "still here")
    finally:
        store.close()


def test_sigkill_mid_import_loses_no_acknowledged_record_on_postgresql(
    postgres_url: str,
) -> None:
    acked = _run_and_kill(postgres_url, "killed", 30)
    store = open_database(postgres_url)
    try:
        records = {r.id for r in store.list_credentials("killed")}
        assert set(acked) <= records
        with store.engine.connect() as connection:
            orphans = connection.execute(
                text(
                    "SELECT count(*) FROM wallet_records w "
                    "LEFT JOIN learners l ON l.id = w.learner_id WHERE l.id IS NULL"
                )
            ).scalar()
        assert orphans == 0
    finally:
        store.close()
