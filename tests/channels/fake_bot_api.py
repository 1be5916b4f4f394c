"""A Bot API server of our own, for what the emulator refuses: photos, documents, files.

It speaks the Bot API's HTTP shape (``/bot<token>/<method>`` and
``/file/bot<token>/<path>``), records every call, and can answer 429 with
``retry_after`` to exercise back-off. Everything else in the Telegram tests runs
against the real emulator.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Call:
    method: str
    fields: dict[str, str]
    files: dict[str, bytes]


@dataclass
class FakeBotApi:
    files: dict[str, bytes] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    throttle_next: int = 0
    _message_id: int = 100

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self.method, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self.download, methods=["GET"]),
            ]
        )

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def method(self, request: Request) -> Response:
        name = request.path_params["method"]
        form = await request.form()
        fields: dict[str, str] = {}
        files: dict[str, bytes] = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields[key] = value
            else:
                files[key] = await value.read()
        self.calls.append(Call(name, fields, files))
        if name.startswith("send") and self.throttle_next > 0:
            self.throttle_next -= 1
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
                status_code=429,
            )
        return JSONResponse({"ok": True, "result": self._result(name, fields)})

    async def download(self, request: Request) -> Response:
        data = self.files.get(request.path_params["path"])
        return Response(data, status_code=200) if data is not None else Response(status_code=404)

    def _result(self, name: str, fields: dict[str, str]) -> Any:
        if name == "getMe":
            return {"id": 1, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}
        if name == "getFile":
            file_id = fields["file_id"]
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": file_id,
            }
        if name.startswith("send"):
            self._message_id += 1
            return {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": int(fields.get("chat_id", "0")), "type": "private"},
            }
        return True
