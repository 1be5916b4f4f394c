"""Start real ``coach serve`` workers as separate processes for scale-out tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.fixtures.telegram import free_port

COACH = str(Path(sys.executable).parent / "coach")


@dataclass
class Worker:
    """One ``coach serve`` process on its own port."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing; what was acknowledged must survive."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def start_worker(env: dict[str, str], data_dir: Path, *, timeout: float = 180) -> Worker:
    """Start ``coach serve`` and wait until it answers a real API call (coach loaded)."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / f"worker-{port}.log"
    full_env = {**os.environ, **env, "COACH_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [COACH, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=full_env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    worker = Worker(port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.post(f"{worker.url}/api/sessions", timeout=60).status_code == 201:
                return worker
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    worker.stop()
    raise RuntimeError(f"worker did not get ready: {log.read_text(errors='replace')[-2000:]}")


def run_coach(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COACH, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=600
    )
