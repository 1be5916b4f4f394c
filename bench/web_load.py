"""Web chat under load: concurrent learners against two ``coach serve`` workers.

Two worker processes share one throwaway PostgreSQL (started here with
``initdb``/``pg_ctl`` on loopback; without PostgreSQL binaries: one worker on
SQLite, said in the result). The deterministic coach answers. Three phases:

1. ``baseline_healthz``: GET /healthz from the same number of simulated people
   with the same pauses: the floor of the HTTP stack at that concurrency.
2. ``chat_turns``: 100 learners for 60 s, each a closed loop: send a message,
   wait for the answer, then think before typing the next one. The think time
   is drawn uniformly from 3-8 s (seeded per learner): reading a few lines of
   answer and typing a short question takes a person several seconds, so 100
   people offer roughly 100 / 5.5 ~= 18 turns/s, not the 200 turns/s a 0.5 s
   pause would ask for. Each learner's first message comes at a random moment of
   the first think interval, so they do not all start in lock-step. Target: no
   errors and p95 turn <= 300 ms on 2 cores.
3. ``saturation``: open-loop arrivals (Poisson, seeded) at 10, 20, 40, 80, 120 and 160
   turns/s, spread over the same learners' sessions, 15 s each; latency counts
   from each turn's scheduled start, so queueing inside the client or the
   server shows up (no coordinated omission). For each offered load: achieved
   throughput, p50/p95 and errors, so a reader sees where the 300 ms target
   stops holding. At most 16 requests per worker are on the wire at once; the rest
   queue in the client and their wait counts in their latency.

Messages are drawn (seeded) from a mix like the coach-turn benchmark's: greetings
and help, questions about named credentials and follow-ups ("how long does it
take?"), recognition questions, comparisons, topic searches (these embed the
query), out-of-scope requests and the wallet.

The load generator is one bounded asyncio ``httpx`` client in this process. Its
CPU time, the workers' CPU time and the whole machine's busy share are reported
per phase (``cpu``), so a reader can tell whether the client starved the
workers. ``WEB_LOAD_SECONDS`` / ``WEB_LOAD_LEARNERS`` / ``WEB_LOAD_STEP_SECONDS`` /
``WEB_LOAD_RATES`` (comma-separated turns/s) shrink the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pwd
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue
from knowledge.synth import write_synthetic

RESULTS = Path(__file__).resolve().parent / "results"
COACH = str(Path(sys.executable).parent / "coach")
SECONDS = float(os.environ.get("WEB_LOAD_SECONDS", "60"))
LEARNERS = int(os.environ.get("WEB_LOAD_LEARNERS", "100"))
STEP_SECONDS = float(os.environ.get("WEB_LOAD_STEP_SECONDS", "15"))
RATES = tuple(float(r) for r in os.environ.get("WEB_LOAD_RATES", "10,20,40,80,120,160").split(","))
#: Requests on the wire to one worker at once (the rest queue in the client, and count).
IN_FLIGHT_PER_WORKER = 16
#: A person reads the answer and types the next message: seconds, uniform in this range.
THINK_RANGE = (3.0, 8.0)
SEED = 11
TARGET_P95_MS = 300
_TOPICS = (
    "data analytics",
    "cloud automation",
    "security governance",
    "software testing",
    "design leadership",
    "health operations",
    "business strategy",
    "energy modelling",
    "finance automation",
    "engineering architecture",
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

    def postmaster(self) -> int | None:
        """The server's process id (for CPU accounting)."""
        try:
            return int((self.base / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

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


class Mix:
    """Seeded chat messages in the coach-turn benchmark's proportions, over one catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.titles = sorted(c.title for c in catalogue.credentials.values())
        self.recognised = (
            sorted(
                catalogue.title_of(r.credential) or ""
                for r in catalogue.recognitions.values()
                if r.credential
            )
            or self.titles
        )

    def message(self, rng: random.Random) -> str:
        pick = rng.randrange(12)
        if pick == 0:
            return rng.choice(("hello", "hi there", "help", "what can you do?"))
        if pick in (1, 2):
            return f"How much is {rng.choice(self.titles)}?"
        if pick == 3:
            return rng.choice(("how long does it take?", "what are the prerequisites?"))
        if pick == 4:
            return f"is {rng.choice(self.recognised)} accredited?"
        if pick == 5:
            return rng.choice(("and in Germany?", "does it expire?", "what does it stack into?"))
        if pick == 6:
            return f"compare {rng.choice(self.titles)} with {rng.choice(self.titles)}"
        if pick in (7, 8):
            return f"find credentials about {rng.choice(_TOPICS)}"
        if pick == 9:
            return f"tell me about {rng.choice(self.titles)}"
        if pick == 10:
            return rng.choice(("tell me a joke about the weather", "what's the football score?"))
        return "show my wallet"


class CpuMeter:
    """CPU seconds of this process (the load generator), of the workers, and the share of
    the whole machine that was busy, between ``start`` and ``stop``."""

    def __init__(self, pids: Sequence[int], postmaster: int | None = None) -> None:
        self.pids = list(pids)
        self.postmaster = postmaster
        self._tick = os.sysconf("SC_CLK_TCK")
        self._postgres_seen: dict[int, float] = {}

    def _cpu(self, pid: int) -> tuple[float, int]:
        """CPU seconds of ``pid`` (user + system) and its parent pid."""
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / self._tick, int(fields[1])
        except (OSError, IndexError, ValueError):
            return 0.0, 0

    def poll(self) -> None:
        """Note the CPU time of the PostgreSQL server and its backends (the postmaster's
        children); polled through the phase, so a backend that exits still counts."""
        if self.postmaster is None:
            return
        self._postgres_seen[self.postmaster] = self._cpu(self.postmaster)[0]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                seconds, parent = self._cpu(int(entry.name))
                if parent == self.postmaster:
                    self._postgres_seen[int(entry.name)] = seconds

    def _postgres(self) -> float:
        self.poll()
        return sum(self._postgres_seen.values())

    def _sample(self) -> tuple[float, float, float, float, float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        workers = sum(self._cpu(pid)[0] for pid in self.pids)
        try:
            cpu = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
            idle, total = cpu[3] + cpu[4], sum(cpu[:8])
        except (OSError, ValueError, IndexError):
            idle = total = 0
        client = usage.ru_utime + usage.ru_stime
        return client, workers, self._postgres(), idle, total, time.monotonic()

    def start(self) -> None:
        self._postgres_seen = {}
        self._start = self._sample()

    async def polling(self) -> None:
        """``poll`` once a second until cancelled."""
        while True:
            await asyncio.sleep(1.0)
            self.poll()

    def stop(self, requests: int) -> dict[str, Any]:
        """The shares, and CPU milliseconds per answered request (robust on a shared machine)."""
        end = self._sample()
        client, workers, postgres, idle, total, wall = (
            b - a for a, b in zip(self._start, end, strict=True)
        )
        cores = os.cpu_count() or 1
        per = max(requests, 1)
        return {
            "cores": cores,
            "client_cpu_seconds": round(client, 2),
            "client_share_of_machine": round(client / (wall * cores), 3) if wall else None,
            "workers_cpu_seconds": round(workers, 2),
            "workers_share_of_machine": round(workers / (wall * cores), 3) if wall else None,
            "postgres_cpu_seconds": round(postgres, 2),
            "machine_busy_share": round(1 - idle / total, 3) if total else None,
            "worker_cpu_ms_per_request": round(1000 * workers / per, 2),
            "postgres_cpu_ms_per_request": round(1000 * postgres / per, 2),
            "client_cpu_ms_per_request": round(1000 * client / per, 2),
        }


async def _session(client: httpx.AsyncClient, url: str) -> str:
    """A session, waiting out the per-address session limiter (not measured)."""
    while True:
        response = await client.post(f"{url}/api/sessions")
        if response.status_code == 201:
            return str(response.json()["token"])
        if response.status_code != 429:
            raise RuntimeError(f"session: {response.status_code}")
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))


def _summary(latencies: list[float], errors: dict[str, int], elapsed: float) -> dict[str, Any]:
    return {
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": errors,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * _pct(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(1000 * _pct(latencies, 0.99), 1) if latencies else None,
        "throughput_per_s": round(len(latencies) / elapsed, 1) if elapsed else None,
        "seconds": round(elapsed, 1),
    }


class Load:
    """The bounded asyncio client: per worker one small connection pool and a gate of the
    same size, and the learners' sessions.

    At most ``IN_FLIGHT_PER_WORKER`` requests are on the wire to each worker; the rest
    wait at the gate, in O(1). httpx's own pool queue costs O(requests x connections) on
    every event (profiled: 14 ms of client CPU per request at overload with one
    32-connection pool), which would let an overloaded client steal the workers' CPU. A
    worker answers only a few requests at once anyway (its threads share one interpreter
    lock). Below saturation the gate is never full, so it adds no latency there.
    """

    def __init__(self, urls: list[str], mix: Mix, meter: CpuMeter) -> None:
        self.urls, self.mix, self.meter = urls, mix, meter
        self.tokens: list[str] = []
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._gates: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def _pools(self) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            for url in self.urls:
                self._clients[url] = await stack.enter_async_context(
                    self._client(IN_FLIGHT_PER_WORKER)
                )
                self._gates[url] = asyncio.Semaphore(IN_FLIGHT_PER_WORKER)
            yield

    async def _send(self, number: int, turn: int, message: str | None) -> str:
        url = self.urls[(number + turn) % len(self.urls)]  # alternate workers per turn
        client = self._clients[url]
        try:
            async with self._gates[url]:
                if message is None:
                    response = await client.get(f"{url}/healthz")
                else:
                    response = await client.post(
                        f"{url}/api/chat",
                        json={"message": message},
                        headers={"Authorization": f"Bearer {self.tokens[number]}"},
                    )
            return str(response.status_code)
        except httpx.HTTPError as exc:
            return type(exc).__name__

    def _client(self, connections: int) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        return httpx.AsyncClient(timeout=60, limits=limits)

    async def sessions(self) -> None:
        async with self._client(LEARNERS) as client:
            self.tokens = list(
                await asyncio.gather(
                    *(_session(client, self.urls[n % len(self.urls)]) for n in range(LEARNERS))
                )
            )

    async def closed_loop(self, seconds: float, *, chat: bool) -> dict[str, Any]:
        """Each learner: message, answer, think (uniform in ``THINK_RANGE``), again."""
        latencies: list[float] = []
        errors: dict[str, int] = {}
        async with self._pools():
            self.meter.start()
            started = time.monotonic()

            async def learner(number: int) -> None:
                rng = random.Random(SEED * 1000 + number)
                await asyncio.sleep(rng.uniform(0, THINK_RANGE[1]))  # people arrive at random
                turn = 0
                while time.monotonic() - started < seconds:
                    message = self.mix.message(rng) if chat else None
                    sent = time.perf_counter()
                    status = await self._send(number, turn, message)
                    if status == "200":
                        latencies.append(time.perf_counter() - sent)
                    else:
                        errors[status] = errors.get(status, 0) + 1
                    turn += 1
                    left = seconds - (time.monotonic() - started)
                    await asyncio.sleep(max(0.0, min(left, rng.uniform(*THINK_RANGE))))

            poller = asyncio.create_task(self.meter.polling())
            await asyncio.gather(*(learner(n) for n in range(LEARNERS)))
            elapsed = time.monotonic() - started
            poller.cancel()
            cpu = self.meter.stop(len(latencies))
        result = _summary(latencies, errors, elapsed)
        result["offered_per_s"] = round(
            LEARNERS / ((THINK_RANGE[0] + THINK_RANGE[1]) / 2 + (result["p50_ms"] or 0) / 1000),
            1,
        )
        result["cpu"] = cpu
        return result

    async def open_loop(self, rate: float, seconds: float) -> dict[str, Any]:
        """Poisson arrivals at ``rate`` turns/s; latency from each scheduled start."""
        rng = random.Random(SEED + int(rate * 1000))
        latencies: list[float] = []
        errors: dict[str, int] = {}
        tasks: list[asyncio.Task[None]] = []
        async with self._pools():
            self.meter.start()
            started = time.perf_counter()

            async def turn(number: int, due: float, message: str) -> None:
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                status = await self._send(number, number, message)
                if status == "200":
                    latencies.append(time.perf_counter() - due)
                else:
                    errors[status] = errors.get(status, 0) + 1

            at, number = 0.0, 0
            while True:
                at += rng.expovariate(rate)
                if at >= seconds:
                    break
                message = self.mix.message(rng)
                tasks.append(asyncio.create_task(turn(number % LEARNERS, started + at, message)))
                number += 1
            poller = asyncio.create_task(self.meter.polling())
            await asyncio.gather(*tasks)
            elapsed = time.perf_counter() - started
            poller.cancel()
            cpu = self.meter.stop(len(latencies))
        result = _summary(latencies, errors, elapsed)
        result["offered_per_s"] = rate
        result["meets_target"] = bool(
            not errors and result["p95_ms"] is not None and result["p95_ms"] <= TARGET_P95_MS
        )
        result["cpu"] = cpu
        return result


def _measure(
    urls: list[str], catalogue: Catalogue, pids: list[int], postmaster: int | None
) -> dict[str, Any]:
    load = Load(urls, Mix(catalogue), CpuMeter(pids, postmaster))

    async def phases() -> dict[str, Any]:
        await load.sessions()
        healthz = await load.closed_loop(min(SECONDS, 20), chat=False)
        turns = await load.closed_loop(SECONDS, chat=True)
        curve = [await load.open_loop(rate, STEP_SECONDS) for rate in RATES]
        return {"healthz": healthz, "turns": turns, "curve": curve}

    return asyncio.run(phases())


def run() -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="stackwise-web-load-"))
    catalogue_dir = base / "catalogue"
    write_synthetic(catalogue_dir, 60, seed=5)
    catalogue = load_catalogue(catalogue_dir)
    env = {"COACH_CATALOGUE": str(catalogue_dir), "COACH_LLM": "none"}
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
        postmaster = postgres.postmaster() if postgres is not None else None
        measured = _measure(urls, catalogue, [p.pid for p in processes], postmaster)
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
    turns = measured["turns"]
    holds = [step["offered_per_s"] for step in measured["curve"] if step["meets_target"]]
    result = {
        "setup": note,
        "workers": workers,
        "learners": LEARNERS,
        "think_seconds": {
            "distribution": "uniform",
            "low": THINK_RANGE[0],
            "high": THINK_RANGE[1],
            "seed": SEED,
            "why": "a person reads the answer and types the next message",
        },
        "chat_turns": turns,
        "baseline_healthz": measured["healthz"],
        "saturation": measured["curve"],
        "target_holds_up_to_per_s": max(holds) if holds else None,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": bool(
            not turns["errors"] and turns["p95_ms"] is not None and turns["p95_ms"] <= TARGET_P95_MS
        ),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web_load.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
