"""The channel-neutral answer every coach turn produces.

Adapters (Telegram, web, terminal) render it; nothing here knows a channel.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Value):
    """A catalogue entry or wallet record an answer relies on."""

    id: str
    title: str
    url: str | None = None


class Action(_Value):
    """A quick reply: ``label`` is shown, ``payload`` is sent back when chosen."""

    label: str = Field(min_length=1, max_length=200)
    payload: str = Field(min_length=1, max_length=200)


class Attachment(_Value):
    """An image (pathway picture, radar chart) that goes with the answer.

    In JSON the bytes travel as base64.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64"
    )
    kind: Literal["image"] = "image"
    media_type: Literal["image/png", "image/svg+xml"]
    name: str
    alt: str
    data: bytes


class Answer(_Value):
    """Text plus citations, quick replies and attachments."""

    text: str
    intent: str = "unknown"
    citations: tuple[Citation, ...] = ()
    actions: tuple[Action, ...] = ()
    attachments: tuple[Attachment, ...] = ()
