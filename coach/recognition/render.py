"""Turn ``RecognitionFindings`` into words, citing every record used."""

from __future__ import annotations

from coach.answer import Action, Answer, Citation
from coach.recognition.findings import Finding, RecognitionFindings

_KIND_WORDS = {
    "accreditation": "accreditation",
    "regulatory": "regulatory approval",
    "endorsement": "employer endorsement",
    "credit-transfer": "credit transfer",
    "framework-level": "framework level",
}

_ASPECT_WORDS = {
    "any": "recognition",
    "accreditation": "accreditation",
    "endorsement": "employer endorsements",
    "credit-transfer": "credit transfer",
    "country": "recognition",
    "framework-level": "a framework level",
    "expiry": "expiry",
}

_CHECKS = {
    "any": "ask the provider for its accreditation statement and check the accrediting "
    "body's public register",
    "accreditation": "check the accrediting body's or ministry's public register, or ask the "
    "provider which quality assurance body reviews it",
    "endorsement": "ask the employers you have in mind whether they accept it",
    "credit-transfer": "ask the admissions or registry office of the institution whose "
    "qualification you want credit towards",
    "country": "check the national qualifications or recognition centre (ENIC-NARIC) of that "
    "country",
    "framework-level": "check the national qualifications framework register",
    "expiry": "check the provider's terms for the credential",
}


def _where(finding: Finding) -> str:
    parts = []
    if finding.countries:
        parts.append("in " + ", ".join(finding.countries))
    if finding.institution:
        parts.append(f"at {finding.institution}")
    return (" " + " ".join(parts)) if parts else ""


def _sentence(finding: Finding) -> str:
    """One record in plain words; every figure comes from the record."""
    outcome = {"granted": "", "partial": " (partial)", "refused": " (refused)"}[finding.outcome]
    about = ""
    if finding.about_title and finding.kind in ("accreditation", "regulatory"):
        about = f" of {finding.about_title}"
    head = f"{_KIND_WORDS.get(finding.kind, finding.kind).capitalize()}{about}{outcome}"
    bits = [f"{head}: {finding.granted_by}{_where(finding)}."]
    if finding.kind == "credit-transfer" and finding.credits is not None:
        towards = f" towards {finding.towards_title}" if finding.towards_title else ""
        bits.append(f"{finding.credits:g} credits{towards}.")
    elif finding.towards_title:
        bits.append(f"Towards {finding.towards_title}.")
    if finding.framework and finding.framework_level is not None:
        bits.append(f"{finding.framework} level {finding.framework_level}.")
    bits.append(finding.detail.rstrip(".") + ".")
    if finding.conditions:
        bits.append(f"Conditions: {finding.conditions.rstrip('.')}.")
    if finding.valid_until is not None:
        bits.append(f"Valid until {finding.valid_until.isoformat()}.")
    bits.append(f"[{finding.record_id}]")
    return " ".join(bits)


def _citation(finding: Finding) -> Citation:
    title = f"{_KIND_WORDS.get(finding.kind, finding.kind)}: {finding.granted_by}"
    return Citation(id=finding.record_id, title=title, url=finding.source_url)


def render_findings(findings: RecognitionFindings) -> Answer:
    """The answer to a recognition question: findings, conflicts, lapsed records, or
    a plain "not in the catalogue" with what the learner can check instead."""
    title = findings.subject_title
    place = f" in {findings.country}" if findings.country else ""
    lines: list[str] = []
    citations: list[Citation] = [
        Citation(id=findings.subject_id, title=title, url=findings.subject_url)
    ]
    used: list[Finding] = []

    if findings.expiry is not None and findings.aspect == "expiry":
        if findings.expiry.months is None:
            lines.append(f"{title} does not expire, according to the catalogue.")
        else:
            lines.append(f"{title} is valid for {findings.expiry.months} months after award.")
        if findings.expiry.renewal:
            lines.append(f"Renewal: {findings.expiry.renewal.rstrip('.')}.")

    if findings.findings:
        what = _ASPECT_WORDS[findings.aspect]
        if findings.aspect != "expiry":
            lines.append(f"What the catalogue records about {what} of {title}{place}:")
        else:
            lines.append("Recognition records with an end date:")
        for finding in findings.findings:
            lines.append("- " + _sentence(finding))
            used.append(finding)
    elif findings.aspect != "expiry":
        what = _ASPECT_WORDS[findings.aspect]
        lines.append(
            f"Not in the catalogue: it holds no record of {what} for {title}{place}. "
            f"I won't guess. You could {_CHECKS[findings.aspect]}."
        )
        if findings.elsewhere:
            lines.append("The catalogue does record it elsewhere:")
            for finding in findings.elsewhere:
                lines.append("- " + _sentence(finding))
                used.append(finding)

    if findings.conflicts:
        by_id = {f.record_id: f for f in findings.findings + findings.elsewhere}
        lines.append("Note: the records disagree (a conflict), so check both sources:")
        for conflict in findings.conflicts:
            sides = []
            for record_id in conflict.granted + conflict.not_granted:
                finding = by_id[record_id]
                where = "/".join(finding.countries) or "no country given"
                sides.append(f"{finding.outcome} by {finding.granted_by} ({where}) [{record_id}]")
                if finding not in used:
                    used.append(finding)
            kind = _KIND_WORDS.get(conflict.kind, conflict.kind)
            lines.append(f"- Conflict on {kind}: " + "; ".join(sides) + ".")
    if findings.lapsed:
        lines.append("No longer current (past their end date):")
        for finding in findings.lapsed:
            lines.append(
                f"- {_KIND_WORDS.get(finding.kind, finding.kind).capitalize()} by "
                f"{finding.granted_by} ended {finding.valid_until}. [{finding.record_id}]"
            )
            used.append(finding)

    for finding in used:
        citations.append(_citation(finding))
    actions = (
        Action(
            label="Is it accredited?", payload=f"recognition:accreditation:{findings.subject_id}"
        ),
        Action(
            label="Credit transfer?", payload=f"recognition:credit-transfer:{findings.subject_id}"
        ),
        Action(label="Does it expire?", payload=f"recognition:expiry:{findings.subject_id}"),
    )
    return Answer(
        text="\n".join(lines),
        intent="recognition",
        citations=tuple(citations),
        actions=tuple(
            a for a in actions if not a.payload.startswith(f"recognition:{findings.aspect}:")
        ),
    )
