"""Catalogue validation: every problem at once, each with where it is.

``validate_catalogue(path)`` reads a catalogue folder and runs the checks in
order; it returns the ``Catalogue`` only when there is no error. The checks,
one module each:

* ``reading``: files that cannot be read or parsed, wrong file shapes;
* ``schema_check``: entries that do not fit the schema;
* ``identity``: ids used twice (across all kinds of entry);
* ``references``: ids that point at nothing or at the wrong kind of entry;
* ``cycles``: prerequisite and skill-dependency cycles;
* ``satisfiability``: qualifications no set of credentials can earn;
* ``plausibility``: levels above a skill's scale, implausible numbers;
* ``recognition_check``: recognition records that recognise nothing definite.

The later checks run on the entries that passed the schema, so one broken
entry does not hide the problems of the others.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge.schema import Catalogue
from knowledge.validation.cycles import check_cycles
from knowledge.validation.identity import Indexed, check_identity
from knowledge.validation.plausibility import check_plausibility
from knowledge.validation.reading import CatalogueUnreadable, read_folder
from knowledge.validation.recognition_check import check_recognitions
from knowledge.validation.references import check_references
from knowledge.validation.report import Problem, Problems, ValidationReport
from knowledge.validation.satisfiability import check_qualifications
from knowledge.validation.schema_check import check_schema

__all__ = [
    "CatalogueUnreadable",
    "Problem",
    "ValidationReport",
    "validate_catalogue",
]


def validate_catalogue(path: Path) -> tuple[Catalogue | None, ValidationReport]:
    """Read and check the catalogue folder at ``path``.

    Returns the catalogue (None when there is any error) and the report.
    Raises ``CatalogueUnreadable`` when ``path`` is not a readable folder.
    """
    problems = Problems()
    with _gc_paused():
        raw = read_folder(Path(path), problems)
        checked = check_schema(raw, problems)
        indexed = check_identity(checked, problems)
        check_references(indexed, problems)
        check_cycles(indexed, problems)
        check_qualifications(indexed, problems)
        check_plausibility(indexed, problems)
        check_recognitions(indexed, problems)
    report = problems.report(checked.counts)
    if not report.ok or checked.info is None:
        return None, report
    return _build(checked.info, indexed), report


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Loading makes millions of acyclic objects; each generation-2 pass scans
    all of them, which makes loading superlinear. Nothing here makes cycles
    worth collecting mid-load, so the collector waits until the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(info: object, indexed: Indexed) -> Catalogue:
    tables = indexed.tables
    return Catalogue(
        info=info,  # type: ignore[arg-type]
        providers=tables["providers"],
        skills=tables["skills"],
        credentials=tables["credentials"],
        qualifications=tables["qualifications"],
        roles=tables["roles"],
        recognitions=tables["recognitions"],
    )
