"""Record and replay model calls for reproducible reruns.

Each request (messages and tools) is keyed by the SHA-256 of its canonical JSON;
``record`` mode calls the real client and appends ``{"key", "reply"}`` lines to a
JSONL file, ``replay`` mode answers from that file and fails on an unknown request.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from coach.llm.client import ChatClient, Message, ModelReply, ToolCall


class ReplayMissError(LookupError):
    """A request that the recording does not hold."""


def request_key(messages: Sequence[Message], tools: Sequence[dict[str, Any]]) -> str:
    payload = {"messages": [dataclasses.asdict(m) for m in messages], "tools": list(tools)}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reply_from(data: dict[str, Any]) -> ModelReply:
    calls = tuple(ToolCall(**call) for call in data.get("tool_calls", ()))
    return ModelReply(
        content=data["content"],
        tool_calls=calls,
        input_tokens=int(data.get("input_tokens", 0)),
        output_tokens=int(data.get("output_tokens", 0)),
    )


class RecordingClient:
    """A ``ChatClient`` that records to, or replays from, a JSONL file."""

    def __init__(
        self, path: Path, mode: Literal["record", "replay"], inner: ChatClient | None = None
    ) -> None:
        if mode == "record" and inner is None:
            raise ValueError("recording needs the real client")
        self.path = path
        self.mode = mode
        self.inner = inner
        self._lock = threading.Lock()
        self._replies: dict[str, dict[str, Any]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    self._replies[row["key"]] = row["reply"]

    async def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[dict[str, Any]],
        *,
        stream: bool = False,
    ) -> ModelReply:
        key = request_key(messages, tools)
        with self._lock:
            known = self._replies.get(key)
        if known is not None:
            return _reply_from(known)
        if self.mode == "replay" or self.inner is None:
            raise ReplayMissError(f"no recorded reply for request {key[:12]}")
        reply = await self.inner.complete(messages, tools, stream=stream)
        recorded = dataclasses.asdict(reply)
        row = {"key": key, "reply": recorded}
        with self._lock:
            self._replies[key] = recorded
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return reply
