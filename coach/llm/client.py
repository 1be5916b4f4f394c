"""The model port and its real adapter (langchain-openai, any OpenAI-compatible server)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from coach.errors import ModelError


@dataclass(frozen=True)
class ToolCall:
    """A tool the model asked for, with its arguments as parsed JSON."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ModelReply:
    """One model response: text and/or tool calls, plus token counts."""

    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True)
class Message:
    """A chat message in the model's conversation (role: system/user/assistant/tool)."""

    role: str
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ChatClient(Protocol):
    """What the coach needs from a chat model."""

    async def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[dict[str, Any]],
        *,
        stream: bool = False,
    ) -> ModelReply:
        """One model response; with ``stream`` it travels as server-sent chunks."""
        ...


def _to_langchain(messages: Sequence[Message]) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    out: list[Any] = []
    for message in messages:
        if message.role == "system":
            out.append(SystemMessage(content=message.content))
        elif message.role == "user":
            out.append(HumanMessage(content=message.content))
        elif message.role == "assistant":
            out.append(
                AIMessage(
                    content=message.content,
                    tool_calls=[
                        {"id": c.id, "name": c.name, "args": c.arguments, "type": "tool_call"}
                        for c in message.tool_calls
                    ],
                )
            )
        else:
            out.append(ToolMessage(content=message.content, tool_call_id=message.tool_call_id))
    return out


_LOOP_LOCK = threading.Lock()
_LOOP: asyncio.AbstractEventLoop | None = None


def _model_loop() -> asyncio.AbstractEventLoop:
    """The one event loop every model call runs on.

    The OpenAI client caches its HTTP connection pool per process, bound to the loop
    that first used it; callers come from many loops (a server's, ``asyncio.run`` per
    CLI turn), so calls are handed to this long-lived loop in its own thread.
    """
    global _LOOP
    with _LOOP_LOCK:
        if _LOOP is None:
            _LOOP = asyncio.new_event_loop()
            threading.Thread(target=_LOOP.run_forever, name="llm-client", daemon=True).start()
        return _LOOP


class OpenAIChatClient:
    """``ChatClient`` over ``langchain_openai.ChatOpenAI`` (OpenAI, vLLM, Ollama, ...)."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str,
        timeout: float = 20.0,
        max_retries: int = 1,
    ) -> None:
        from langchain_openai import ChatOpenAI

        self._chat = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            temperature=0,
            stream_usage=True,
        )
        self._loop = _model_loop()

    async def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[dict[str, Any]],
        *,
        stream: bool = False,
    ) -> ModelReply:
        future = asyncio.run_coroutine_threadsafe(
            self._complete(messages, tools, stream=stream), self._loop
        )
        return await asyncio.wrap_future(future)

    async def _complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[dict[str, Any]],
        *,
        stream: bool,
    ) -> ModelReply:
        runnable: Any = self._chat.bind_tools(list(tools)) if tools else self._chat
        try:
            if stream:
                reply: Any = None
                async for chunk in runnable.astream(_to_langchain(messages)):
                    reply = chunk if reply is None else reply + chunk
                if reply is None:
                    raise ModelError("the model sent an empty stream")
            else:
                reply = await runnable.ainvoke(_to_langchain(messages))
        except ModelError:
            raise
        except Exception as exc:  # every client failure is a model failure to the coach
            raise ModelError(f"model call failed: {type(exc).__name__}") from exc
        calls = []
        for call in reply.tool_calls:
            args = call.get("args") or {}
            calls.append(
                ToolCall(
                    id=str(call.get("id") or call["name"]), name=call["name"], arguments=dict(args)
                )
            )
        for bad in getattr(reply, "invalid_tool_calls", []) or []:
            calls.append(
                ToolCall(
                    id=str(bad.get("id") or "bad"),
                    name=str(bad.get("name")),
                    arguments={"_invalid": json.dumps(bad.get("args"))},
                )
            )
        usage = reply.usage_metadata or {}
        content = reply.content if isinstance(reply.content, str) else ""
        return ModelReply(
            content=content,
            tool_calls=tuple(calls),
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
        )
