"""Load a catalogue folder, all or nothing.

``load_catalogue(path)`` returns a validated ``Catalogue`` or raises
``CatalogueInvalid`` carrying the full validation report: the coach never runs
on a half-loaded catalogue. ``CatalogueUnreadable`` means the path is not a
readable folder at all.

CatalogueError (knowledge.errors)
├── CatalogueInvalid      the catalogue has errors; ``.report`` lists them all
└── CatalogueUnreadable   the path is not a readable folder
"""

from __future__ import annotations

from pathlib import Path

from knowledge.errors import CatalogueError
from knowledge.schema import Catalogue
from knowledge.validation import CatalogueUnreadable, ValidationReport, validate_catalogue

__all__ = ["CatalogueInvalid", "CatalogueUnreadable", "load_catalogue"]


class CatalogueInvalid(CatalogueError):  # noqa: N818 - the name is the contract
    """The catalogue failed validation; ``report`` holds every problem."""

    def __init__(self, path: Path, report: ValidationReport) -> None:
        self.path = path
        self.report = report
        super().__init__(f"catalogue {path} is invalid: {report.summary()}")


def load_catalogue(path: Path) -> Catalogue:
    """Read, check and return the catalogue at ``path`` (all or nothing)."""
    catalogue, report = validate_catalogue(Path(path))
    if catalogue is None:
        raise CatalogueInvalid(Path(path), report)
    return catalogue
