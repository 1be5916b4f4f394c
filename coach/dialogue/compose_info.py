"""Answers about catalogue entries: facts, comparisons, search results.

Every figure comes from the catalogue record, and every entry named is cited.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.answer import Action, Answer, Citation
from coach.dialogue.tools import Hit
from knowledge.schema import Catalogue, Credential


def cite(catalogue: Catalogue, entry_id: str) -> Citation:
    """A citation for any catalogue entry."""
    url = None
    for table in (catalogue.credentials, catalogue.qualifications):
        entry = table.get(entry_id)
        if entry is not None:
            url = entry.url
    provider = catalogue.providers.get(entry_id)
    if provider is not None:
        url = provider.url
    return Citation(id=entry_id, title=catalogue.title_of(entry_id) or entry_id, url=url)


def money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}" if amount == int(amount) else f"{amount:,.2f} {currency}"


def _weeks(value: float) -> str:
    return f"{value:g} week" + ("" if value == 1 else "s")


def _credits(credential: Credential) -> str:
    workload = credential.workload
    if workload.credits is None:
        return ""
    return f", {workload.credits:g} {workload.credit_unit}"


def _skills(catalogue: Catalogue, credential: Credential) -> str:
    names = []
    for item in credential.skills:
        skill = catalogue.skills.get(item.skill)
        names.append(f"{skill.name if skill else item.skill} (level {item.level})")
    return ", ".join(names)


def _prerequisites(catalogue: Catalogue, credential: Credential) -> str:
    if not credential.prerequisites:
        return f"{credential.title} has no prerequisites in the catalogue."
    parts = []
    for group in credential.prerequisites:
        items = [catalogue.title_of(c) or c for c in group.credentials]
        for need in group.skills:
            skill = catalogue.skills.get(need.skill)
            items.append(f"{skill.name if skill else need.skill} at level {need.level}")
        if group.min_count is not None and group.min_count < group.item_count:
            text = f"at least {group.min_count} of: " + "; ".join(items)
        else:
            text = "; ".join(items)
        if group.description:
            text += f" ({group.description})"
        parts.append(text)
    return f"Before {credential.title} you need: " + " AND ".join(parts) + "."


def _stacks(catalogue: Catalogue, credential: Credential) -> str:
    into = catalogue.stacks_into.get(credential.id, ())
    if not into:
        return f"{credential.title} does not count towards any qualification in the catalogue."
    names = ", ".join(catalogue.title_of(q) or q for q in into)
    return f"{credential.title} counts towards: {names}."


def credential_answer(catalogue: Catalogue, credential_id: str, aspect: str) -> Answer:
    """Cost, duration, content, prerequisites, stacking, provider, or an overview."""
    credential = catalogue.credentials.get(credential_id)
    if credential is None:
        return _other_entry_answer(catalogue, credential_id)
    provider = catalogue.providers.get(credential.provider)
    provider_name = provider.name if provider else credential.provider
    price = money(credential.price.amount, credential.price.currency)
    duration = (
        f"about {_weeks(credential.duration_weeks)} "
        f"({credential.workload.hours:g} hours of study{_credits(credential)})"
    )
    title = credential.title
    if aspect == "cost":
        text = f"{title} costs {price}."
    elif aspect == "duration":
        text = f"{title} takes {duration}."
    elif aspect == "content":
        outcomes = "; ".join(credential.learning_outcomes) or credential.description
        text = f"In {title} you learn: {outcomes}"
        skills = _skills(catalogue, credential)
        if skills:
            text += f"\nSkills: {skills}."
    elif aspect == "prerequisites":
        text = _prerequisites(catalogue, credential)
    elif aspect == "stacks":
        text = _stacks(catalogue, credential)
    elif aspect == "provider":
        text = f"{title} is offered by {provider_name}."
    else:
        lines = [
            f"{title} ({credential.type}, by {provider_name}): {price}, {duration}, "
            f"{credential.participation.mode}, {credential.participation.pacing}."
        ]
        if credential.eqf_level is not None:
            lines.append(f"EQF level {credential.eqf_level}.")
        if credential.description:
            # The provider's own words, quoted as such: never read as the coach's statement.
            lines.append(f'The provider describes it as: "{credential.description[:300]}"')
        lines.append(_stacks(catalogue, credential))
        text = "\n".join(lines)
    citations = [cite(catalogue, credential.id)]
    if aspect in ("provider", "overview") and provider is not None:
        citations.append(cite(catalogue, provider.id))
    if aspect in ("stacks", "overview"):
        citations += [cite(catalogue, q) for q in catalogue.stacks_into.get(credential.id, ())]
    if aspect == "prerequisites":
        citations += [cite(catalogue, c) for g in credential.prerequisites for c in g.credentials]
    return Answer(
        text=text,
        intent="credential_info",
        citations=tuple(citations),
        actions=info_actions(credential.id, skip=aspect),
    )


def info_actions(entry_id: str, *, skip: str = "") -> tuple[Action, ...]:
    options = (
        ("cost", "How much?", f"info:cost:{entry_id}"),
        ("duration", "How long?", f"info:duration:{entry_id}"),
        ("prerequisites", "Prerequisites?", f"info:prerequisites:{entry_id}"),
        ("recognition", "Is it recognised?", f"recognition:any:{entry_id}"),
        ("goal", "Make it my goal", f"goal:{entry_id}"),
    )
    return tuple(
        Action(label=label, payload=payload) for key, label, payload in options if key != skip
    )


def _other_entry_answer(catalogue: Catalogue, entry_id: str) -> Answer:
    qualification = catalogue.qualifications.get(entry_id)
    role = catalogue.roles.get(entry_id)
    citations = [cite(catalogue, entry_id)]
    if qualification is not None:
        rules = qualification.rules
        parts = [f"{qualification.title} ({qualification.type}) is earned by stacking credentials."]
        if rules.required:
            names = ", ".join(catalogue.title_of(c) or c for c in rules.required)
            parts.append(f"Required: {names}.")
            citations += [cite(catalogue, c) for c in rules.required]
        for pool in rules.elective_pools:
            need = []
            if pool.min_count is not None:
                need.append(f"at least {pool.min_count}")
            if pool.min_credits is not None:
                need.append(f"{pool.min_credits:g} credits")
            names = ", ".join(catalogue.title_of(c) or c for c in pool.credentials)
            parts.append(f"{pool.title or 'Electives'} ({' and '.join(need)}) from: {names}.")
        if rules.min_total_credits is not None:
            parts.append(f"In total {rules.min_total_credits:g} {qualification.credit_unit}.")
        if qualification.award_fee is not None:
            fee = money(qualification.award_fee.amount, qualification.award_fee.currency)
            parts.append(f"Award fee: {fee}.")
        text = " ".join(parts)
    elif role is not None:
        needs: list[str] = []
        for role_skill in role.required_skills:
            known = catalogue.skills.get(role_skill.skill)
            mark = " (essential)" if role_skill.essential else ""
            name = known.name if known else role_skill.skill
            needs.append(f"{name} level {role_skill.level}{mark}")
        text = f"{role.title} needs: " + ", ".join(needs) + "."
        if role.asked_credentials:
            names = ", ".join(catalogue.title_of(c) or c for c in role.asked_credentials)
            text += f" Employers ask for: {names}."
            citations += [cite(catalogue, c) for c in role.asked_credentials]
    else:
        provider = catalogue.providers.get(entry_id)
        if provider is None:
            return Answer(text=f"{entry_id} is not in the catalogue.", intent="credential_info")
        offered = [c for c in catalogue.credentials.values() if c.provider == entry_id]
        text = (
            f"{provider.name} ({provider.kind}, {provider.country}) offers "
            + (", ".join(c.title for c in offered[:10]) or "nothing in the catalogue")
            + "."
        )
    actions = (
        Action(label="Make it my goal", payload=f"goal:{entry_id}"),
        Action(label="Plan a path", payload=f"plan:{entry_id}"),
    )
    return Answer(text=text, intent="credential_info", citations=tuple(citations), actions=actions)


def compare_answer(catalogue: Catalogue, first: str, second: str) -> Answer:
    """Side by side: price, duration, hours, credits, level, recognition count."""
    rows = []
    citations = []
    for entry_id in (first, second):
        credential = catalogue.credentials.get(entry_id)
        citations.append(cite(catalogue, entry_id))
        if credential is None:
            rows.append(
                f"- {catalogue.title_of(entry_id) or entry_id}: not a credential I can compare."
            )
            continue
        records = catalogue.recognitions_by_subject.get(entry_id, ())
        level = f", EQF {credential.eqf_level}" if credential.eqf_level else ""
        rows.append(
            f"- {credential.title}: {money(credential.price.amount, credential.price.currency)}, "
            f"{_weeks(credential.duration_weeks)}, {credential.workload.hours:g} hours"
            f"{_credits(credential)}{level}, {len(records)} recognition record(s)."
        )
    a = catalogue.credentials.get(first)
    b = catalogue.credentials.get(second)
    verdict = ""
    if a is not None and b is not None:
        if a.price.currency == b.price.currency and a.price.amount != b.price.amount:
            cheaper = a if a.price.amount < b.price.amount else b
            verdict += f"{cheaper.title} is cheaper. "
        if a.duration_weeks != b.duration_weeks:
            faster = a if a.duration_weeks < b.duration_weeks else b
            verdict += f"{faster.title} is shorter."
    text = "Comparison:\n" + "\n".join(rows) + ("\n" + verdict.strip() if verdict else "")
    return Answer(text=text, intent="compare", citations=tuple(citations))


def search_answer(
    catalogue: Catalogue,
    hits: Sequence[Hit],
    *,
    degraded: bool,
    constraints: Sequence[str] = (),
    relaxed: bool = False,
    matched: bool = True,
    corrections: Sequence[tuple[str, str]] = (),
) -> Answer:
    """The best matches, each cited, with a quick reply to learn more.

    ``constraints`` are the limits the search applied, in words ("online", "at
    most 100 EUR"); ``relaxed`` means none met them and ``hits`` ignore them;
    ``matched`` False means nothing in the catalogue is about the topic and
    ``hits`` are only the nearest entries; ``corrections`` are the words the search
    read as others (``(typed, read)``), said so the learner can tell.
    """
    limits = ", ".join(constraints)
    if not hits:
        return Answer(
            text="I found nothing in the catalogue for that. Try other words, or ask for help.",
            intent="search",
        )
    if not matched:
        lines = [
            "I found nothing in the catalogue about that. The nearest entries, "
            "which may not be what you are after:"
        ]
    elif relaxed:
        lines = [
            f"Nothing in the catalogue matches that and is {limits}. "
            "The closest matches without that limit:"
        ]
    elif limits:
        lines = [f"Here is what the catalogue has ({limits}):"]
    else:
        lines = ["Here is what the catalogue has:"]
    for number, hit in enumerate(hits, start=1):
        credential = catalogue.credentials.get(hit.id)
        extra = ""
        if credential is not None:
            extra = (
                f" ({money(credential.price.amount, credential.price.currency)}, "
                f"{_weeks(credential.duration_weeks)}, {credential.participation.mode})"
            )
        lines.append(f"{number}. {hit.title}{extra}")
    if corrections:
        read = ", ".join(f'"{typed}" as "{meant}"' for typed, meant in corrections[:3])
        lines.append(f"(I read {read}.)")
    if degraded:
        lines.append("(Search ran in a reduced mode; results may be incomplete.)")
    return Answer(
        text="\n".join(lines),
        intent="search",
        citations=tuple(cite(catalogue, h.id) for h in hits),
        actions=tuple(
            Action(label=h.title[:60], payload=f"info:overview:{h.id}") for h in hits[:5]
        ),
    )
