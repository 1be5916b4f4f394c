"""Recognition check: each record says what it recognises, and how.

References are checked by ``references``; this adds what each kind needs:

* ``credit-transfer`` must say where the credit goes or how much it is
  (``towards_qualification``, ``institution`` or ``credits``: a credit
  recommendation such as ACE's names only the credits);
* ``framework-level`` must give the ``framework_level``;
* a record covering several subjects (credential, qualification, provider)
  is flagged with a warning: answers cite it for each, which may overstate it.
"""

from __future__ import annotations

from knowledge.schema import Recognition
from knowledge.validation.identity import Indexed
from knowledge.validation.report import Problems


def check_recognitions(indexed: Indexed, problems: Problems) -> None:
    """Report recognition records that recognise nothing definite."""
    records: dict[str, Recognition] = indexed.tables["recognitions"]
    for rid, record in records.items():
        where = indexed.where[rid]
        subjects = [
            name
            for name, value in (
                ("credential", record.credential),
                ("qualification", record.qualification),
                ("provider", record.provider),
            )
            if value
        ]
        if len(subjects) > 1:
            problems.warn(
                where,
                f"covers more than one subject ({', '.join(subjects)}): split it into one "
                "record per subject",
            )
        if (
            record.kind == "credit-transfer"
            and not record.towards_qualification
            and not record.institution
            and record.credits is None
        ):
            problems.error(
                where,
                "a credit-transfer record must name towards_qualification, institution or credits",
            )
        if record.kind == "framework-level" and record.framework_level is None:
            problems.error(where, "a framework-level record must give framework_level")
