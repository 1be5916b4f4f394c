"""Operator logging: one line per event, ``key=value`` pairs after the message.

Log learner ids, never badge contents, messages or secrets.
"""

from __future__ import annotations

import logging
import sys

_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """Send log lines to stderr (stdout is reserved for command output)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "chromadb", "sentence_transformers", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def event(logger: logging.Logger, name: str, **fields: object) -> None:
    """Log one event as ``name key=value ...`` on a single line."""
    parts = [name] + [f"{key}={_clean(value)}" for key, value in fields.items()]
    logger.info(" ".join(parts))


def _clean(value: object) -> str:
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if " " not in text else repr(text)
