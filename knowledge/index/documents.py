"""Catalogue entries as index documents: searchable text plus filter metadata.

Each document has two texts: ``text`` (everything, for the lexical ranker:
prices, hours, recognition sentences are words people search for) and
``embed_text`` (what the entry is about, for the embedding model: title,
description, outcomes, and each skill's name with its meaning, so a paraphrase
of what a skill is finds the credentials that teach it). Credentials and roles
also carry the ids of the skills they teach or need, for the ranker's skill lift.

Pure: a ``Catalogue`` in, ``IndexDocument`` values out. Each document carries a
content hash over its text and metadata, so incremental indexing can embed
only what changed. ``DOCUMENT_FORMAT`` is part of every hash; bump it when the
way text is built changes and every document is re-embedded.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from knowledge.schema import (
    Catalogue,
    Credential,
    Provider,
    Qualification,
    Recognition,
    Role,
    Skill,
)

#: Version of the text and metadata layout below.
DOCUMENT_FORMAT = 2

Kind = Literal["credential", "qualification", "role", "provider", "skill", "recognition"]
KINDS: tuple[Kind, ...] = (
    "credential",
    "qualification",
    "role",
    "provider",
    "skill",
    "recognition",
)

#: Metadata values a vector store can filter on (no None: absent keys mean "unknown").
MetaValue = str | int | float | bool | list[str]


@dataclass(frozen=True)
class IndexDocument:
    """One searchable entry."""

    id: str
    kind: Kind
    title: str
    text: str
    metadata: Mapping[str, MetaValue]
    aliases: tuple[str, ...] = ()
    content_hash: str = field(default="", compare=False)
    #: What the embedder reads when it differs from ``text``: what the entry is
    #: about (outcomes, skills and what they mean), without the prices, hours and
    #: recognition sentences that would dilute the vector and push content past
    #: the model's input length.
    dense_text: str = ""
    #: Ids of the skills the entry skills (credentials) or needs (roles, essential
    #: ones): a skill that matches a query well lifts the entries built on it.
    skills: tuple[str, ...] = ()

    @property
    def embed_text(self) -> str:
        """The text the embedding model encodes."""
        return self.dense_text or self.text

    @property
    def type(self) -> str:
        """The entry's type (credential type, recognition kind, ...) or its kind."""
        value = self.metadata.get("type")
        return value if isinstance(value, str) else self.kind


def catalogue_documents(catalogue: Catalogue) -> list[IndexDocument]:
    """Every indexable entry of the catalogue, in a stable order."""
    builder = _Builder(catalogue)
    docs: list[IndexDocument] = []
    docs += [builder.credential(c) for c in catalogue.credentials.values()]
    docs += [builder.qualification(q) for q in catalogue.qualifications.values()]
    docs += [builder.role(r) for r in catalogue.roles.values()]
    docs += [builder.provider(p) for p in catalogue.providers.values()]
    docs += [builder.skill(s) for s in catalogue.skills.values()]
    docs += [builder.recognition(r) for r in catalogue.recognitions.values()]
    return docs


def fingerprint(docs: Iterable[IndexDocument]) -> str:
    """One hash over every document's id and content hash."""
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.id):
        digest.update(f"{doc.id}\0{doc.content_hash}\n".encode())
    return digest.hexdigest()


def _finish(
    entry_id: str,
    kind: Kind,
    title: str,
    parts: Iterable[str],
    metadata: dict[str, MetaValue | None],
    aliases: tuple[str, ...] = (),
    dense_parts: Iterable[str] = (),
    skills: tuple[str, ...] = (),
) -> IndexDocument:
    text = _lines(parts)
    dense = _lines(dense_parts)
    clean: dict[str, MetaValue] = {"kind": kind, "title": title, **_present(metadata)}
    # repr of plain str/number/list values is stable; cheaper than JSON at 100k documents.
    payload = "\x1e".join(
        (
            str(DOCUMENT_FORMAT),
            text,
            dense,
            repr(aliases),
            repr(skills),
            repr(sorted(clean.items())),
        )
    )
    content_hash = hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()
    return IndexDocument(entry_id, kind, title, text, clean, aliases, content_hash, dense, skills)


def _present(metadata: Mapping[str, MetaValue | None]) -> dict[str, MetaValue]:
    """The fields that have a value: stores cannot hold None or empty lists, and an
    absent field means unknown."""
    return {k: v for k, v in metadata.items() if v is not None and v != [] and v != ""}


def credential_metadata(c: Credential) -> dict[str, MetaValue]:
    """A credential's own filterable fields, as its index document records them.

    Everything but ``countries``, which come from recognition records: checking a
    credential against ``SearchFilters`` with these fails a country filter.
    """
    return _present(
        {
            "kind": "credential",
            "type": c.type,
            "domain": c.domain,
            "eqf_level": c.eqf_level,
            "price_amount": float(c.price.amount),
            "price_currency": c.price.currency,
            "hours": float(c.workload.hours),
            "mode": c.participation.mode,
            "pacing": c.participation.pacing,
            "provider": c.provider,
            "languages": list(c.languages),
        }
    )


def _lines(parts: Iterable[str]) -> str:
    return "\n".join(stripped for part in parts if part and (stripped := part.strip()))


def _join(label: str, items: Iterable[str]) -> str:
    values = [item for item in items if item]
    return f"{label}: {'; '.join(values)}." if values else ""


_MODE_WORDS = {"online": "online", "onsite": "on-site, in person", "blended": "blended"}


class _Builder:
    """Builds documents, resolving ids to names through the catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._cat = catalogue
        # One lookup table instead of ``title_of``'s walk through every table.
        names: dict[str, str] = {}
        for key, entry in catalogue.skills.items():
            names[key] = entry.name
        for key, provider in catalogue.providers.items():
            names[key] = provider.name
        for table in (catalogue.roles, catalogue.qualifications, catalogue.credentials):
            for key, titled in table.items():
                names[key] = titled.title
        self._names = names

    def _name(self, entry_id: str | None) -> str:
        if not entry_id:
            return ""
        return self._names.get(entry_id) or self._cat.title_of(entry_id) or entry_id

    def _skill_names(self, ids: Iterable[str]) -> list[str]:
        return [self._name(i) for i in ids]

    def _skill_meanings(self, ids: Iterable[str]) -> list[str]:
        """Each skill's name with its description: the words a learner may use for it."""
        out: list[str] = []
        for key in ids:
            skill = self._cat.skills.get(key)
            if skill is None:
                out.append(self._name(key))
            else:
                out.append(f"{skill.name} ({skill.description.strip().rstrip('.')})")
        return out

    def _recognitions(self, subject: str) -> tuple[list[str], list[str]]:
        """Sentences about the records covering ``subject`` and their countries."""
        lines: list[str] = []
        countries: set[str] = set()
        for record in self._cat.recognitions_by_subject.get(subject, ()):
            if record.outcome != "refused":
                countries.update(record.countries)
            lines.append(f"{record.kind.replace('-', ' ')} by {record.granted_by}: {record.detail}")
        return lines, sorted(countries)

    def credential(self, c: Credential) -> IndexDocument:
        provider = self._cat.providers.get(c.provider)
        recognition, countries = self._recognitions(c.id)
        if provider is not None:
            countries = sorted({*countries, provider.country})
        stacks = [self._name(q) for q in self._cat.stacks_into.get(c.id, ())]
        about = [
            c.title,
            _join("Also known as", c.aliases),
            f"{_words(c.type)} by {self._name(c.provider)}.",
            c.description,
            _join("Learning outcomes", c.learning_outcomes),
        ]
        domain = f"Domain: {c.domain.replace('-', ' ')}."
        parts = [
            *about,
            _join("Skills", self._skill_names(s.skill for s in c.skills)),
            domain,
            f"EQF level {c.eqf_level}." if c.eqf_level else "",
            f"{c.workload.hours:g} hours, {c.duration_weeks:g} weeks, "
            f"{_MODE_WORDS[c.participation.mode]}, {c.participation.pacing}.",
            f"Costs {c.price.amount:g} {c.price.currency}.",
            _join("Stacks into", stacks),
            _join("Recognition", recognition),
        ]
        dense = [*about, _join("Skills", self._skill_meanings(s.skill for s in c.skills)), domain]
        meta: dict[str, MetaValue | None] = {**credential_metadata(c), "countries": countries}
        skills = tuple(s.skill for s in c.skills)
        return _finish(c.id, "credential", c.title, parts, meta, c.aliases, dense, skills)

    def qualification(self, q: Qualification) -> IndexDocument:
        provider = self._cat.providers.get(q.provider)
        recognition, countries = self._recognitions(q.id)
        if provider is not None:
            countries = sorted({*countries, provider.country})
        members = list(q.rules.required)
        for pool in q.rules.elective_pools:
            members.extend(pool.credentials)
        parts = [
            q.title,
            _join("Also known as", q.aliases),
            f"{_words(q.type)} by {self._name(q.provider)}, earned by stacking credentials.",
            q.description,
            _join("Built from", [self._name(m) for m in members]),
            f"Domain: {q.domain.replace('-', ' ')}.",
            f"EQF level {q.eqf_level}." if q.eqf_level else "",
            _join("Recognition", recognition),
        ]
        meta: dict[str, MetaValue | None] = {
            "type": q.type,
            "domain": q.domain,
            "eqf_level": q.eqf_level,
            "price_amount": float(q.award_fee.amount) if q.award_fee else None,
            "price_currency": q.award_fee.currency if q.award_fee else None,
            "provider": q.provider,
            "countries": countries,
        }
        return _finish(q.id, "qualification", q.title, parts, meta, q.aliases)

    def role(self, r: Role) -> IndexDocument:
        essential = [self._name(s.skill) for s in r.required_skills if s.essential]
        other = [self._name(s.skill) for s in r.required_skills if not s.essential]
        about = [r.title, _join("Also known as", r.aliases), "Job role.", r.description]
        domain = f"Domain: {r.domain.replace('-', ' ')}."
        parts = [
            *about,
            _join("Essential skills", essential),
            _join("Other skills", other),
            _join("Employers ask for", [self._name(c) for c in r.asked_credentials]),
            domain,
        ]
        dense = [
            *about,
            _join(
                "Essential skills",
                self._skill_meanings(s.skill for s in r.required_skills if s.essential),
            ),
            _join("Other skills", other),
            domain,
        ]
        meta: dict[str, MetaValue | None] = {"type": "role", "domain": r.domain}
        needs = tuple(s.skill for s in r.required_skills if s.essential)
        return _finish(r.id, "role", r.title, parts, meta, r.aliases, dense, needs)

    def provider(self, p: Provider) -> IndexDocument:
        recognition, countries = self._recognitions(p.id)
        parts = [
            p.name,
            f"{p.kind.replace('-', ' ').capitalize()} in {p.country}; credential provider.",
            p.description,
            _join("Recognition", recognition),
        ]
        meta: dict[str, MetaValue | None] = {
            "type": p.kind,
            "provider": p.id,
            "countries": sorted({*countries, p.country}),
        }
        return _finish(p.id, "provider", p.name, parts, meta)

    def skill(self, s: Skill) -> IndexDocument:
        parts = [
            s.name,
            "Skill.",
            s.description,
            _join("Levels", s.levels),
            _join("Builds on", self._skill_names(s.depends_on)),
            f"Domain: {s.domain.replace('-', ' ')}.",
        ]
        meta: dict[str, MetaValue | None] = {"type": "skill", "domain": s.domain}
        return _finish(s.id, "skill", s.name, parts, meta)

    def recognition(self, r: Recognition) -> IndexDocument:
        subject_id = r.credential or r.qualification or r.provider
        subject = self._name(subject_id)
        title = f"{_words(r.kind).capitalize()} of {subject} by {r.granted_by}"
        towards = self._name(r.towards_qualification)
        parts = [
            title,
            f"Outcome: {r.outcome}.",
            r.detail,
            r.conditions,
            f"Institution: {r.institution}." if r.institution else "",
            f"Towards {towards}." if towards else "",
            f"{r.credits:g} credits." if r.credits is not None else "",
            f"Framework {r.framework or ''} level {r.framework_level}."
            if r.framework_level
            else "",
            _join("Countries", r.countries),
        ]
        domain, provider = self._subject_facets(r)
        meta: dict[str, MetaValue | None] = {
            "type": r.kind,
            "outcome": r.outcome,
            "subject": subject_id,
            "domain": domain,
            "provider": provider,
            "eqf_level": r.framework_level,
            "countries": sorted(set(r.countries)),
        }
        return _finish(r.id, "recognition", title, parts, meta)

    def _subject_facets(self, r: Recognition) -> tuple[str | None, str | None]:
        if r.credential and r.credential in self._cat.credentials:
            c = self._cat.credentials[r.credential]
            return c.domain, c.provider
        if r.qualification and r.qualification in self._cat.qualifications:
            q = self._cat.qualifications[r.qualification]
            return q.domain, q.provider
        return None, r.provider


@functools.lru_cache(maxsize=256)
def _words(camel: str) -> str:
    """``MicroCredential`` -> ``micro credential``; ``credit-transfer`` -> ``credit transfer``."""
    out: list[str] = []
    for char in camel.replace("-", " "):
        if char.isupper() and out and out[-1] != " ":
            out.append(" ")
        out.append(char.lower())
    return "".join(out)
