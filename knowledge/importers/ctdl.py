"""Import CTDL JSON-LD (Credential Engine Registry) into a catalogue draft.

Mapping (CTDL term -> catalogue field):

* credential classes (``Badge``, ``DigitalBadge``, ``OpenBadge``,
  ``MicroCredential``, ``Certificate``, ``Certification``, ``License``,
  ``Diploma``, the degree classes, ...) and learning opportunities
  (``Course``, ``LearningOpportunityProfile``, ``LearningProgram``,
  ``AssessmentProfile``) -> credentials (learning opportunities as ``Course``);
* a node with ``hasPart`` parts (or parts naming it in ``isPartOf``), and a
  degree, diploma, certificate or program whose ``requires`` condition
  profiles name target credentials / learning opportunities / assessments
  -> a qualification: parts and targets are required; a condition with a
  ``creditValue`` becomes an elective pool with ``min_credits``. A target that
  is itself stacked is flattened into the parent's rules (with a warning);
* ``requires`` on other credentials -> prerequisites;
* ``isPreparationFor`` / ``isRecommendedFor`` / ``isAdvancedStandingFor`` ->
  not imported (the schema has only hard prerequisites), reported;
* ``Pathway`` with ``hasDestinationComponent`` -> a qualification whose rules
  come from the destination's ``ComponentCondition``s: ``requiredNumber`` of
  ``targetComponent``s becomes a pool with ``min_count`` (all of them: required);
  conditions on group components (``BasicComponent``) are flattened; "N of M
  groups" cannot be expressed and skips the qualification with a warning;
  leaf components (``CredentialComponent``, ``CourseComponent``,
  ``AssessmentComponent``, following ``proxyFor``) become credentials;
* ``creditValue`` (``ValueProfile``: value, ``creditUnitType``) -> workload
  credits (``DegreeCredit``/``SemesterHour`` -> US-credit, ``ECTS``,
  ``ContinuingEducationUnit`` -> CEU, ``ClockHour``/``ContactHour`` -> hours);
* ``estimatedDuration`` (``DurationProfile`` ``exactDuration`` or
  ``maximumDuration``, ISO 8601) -> hours (``PT40H``) or duration_weeks
  (``P6W``, ``P3M``); ``estimatedCost`` (``CostProfile`` price, currency) ->
  price (several profiles in one currency are added up);
* ``ownedBy`` / ``offeredBy`` organisations -> providers (country from the
  address, kind from ``agentType`` when it says postsecondary);
* ``accreditedBy`` / ``approvedBy`` / ``recognizedBy`` / ``regulatedBy`` (and
  the inverse ``accredits`` ... on organisations) -> recognition records
  (accreditation, regulatory, endorsement, regulatory);
* ``TransferValueProfile`` -> credit-transfer records for each
  ``transferValueFrom`` credential: credits from ``transferValue``, validity
  from ``startDate`` / ``endDate``, ``towards_qualification`` from
  ``transferValueFor`` when that is imported.

Not expressible, and reported: competencies (the schema's skills need
proficiency level descriptors), condition texts, alternative conditions,
pathway constraints, occupations. Values the schema needs but CTDL lacks
follow the defaults policy of ``knowledge.importers.common``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from knowledge.importers.common import (
    MAX_SOURCE_BYTES,
    Draft,
    ImportSourceError,
    drop_empty,
    http_url,
    iso_duration,
    not_in_source,
    slug,
)
from knowledge.importers.ctdl_graph import (
    Graph,
    Node,
    number,
    target_node_names,
    text,
    types,
    values,
)

_CREDENTIAL_CLASSES: Mapping[str, str] = {
    "Badge": "Badge",
    "DigitalBadge": "Badge",
    "OpenBadge": "Badge",
    "MicroCredential": "MicroCredential",
    "Certificate": "Certificate",
    "AcademicCertificate": "Certificate",
    "ApprenticeshipCertificate": "Certificate",
    "JourneymanCertificate": "Certificate",
    "MasterCertificate": "Certificate",
    "Certification": "Certification",
    "QualityAssuranceCredential": "Certification",
    "CertificateOfCompletion": "CertificateOfCompletion",
    "CertificateOfParticipation": "CertificateOfCompletion",
    "License": "License",
    "Diploma": "Diploma",
    "SecondarySchoolDiploma": "Diploma",
    "GeneralEducationDevelopment": "Diploma",
    "Degree": "Degree",
    "DoctoralDegree": "Degree",
    "ResearchDoctorate": "Degree",
    "ProfessionalDoctorate": "Degree",
    "AssociateDegree": "AssociateDegree",
    "BachelorDegree": "BachelorDegree",
    "MasterDegree": "MasterDegree",
}
_LEARNING_CLASSES = frozenset(
    {"Course", "LearningOpportunityProfile", "LearningProgram", "AssessmentProfile", "Program"}
)
#: Types whose ``requires`` means "stacked from" rather than "prerequisite".
_STACKED_TYPES = frozenset(
    {"Certificate", "Diploma", "Degree", "AssociateDegree", "BachelorDegree", "MasterDegree"}
)
_LEAF_COMPONENTS = frozenset({"CredentialComponent", "CourseComponent", "AssessmentComponent"})
_GROUP_COMPONENTS = frozenset({"BasicComponent", "SelectionComponent", "MultiComponent"})
_ORGANISATIONS = frozenset({"CredentialOrganization", "QACredentialOrganization", "Organization"})
_RECOGNITION_TERMS: Mapping[str, str] = {
    "accreditedBy": "accreditation",
    "approvedBy": "regulatory",
    "recognizedBy": "endorsement",
    "regulatedBy": "regulatory",
}
_INVERSE_RECOGNITION: Mapping[str, str] = {
    "accredits": "accreditation",
    "approves": "regulatory",
    "recognizes": "endorsement",
    "regulates": "regulatory",
}
_CREDIT_UNITS: Mapping[str, str] = {
    "DegreeCredit": "US-credit",
    "SemesterHour": "US-credit",
    "SemesterHours": "US-credit",
    "ECTS": "ECTS",
    "EuropeanCreditTransferSystem": "ECTS",
    "ContinuingEducationUnit": "CEU",
}
_HOUR_UNITS = frozenset({"ClockHour", "ContactHour"})
_DELIVERY: Mapping[str, str] = {
    "OnlineOnly": "online",
    "InPerson": "onsite",
    "BlendedDelivery": "blended",
}
_COUNTRIES: Mapping[str, str] = {
    "united states": "US",
    "usa": "US",
    "united states of america": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "scotland": "GB",
    "canada": "CA",
    "australia": "AU",
    "ireland": "IE",
    "netherlands": "NL",
    "germany": "DE",
    "france": "FR",
}


def read_ctdl(path: Path) -> Graph:
    """Parse a CTDL JSON-LD file; ImportSourceError when it is not JSON."""
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportSourceError(f"{path}: larger than {MAX_SOURCE_BYTES:,} bytes")
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportSourceError(f"{path}: not a readable JSON-LD file ({exc})") from exc
    graph = Graph(data)
    if not graph.roots:
        raise ImportSourceError(f"{path}: no JSON-LD nodes found")
    return graph


def import_ctdl(path: Path, defaults: Mapping[str, str]) -> Draft:
    """Map every credential, qualification, provider and recognition the file describes."""
    return _CtdlImport(read_ctdl(path), defaults).run()


#: (target nodes, minimum credits or None, credit unit or None)
_Requirement = tuple[list[Node], float | None, str | None]
_UNKNOWN_UNIT = "?"


class _CtdlImport:
    def __init__(self, graph: Graph, defaults: Mapping[str, str]) -> None:
        self.graph = graph
        self.defaults = defaults
        self.draft = Draft()
        self.ids: dict[str, str] = {}  # node @id (or id() of an embedded node) -> entry id
        self.providers: dict[str, str] = {}
        self.parts: dict[str, list[Node]] = {}
        self.ignored: dict[str, int] = {}

    # -- driver ---------------------------------------------------------------
    def run(self) -> Draft:
        nodes = list(self.graph.all_nodes())
        self._collect_inverse_parts(nodes)
        for node in nodes:
            kinds = set(types(node))
            if "Pathway" in kinds:
                self._pathway(node)
            elif kinds & (set(_CREDENTIAL_CLASSES) | _LEARNING_CLASSES) or self._degree_like(kinds):
                self._entry(node)
            elif "TransferValueProfile" in kinds:
                continue  # after the credentials it points at
            elif kinds & {"Competency", "Occupation", "Job", "TransferAgreement", "Constraint"}:
                for kind in kinds:
                    self.ignored[kind] = self.ignored.get(kind, 0) + 1
        for node in nodes:
            if "TransferValueProfile" in types(node):
                self._transfer_value(node)
        for node in nodes:
            if set(types(node)) & _ORGANISATIONS:
                self._inverse_recognitions(node)
        for kind, count in sorted(self.ignored.items()):
            self.draft.warn(f"{count} CTDL {kind} node(s) not imported: no catalogue equivalent")
        return self.draft

    def _collect_inverse_parts(self, nodes: list[Node]) -> None:
        for node in nodes:
            for whole in values(node, "isPartOf"):
                target = self.graph.resolve(whole)
                if target is not None and "@id" in target:
                    self.parts.setdefault(target["@id"], []).append(node)

    @staticmethod
    def _degree_like(kinds: set[str]) -> bool:
        return any(kind.endswith("Degree") for kind in kinds)

    # -- entries ----------------------------------------------------------------
    def _key(self, node: Node) -> str:
        return str(node.get("@id") or id(node))

    def _entry(self, node: Node) -> str | None:
        """Entry id of a credential-like node (imported on first sight)."""
        key = self._key(node)
        if key in self.ids:
            return self.ids[key]
        self.ids[key] = entry_id = self.draft.unique_id(self._wanted_id(node))
        requirements = self._requirements(node)
        parts = self._parts(node)
        kind = self._type_of(node)
        stacked = bool(parts) or (
            bool(requirements) and (kind in _STACKED_TYPES or "LearningProgram" in types(node))
        )
        if stacked:
            self._qualification(node, entry_id, parts, requirements)
        else:
            self._credential(node, entry_id, prerequisites=requirements)
        self._recognitions(node, entry_id, "qualification" if stacked else "credential")
        for term in ("isPreparationFor", "isRecommendedFor", "isAdvancedStandingFor"):
            if values(node, term):
                self.draft.warn(
                    f"{entry_id}: {term} not imported (the schema has only hard prerequisites)"
                )
        return entry_id

    def _wanted_id(self, node: Node) -> str:
        ctid = text(node, "ctid")
        if ctid:
            return slug(ctid)
        node_id = node.get("@id")
        if isinstance(node_id, str):
            tail = re.split(r"[/:#]", node_id.rstrip("/"))[-1]
            if tail:
                return slug(tail, prefix="ctdl-")
        return slug(text(node, "name") or "entry", prefix="ctdl-")

    def _proxy(self, component: Node) -> Node | None:
        """The full node a pathway component stands for, when the file has it."""
        for raw in values(component, "proxyFor"):
            proxy = self.graph.resolve(raw)
            if proxy is not None and len(proxy) > 1:
                return proxy
        return None

    def _type_of(self, node: Node) -> str | None:
        for kind in types(node):
            if kind in _CREDENTIAL_CLASSES:
                return _CREDENTIAL_CLASSES[kind]
            if kind.startswith("Bachelor") and kind.endswith("Degree"):
                return "BachelorDegree"
            if kind.startswith("Master") and kind.endswith("Degree"):
                return "MasterDegree"
            if kind.startswith("Associate") and kind.endswith("Degree"):
                return "AssociateDegree"
            if kind.endswith("Degree"):
                return "Degree"
        for kind in types(node):
            if kind == "CredentialComponent":
                for label in target_node_names(node, "credentialType"):
                    if label in _CREDENTIAL_CLASSES:
                        return _CREDENTIAL_CLASSES[label]
                proxy = self._proxy(node)
                return self._type_of(proxy) if proxy is not None else None
        return "Course"

    def _parts(self, node: Node) -> list[Node]:
        parts = [p for p in (self.graph.resolve(v) for v in values(node, "hasPart")) if p]
        parts.extend(self.parts.get(self._key(node), []))
        unique: dict[str, Node] = {}
        for part in parts:
            unique.setdefault(self._key(part), part)
        return list(unique.values())

    def _requirements(self, node: Node) -> list[_Requirement]:
        """(targets, min credits, their unit) per ``requires`` condition that names targets."""
        result: list[_Requirement] = []
        for raw in values(node, "requires"):
            condition = self.graph.resolve(raw)
            if condition is None:
                continue
            if "ConditionProfile" not in types(condition) and set(types(condition)) & (
                set(_CREDENTIAL_CLASSES) | _LEARNING_CLASSES
            ):
                result.append(([condition], None, None))  # requires names a credential itself
                continue
            targets = [
                target
                for term in ("targetCredential", "targetLearningOpportunity", "targetAssessment")
                for target in (self.graph.resolve(v) for v in values(condition, term))
                if target is not None
            ]
            for term in ("condition", "alternativeCondition", "targetCompetency"):
                if values(condition, term):
                    self.draft.warn(
                        f"{text(node, 'name') or node.get('@id')}: requires.{term} not "
                        "imported (not expressible as stacking rules or prerequisites)"
                    )
            if targets:
                credits, unit, _ = self._credit_value(condition)
                if values(condition, "creditValue") and credits is None:
                    unit = _UNKNOWN_UNIT  # a credit minimum we cannot state: see _qualification
                result.append((targets, credits, unit))
        return result

    def _qualification(
        self,
        node: Node,
        entry_id: str,
        parts: list[Node],
        requirements: list[_Requirement],
    ) -> None:
        required: list[str] = []
        pools: list[dict[str, Any]] = []
        units = {unit for _, credits, unit in requirements if credits or unit == _UNKNOWN_UNIT}
        if _UNKNOWN_UNIT in units or len(units) > 1:
            self.draft.skip(
                f"qualification {entry_id!r}",
                "a requirement's credit minimum has no known unit (or mixes units), so the "
                "rules cannot be stated without guessing",
            )
            return
        for part in parts:
            required.extend(self._member_ids(part, entry_id))
        for targets, min_credits, _ in requirements:
            members = [cid for target in targets for cid in self._member_ids(target, entry_id)]
            if min_credits:
                pools.append(
                    {
                        "id": f"pool-{len(pools) + 1}",
                        "credentials": members,
                        "min_credits": min_credits,
                    }
                )
            else:
                required.extend(members)
        self._add_qualification(
            node, entry_id, required, pools, credit_unit=next(iter(units), None)
        )

    def _member_ids(self, target: Node, parent: str) -> list[str]:
        """Credential ids a requirement on ``target`` stands for (flattening stacked ones)."""
        member = self._entry(target)
        if member is None:
            return []
        stacked = next((q for q in self.draft.entries["qualifications"] if q["id"] == member), None)
        if stacked is None:
            return [member]
        self.draft.warn(
            f"{parent}: requirement {member!r} is itself stacked; its required credentials "
            "were inlined (the schema stacks credentials, not qualifications)"
        )
        return list(stacked["rules"].get("required", []))

    def _add_qualification(
        self,
        node: Node,
        entry_id: str,
        required: list[str],
        pools: list[dict[str, Any]],
        *,
        credit_unit: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "id": entry_id,
            "title": text(node, "name"),
            "description": text(node, "description") or "",
            "rules": {"required": list(dict.fromkeys(required)), "elective_pools": pools},
            "credit_unit": credit_unit,
            "url": text(node, "subjectWebpage") or text(node, "sourceData"),
        }
        missing: list[str] = []
        self.draft.fill(entry, ("type",), self._type_of(node), "type", self.defaults, missing)
        self.draft.fill(entry, ("provider",), self._provider(node), "provider", {}, missing)
        self.draft.fill(entry, ("domain",), None, "domain", self.defaults, missing)
        if missing:
            self.draft.skip(f"qualification {entry_id!r}", not_in_source(missing))
            return
        self.draft.add("qualifications", drop_empty(entry))

    def _credential(
        self,
        node: Node,
        entry_id: str,
        *,
        prerequisites: tuple[_Requirement, ...] | list[_Requirement] = (),
        component: Node | None = None,
    ) -> None:
        source = component or node
        credits, unit, hours_from_credits = self._credit_value(node)
        if credits is None and component is not None:
            credits, unit, hours_from_credits = self._credit_value(component)
        hours, weeks = self._duration(node)
        hours = hours or hours_from_credits
        entry: dict[str, Any] = {
            "id": entry_id,
            "title": text(node, "name") or text(source, "name"),
            "description": (text(node, "description") or text(source, "description") or "")[:10000],
            "learning_outcomes": target_node_names(node, "teaches"),
            "url": text(node, "subjectWebpage") or text(source, "sourceData"),
            "aliases": [a for a in [text(node, "alternateName")] if a],
            "languages": _languages(node),
        }
        missing: list[str] = []
        fill = self.draft.fill
        fill(entry, ("type",), self._type_of(source), "type", self.defaults, missing)
        fill(entry, ("provider",), self._provider(node), "provider", {}, missing)
        fill(entry, ("workload", "hours"), hours, "hours", self.defaults, missing)
        if credits is not None and unit is not None:
            entry["workload"]["credits"] = credits
            entry["workload"]["credit_unit"] = unit
        price, currency = self._price(node)
        if price is None:
            currency = self.defaults.get("currency", "EUR")  # documented: a defaulted price
        elif currency is None:
            fill(entry, ("price", "currency"), None, "currency", self.defaults, missing)
            currency = entry.get("price", {}).get("currency")
        fill(entry, ("price", "amount"), price, "price", self.defaults, missing)
        if "price" in entry and currency:
            entry["price"]["currency"] = currency
        fill(entry, ("duration_weeks",), weeks, "weeks", self.defaults, missing)
        fill(entry, ("participation", "mode"), self._mode(node), "mode", self.defaults, missing)
        fill(entry, ("domain",), None, "domain", self.defaults, missing)
        groups = []
        for targets, _, _ in prerequisites:
            ids = [cid for target in targets if (cid := self._entry(target))]
            if ids:
                groups.append({"credentials": ids})
        if groups:
            entry["prerequisites"] = groups
        if missing:
            self.draft.skip(f"credential {entry_id!r}", not_in_source(missing))
            return
        self.draft.add("credentials", drop_empty(entry))

    # -- values -------------------------------------------------------------------
    def _credit_value(self, node: Node) -> tuple[float | None, str | None, float | None]:
        """(credits, unit, hours when the unit is clock hours)."""
        for raw in values(node, "creditValue"):
            profile = self.graph.resolve(raw) or (raw if isinstance(raw, dict) else None)
            if profile is None:
                continue
            amount = (
                number(profile, "value")
                or number(profile, "maxValue")
                or number(profile, "minValue")
            )
            if amount is None:
                continue
            for label in target_node_names(profile, "creditUnitType"):
                if label in _HOUR_UNITS:
                    return None, None, amount
                if label in _CREDIT_UNITS:
                    return amount, _CREDIT_UNITS[label], None
            self.draft.warn(
                f"{text(node, 'name')}: credit value {amount:g} in an unknown unit "
                f"({', '.join(target_node_names(profile, 'creditUnitType')) or 'none'}) "
                "not imported"
            )
        return None, None, None

    def _duration(self, node: Node) -> tuple[float | None, float | None]:
        """(hours, weeks) from ``estimatedDuration``."""
        for raw in values(node, "estimatedDuration"):
            profile = self.graph.resolve(raw) or (raw if isinstance(raw, dict) else None)
            if profile is None:
                continue
            for term in ("exactDuration", "maximumDuration", "minimumDuration"):
                duration = text(profile, term)
                if duration:
                    return iso_duration(duration, allow_seconds=True)
        return None, None

    def _price(self, node: Node) -> tuple[float | None, str | None]:
        total: float | None = None
        currency: str | None = None
        for raw in values(node, "estimatedCost"):
            profile = self.graph.resolve(raw) or (raw if isinstance(raw, dict) else None)
            if profile is None:
                continue
            amount = number(profile, "price")
            this_currency = text(profile, "currency") or None
            if amount is None:
                continue
            if currency is not None and this_currency != currency:
                self.draft.warn(
                    f"{text(node, 'name')}: costs in several currencies; kept {currency}"
                )
                continue
            currency = this_currency
            total = (total or 0.0) + amount
        return total, currency

    def _mode(self, node: Node) -> str | None:
        for label in target_node_names(node, "deliveryType"):
            if label in _DELIVERY:
                return _DELIVERY[label]
        return None

    # -- providers ------------------------------------------------------------------
    def _provider(self, node: Node) -> str | None:
        for term in ("ownedBy", "offeredBy"):
            for raw in values(node, term):
                organisation = self.graph.resolve(raw)
                if organisation is not None and text(organisation, "name"):
                    return self._provider_entry(organisation)
        name = self.defaults.get("provider")
        if name:
            self.draft.defaults_used["provider"] += 1
            return self._provider_entry({"@id": f"default:{name}", "name": name})
        return None

    def _provider_entry(self, organisation: Node) -> str | None:
        key = self._key(organisation)
        if key in self.providers:
            return self.providers[key]
        provider_id = self.draft.unique_id(self._wanted_id(organisation))
        self.providers[key] = provider_id
        entry: dict[str, Any] = {
            "id": provider_id,
            "name": text(organisation, "name"),
            "description": (text(organisation, "description") or "")[:5000],
            "url": text(organisation, "subjectWebpage"),
        }
        missing: list[str] = []
        fill = self.draft.fill
        fill(
            entry,
            ("kind",),
            self._provider_kind(organisation),
            "provider_kind",
            self.defaults,
            missing,
        )
        fill(entry, ("country",), self._country(organisation), "country", self.defaults, missing)
        if missing:
            self.draft.skip(f"provider {provider_id!r}", not_in_source(missing))
        else:
            self.draft.add("providers", drop_empty(entry))
        self._recognitions(organisation, provider_id, "provider")
        return provider_id

    def _provider_kind(self, organisation: Node) -> str | None:
        labels = target_node_names(organisation, "agentType")
        if any("Postsecondary" in label or "HigherEducation" in label for label in labels):
            return "university"
        return None

    def _country(self, organisation: Node) -> str | None:
        for raw in values(organisation, "address"):
            address = self.graph.resolve(raw) or (raw if isinstance(raw, dict) else None)
            country = text(address, "addressCountry") if address else None
            if country:
                if re.fullmatch(r"[A-Z]{2}", country):
                    return country
                return _COUNTRIES.get(country.lower())
        return None

    # -- recognition ------------------------------------------------------------------
    def _recognitions(self, node: Node, subject_id: str, subject_field: str) -> None:
        for term, kind in _RECOGNITION_TERMS.items():
            for raw in values(node, term):
                granter = self.graph.resolve(raw)
                self._add_recognition(node, subject_id, subject_field, granter, kind, term)

    def _inverse_recognitions(self, organisation: Node) -> None:
        for term, kind in _INVERSE_RECOGNITION.items():
            for raw in values(organisation, term):
                subject = self.graph.resolve(raw)
                if subject is None:
                    continue
                if set(types(subject)) & _ORGANISATIONS:
                    subject_id = self._provider_entry(subject)
                    field = "provider"
                else:
                    subject_id = self._entry(subject)
                    field = "credential"
                    if any(q["id"] == subject_id for q in self.draft.entries["qualifications"]):
                        field = "qualification"
                if subject_id:
                    self._add_recognition(subject, subject_id, field, organisation, kind, term)

    def _add_recognition(
        self,
        subject: Node,
        subject_id: str,
        subject_field: str,
        granter: Node | None,
        kind: str,
        term: str,
    ) -> None:
        granter_name = text(granter, "name") if granter else None
        if not granter_name:
            self.draft.skip(f"{term} of {subject_id!r}", "the granting organisation has no name")
            return
        source = (
            http_url(text(subject, "subjectWebpage"))
            or http_url(subject.get("@id"))
            or http_url(text(granter, "subjectWebpage") if granter else None)
        )
        if not source:
            self.draft.skip(f"{term} of {subject_id!r}", "no source URL for the record")
            return
        record = {
            "id": self.draft.unique_id(slug(f"rec-{subject_id}-{kind}")),
            "kind": kind,
            "granted_by": granter_name,
            subject_field: subject_id,
            "detail": f"{granter_name}: {term} {text(subject, 'name') or subject_id} (CTDL)",
            "source_url": source,
        }
        self.draft.add("recognitions", record)

    def _transfer_value(self, profile: Node) -> None:
        name = text(profile, "name") or str(profile.get("@id"))
        owners = [o for o in (self.graph.resolve(v) for v in values(profile, "ownedBy")) if o]
        granter = next((text(o, "name") for o in owners if text(o, "name")), None)
        credits: float | None = None
        units: list[str] = []
        for raw in values(profile, "transferValue"):
            value = raw if isinstance(raw, dict) else self.graph.resolve(raw)
            if value is None:
                continue
            amount = number(value, "value") or number(value, "maxValue")
            if amount is not None:
                credits = (credits or 0.0) + amount
                units.extend(target_node_names(value, "creditUnitType"))
        towards = None
        institution = None
        for raw in values(profile, "transferValueFor"):
            target = self.graph.resolve(raw)
            if target is None or len(target) <= 1:
                continue
            target_id = self._entry(target)
            if any(q["id"] == target_id for q in self.draft.entries["qualifications"]):
                towards = target_id
            receiving = [o for o in (self.graph.resolve(v) for v in values(target, "ownedBy")) if o]
            institution = next((text(o, "name") for o in receiving if text(o, "name")), None)
        sources = [
            s for s in (self.graph.resolve(v) for v in values(profile, "transferValueFrom")) if s
        ]
        if not sources:
            self.draft.skip(f"transfer value profile {name!r}", "no transferValueFrom to recognise")
            return
        if not granter:
            self.draft.skip(f"transfer value profile {name!r}", "its owner is not named")
            return
        url = http_url(text(profile, "subjectWebpage")) or http_url(profile.get("@id"))
        for source in sources:
            subject_id = self._entry(source)
            if subject_id is None or not url:
                self.draft.skip(f"transfer value profile {name!r}", "no source URL")
                continue
            record: dict[str, Any] = {
                "id": self.draft.unique_id(slug(f"rec-{subject_id}-transfer")),
                "kind": "credit-transfer",
                "granted_by": granter,
                "credential": subject_id,
                "towards_qualification": towards,
                "institution": institution,
                "credits": credits,
                "detail": (
                    f"{granter} recommends "
                    + (
                        f"{credits:g} {', '.join(dict.fromkeys(units)) or 'credits'}"
                        if credits
                        else "credit"
                    )
                    + f" for {text(source, 'name') or subject_id}"
                ),
                "conditions": text(profile, "description") or "",
                "valid_from": _date(text(profile, "startDate")),
                "valid_until": _date(text(profile, "endDate")),
                "source_url": url,
            }
            self.draft.add("recognitions", drop_empty(record))

    # -- pathways -----------------------------------------------------------------
    def _pathway(self, pathway: Node) -> None:
        name = text(pathway, "name") or "pathway"
        for raw in values(pathway, "hasDestinationComponent"):
            destination = self.graph.resolve(raw)
            if destination is None or len(destination) <= 1:
                self.draft.skip(f"pathway {name!r}", "its destination component is not in the file")
                continue
            key = self._key(destination)
            if key in self.ids:
                continue
            self.ids[key] = entry_id = self.draft.unique_id(self._wanted_id(destination))
            try:
                clauses = self._clauses(destination, depth=0)
            except _Unexpressible as exc:
                self.draft.skip(f"qualification {entry_id!r} (pathway {name!r})", str(exc))
                self._all_leaves(destination, depth=0)
                continue
            required: list[str] = []
            pools: list[dict[str, Any]] = []
            for members, count in clauses:
                ids = [cid for member in members if (cid := self._leaf(member))]
                if count is None or count >= len(ids):
                    required.extend(ids)
                else:
                    pools.append(
                        {"id": f"pool-{len(pools) + 1}", "credentials": ids, "min_count": count}
                    )
            if values(destination, "hasConstraint") or values(pathway, "hasConstraint"):
                self.draft.warn(f"{entry_id}: pathway constraints not imported")
            self._add_qualification(destination, entry_id, required, pools)

    def _clauses(self, component: Node, depth: int) -> list[tuple[list[Node], int | None]]:
        if depth > 20:
            raise _Unexpressible("pathway components nest too deeply")
        conditions = [
            c for c in (self.graph.resolve(v) for v in values(component, "hasCondition")) if c
        ]
        if not conditions:
            children = [
                c for c in (self.graph.resolve(v) for v in values(component, "hasChild")) if c
            ]
            conditions = [{"targetComponent": children}] if children else []
        clauses: list[tuple[list[Node], int | None]] = []
        for condition in conditions:
            targets = [
                t
                for t in (self.graph.resolve(v) for v in values(condition, "targetComponent"))
                if t
            ]
            wanted = number(condition, "requiredNumber")
            count = len(targets) if wanted is None else int(wanted)
            leaves = [t for t in targets if self._is_leaf(t)]
            groups = [t for t in targets if not self._is_leaf(t)]
            if count >= len(targets):
                if leaves:
                    clauses.append((leaves, None))
                for group in groups:
                    clauses.extend(self._clauses(group, depth + 1))
            elif not groups:
                clauses.append((leaves, count))
            else:
                raise _Unexpressible(
                    f"{text(component, 'name')!r} asks for {count} of {len(targets)} routes that "
                    "are groups themselves (alternative routes are not expressible)"
                )
        return clauses

    def _all_leaves(self, component: Node, depth: int) -> None:
        """Import the credentials under a component whose rules cannot be expressed."""
        if depth > 20:
            return
        children = [c for c in (self.graph.resolve(v) for v in values(component, "hasChild")) if c]
        for condition in (self.graph.resolve(v) for v in values(component, "hasCondition")):
            if condition:
                children.extend(
                    t
                    for t in (self.graph.resolve(v) for v in values(condition, "targetComponent"))
                    if t
                )
        for child in children:
            if self._is_leaf(child):
                self._leaf(child)
            else:
                self._all_leaves(child, depth + 1)

    def _is_leaf(self, component: Node) -> bool:
        kinds = set(types(component))
        if kinds & _GROUP_COMPONENTS:
            return False
        if "CredentialComponent" in kinds and values(component, "hasCondition"):
            return False  # earned by stacking its own children
        return bool(kinds & _LEAF_COMPONENTS) or bool(kinds & set(_CREDENTIAL_CLASSES))

    def _leaf(self, component: Node) -> str | None:
        proxy = self._proxy(component)
        if proxy is not None:
            return self._entry(proxy)
        key = self._key(component)
        if key in self.ids:
            return self.ids[key]
        self.ids[key] = entry_id = self.draft.unique_id(self._wanted_id(component))
        self._credential(component, entry_id, component=component)
        return entry_id


class _Unexpressible(Exception):  # noqa: N818 - internal signal, never escapes
    pass


def _languages(node: Node) -> list[str]:
    found = []
    for value in values(node, "inLanguage"):
        if isinstance(value, str) and re.match(r"^[A-Za-z]{2}\b", value):
            found.append(value[:2].lower())
    return list(dict.fromkeys(found))


def _date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
