"""Errors raised by ``coach``. Modules add their own subclasses here.

CoachError
├── WalletError           a badge could not be read or stored
├── StoreError            the learner database failed
├── PlanningError         a plan request is malformed (infeasible plans are results)
└── ModelError            the language model failed or timed out
"""

from __future__ import annotations


class CoachError(Exception):
    """Base of every error raised by the ``coach`` package."""


class WalletError(CoachError):
    """A badge could not be read, verified or stored."""


class StoreError(CoachError):
    """The learner database failed."""


class PlanningError(CoachError):
    """A plan request is malformed (an infeasible plan is a result, not an error)."""


class ModelError(CoachError):
    """The language model failed, timed out or broke its contract."""
