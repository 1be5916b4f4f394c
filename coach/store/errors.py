"""Errors of the learner database.

CoachError
├── StoreError                  the learner database failed
│   ├── StoreUnavailableError   it cannot be reached (down, locked, timed out): retry later
│   └── StoreSchemaError        its schema could not be brought up to date
└── StoreConflictError          a write broke a rule (username taken) - the caller's fault
    └── UnknownLearnerError     a write named a learner that does not exist (or was erased)

Only ``StoreError`` means "the database is in trouble" (channels answer 503);
the conflict errors are the caller's problem and never mean the store is down.
"""

from __future__ import annotations

from coach.errors import CoachError, StoreError


class StoreUnavailableError(StoreError):
    """The database cannot be reached right now (down, locked, timed out)."""


class StoreSchemaError(StoreError):
    """The database schema could not be created or migrated."""


class StoreConflictError(CoachError, ValueError):
    """A write broke a rule of the store (for example a username already taken)."""


class UnknownLearnerError(StoreConflictError, LookupError):
    """A write named a learner that does not exist (never created, or erased)."""
