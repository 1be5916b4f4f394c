"""Errors raised by ``knowledge``. Modules add their own subclasses here.

KnowledgeError
├── CatalogueError        a catalogue cannot be read or is invalid
└── VectorIndexError      the vector index or its store failed
"""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base of every error raised by the ``knowledge`` package."""


class CatalogueError(KnowledgeError):
    """A catalogue could not be read or failed validation."""


class VectorIndexError(KnowledgeError):
    """The vector index or its store failed."""
