"""Writer locks: one index writer at a time, readers never wait.

``FileLock``: ``fcntl.flock`` on a file in the index folder (embedded mode; the
kernel drops it when the process dies). ``LeaseLock``: a record with an owner
token and an expiry in a small collection on the server (server mode, where
writers may run on different machines); a crashed writer's lease expires.
The lease is best effort: two writers racing within one confirmation delay
could both believe they won, which the confirmation read makes unlikely.
"""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from knowledge.errors import VectorIndexError

#: How long a writer waits for another writer before giving up.
WAIT_SECONDS = 600.0
LEASE_SECONDS = 900.0
_RECORD = "writer"


class LockTimeout(VectorIndexError):  # noqa: N818 - reads as a state
    """Another writer held the index lock for too long."""


class FileLock:
    """Exclusive ``flock`` on ``path`` for the duration of a ``with`` block."""

    def __init__(self, path: Path, *, wait_seconds: float = WAIT_SECONDS) -> None:
        self._path = path
        self._wait = wait_seconds
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self._wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeout(
                        f"another process is writing the index ({self._path})"
                    ) from exc
                time.sleep(0.05)
        self._fd = fd

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class LockRecords(Protocol):
    """The slice of a Chroma collection the lease needs."""

    def get(self, ids: list[str], include: Any) -> Any: ...

    def upsert(self, ids: list[str], embeddings: Any, metadatas: Any) -> None: ...

    def delete(self, ids: list[str]) -> None: ...


class LeaseLock:
    """A lease record ``writer`` = (owner token, expiry) in a lock collection."""

    def __init__(
        self,
        records: Callable[[], LockRecords],
        *,
        wait_seconds: float = WAIT_SECONDS,
        lease_seconds: float = LEASE_SECONDS,
        confirm_seconds: float = 0.1,
    ) -> None:
        self._records = records
        self._wait = wait_seconds
        self._lease = lease_seconds
        self._confirm = confirm_seconds
        self._token = uuid.uuid4().hex

    def _holder(self, records: LockRecords) -> tuple[str, float] | None:
        got = records.get(ids=[_RECORD], include=["metadatas"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0] or {}
        return str(meta.get("owner", "")), float(meta.get("expires", 0.0))

    def __enter__(self) -> None:
        records = self._records()
        deadline = time.monotonic() + self._wait
        while True:
            holder = self._holder(records)
            if holder is None or holder[1] < time.time() or holder[0] == self._token:
                records.upsert(
                    ids=[_RECORD],
                    embeddings=[[0.0]],
                    metadatas=[{"owner": self._token, "expires": time.time() + self._lease}],
                )
                time.sleep(self._confirm)  # let a racing writer's upsert land, then check
                confirmed = self._holder(records)
                if confirmed is not None and confirmed[0] == self._token:
                    return
            if time.monotonic() > deadline:
                raise LockTimeout("another writer holds the index lease on the Chroma server")
            time.sleep(0.2)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            records = self._records()
            holder = self._holder(records)
            if holder is not None and holder[0] == self._token:
                records.delete(ids=[_RECORD])
        except Exception:  # the server went away: the lease expires by itself
            return
