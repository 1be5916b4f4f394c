"""Web chat under load: 100 concurrent learners against two ``coach serve`` workers.

Two worker processes share one throwaway PostgreSQL (started here with
``initdb``/``pg_ctl`` on loopback; without PostgreSQL binaries: one worker on
SQLite, said in the result). Each simulated learner opens a session, then for
the measured window sends chat turns (deterministic coach), waiting for each
answer and pausing briefly like a person, alternating workers. Reported: turns,
errors, p50/p95 turn latency and throughput. Baseline in the same run: GET
/healthz at the same concurrency (the floor of the HTTP stack). Target: p95 turn
<= 300 ms on 2 cores. ``WEB_LOAD_SECONDS`` / ``WEB_LOAD_LEARNERS`` shrink the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from knowledge.synth import write_synthetic

RESULTS = Path(__file__).resolve().parent / "results"
COACH = str(Path(sys.executable).parent / "coach")
SECONDS = float(os.environ.get("WEB_LOAD_SECONDS", "60"))
LEARNERS = int(os.environ.get("WEB_LOAD_LEARNERS", "100"))
THINK_SECONDS = 0.5  # a learner reads the answer before typing again (and stays under 2/s)
MESSAGES = (
    "hello",
    "find credentials about automation",
    "help",
    "what can you do?",
    "find credentials about analytics",
    "show my wallet",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _pg_bin() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    return next((c for c in candidates if (c / "initdb").exists()), None)


class Postgres:
    """A throwaway cluster on loopback (as the ``postgres`` OS user when run as root)."""

    def __init__(self, bin_dir: Path, base: Path) -> None:
        self.bin_dir, self.base, self.port = bin_dir, base, _free_port()
        self.as_user: tuple[str, ...] = ()
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(base, owner.pw_uid, owner.pw_gid)
            self.as_user = ("runuser", "-u", "postgres", "--")
        base.chmod(0o700)

    def _run(self, tool: str, *args: str) -> None:
        command = [*self.as_user, str(self.bin_dir / tool), *args]
        subprocess.run(command, capture_output=True, timeout=120, check=True)

    def start(self) -> str:
        data = str(self.base / "data")
        self._run("initdb", "-D", data, "-U", "bench", "--auth=trust", "--no-sync")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.base}"
            " -c fsync=off -c max_connections=200"
        )
        log = str(self.base / "server.log")
        self._run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")
        import psycopg

        conninfo = f"host=127.0.0.1 port={self.port} user=bench dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute("CREATE DATABASE coach")
        return f"postgresql+psycopg://bench@127.0.0.1:{self.port}/coach"

    def stop(self) -> None:
        data = str(self.base / "data")
        command = [*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", data, "-m", "immediate"]
        subprocess.run([*command, "stop"], capture_output=True, timeout=60, check=False)


def _start_worker(env: dict[str, str], data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [COACH, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env, "COACH_DATA_DIR": str(data_dir)},
        stdout=(data_dir / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker at {url} exited")
        try:
            if httpx.post(f"{url}/api/sessions", timeout=120).status_code == 201:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"worker at {url} did not get ready")


async def _session(client: httpx.AsyncClient, url: str) -> str:
    """A session, waiting out the per-address session limiter (not measured)."""
    while True:
        response = await client.post(f"{url}/api/sessions")
        if response.status_code == 201:
            return str(response.json()["token"])
        if response.status_code != 429:
            raise RuntimeError(f"session: {response.status_code}")
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))


async def _load(urls: list[str], seconds: float, *, chat: bool) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=LEARNERS, max_keepalive_connections=LEARNERS)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        tokens = []
        if chat:
            tokens = await asyncio.gather(
                *(_session(client, urls[n % len(urls)]) for n in range(LEARNERS))
            )
        started = time.monotonic()

        async def learner(number: int) -> None:
            turn = 0
            while time.monotonic() - started < seconds:
                url = urls[(number + turn) % len(urls)]
                sent = time.perf_counter()
                try:
                    if chat:
                        response = await client.post(
                            f"{url}/api/chat",
                            json={"message": MESSAGES[(number + turn) % len(MESSAGES)]},
                            headers={"Authorization": f"Bearer {tokens[number]}"},
                        )
                    else:
                        response = await client.get(f"{url}/healthz")
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                if status == "200":
                    latencies.append(time.perf_counter() - sent)
                else:
                    errors[status] = errors.get(status, 0) + 1
                turn += 1
                await asyncio.sleep(THINK_SECONDS)

        await asyncio.gather(*(learner(n) for n in range(LEARNERS)))
        elapsed = time.monotonic() - started
    return {
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": errors,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * _pct(latencies, 0.95), 1) if latencies else None,
        "throughput_per_s": round(len(latencies) / elapsed, 1),
        "seconds": round(elapsed, 1),
    }


def run() -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="stackwise-web-load-"))
    catalogue = base / "catalogue"
    write_synthetic(catalogue, 60, seed=5)
    env = {"COACH_CATALOGUE": str(catalogue), "COACH_LLM": "none"}
    bin_dir = _pg_bin()
    postgres = None
    note = "two workers over one PostgreSQL"
    workers = 2
    if bin_dir is None:
        note = "PostgreSQL binaries missing: one worker on SQLite"
        workers = 1
    else:
        # Its own temporary folder: the ``postgres`` user must be able to enter it.
        postgres = Postgres(bin_dir, Path(tempfile.mkdtemp(prefix="stackwise-web-load-pg-")))
        env["COACH_DATABASE_URL"] = postgres.start()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        started = [_start_worker(env, base / f"worker-{n}") for n in range(workers)]
        processes = [p for p, _ in started]
        urls = [u for _, u in started]
        for process, url in started:
            _wait_ready(url, process)
        healthz = asyncio.run(_load(urls, min(SECONDS, 20), chat=False))
        turns = asyncio.run(_load(urls, SECONDS, chat=True))
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if postgres is not None:
            postgres.stop()
            shutil.rmtree(postgres.base, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)
    result = {
        "setup": note,
        "workers": workers,
        "learners": LEARNERS,
        "think_seconds": THINK_SECONDS,
        "chat_turns": turns,
        "baseline_healthz": healthz,
        "target_p95_ms": 300,
        "meets_target": bool(turns["p95_ms"] is not None and turns["p95_ms"] <= 300),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web_load.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
