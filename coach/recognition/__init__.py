"""Recognition answers: accreditation, endorsements, credit transfer, countries,
framework levels, expiry and badge authenticity.

Pure: ``find_recognition(catalogue, subject, aspect=..., country=..., today=...)``
gathers ``RecognitionFindings`` from the catalogue's recognition records only;
``render_findings`` turns them into an ``Answer`` that cites every record it
uses. ``explain_verification`` puts a wallet verification result in plain words.
Nothing here guesses: when the catalogue holds nothing, the answer says so.
"""

from coach.recognition.badge import explain_verification
from coach.recognition.findings import (
    Aspect,
    Conflict,
    Finding,
    RecognitionFindings,
    find_recognition,
)
from coach.recognition.render import render_findings

__all__ = [
    "Aspect",
    "Conflict",
    "Finding",
    "RecognitionFindings",
    "explain_verification",
    "find_recognition",
    "render_findings",
]
