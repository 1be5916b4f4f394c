"""Import Open Badges 3.0 Achievement definitions (and EU ELM learning specifications).

Accepted input (JSON): one ``Achievement``; a list of them; an
``OpenBadgeCredential`` / ``AchievementCredential`` (its
``credentialSubject.achievement``); a CLR 2.0 credential (the achievements of
its nested credentials); a VC-JWT (the ``vc`` claim); and a European Learning
Model ``EuropeanDigitalCredential`` (each claim's ``specifiedBy``), also inside
a JAdES JSON serialisation (``payload``) or an upload wrapper (``credential``).

Mapping:

* ``name`` -> title, ``description``, ``criteria.narrative`` -> assessment,
  ``criteria.id`` / the achievement id (when a URL) -> url, the achievement
  ``id`` -> ``achievement_ids`` (so wallet badges match the entry);
* ``achievementType`` -> type where the vocabularies meet (``Badge``,
  ``Certificate``, ``Certification``, ``Course``, ``License``, ``Diploma``,
  the degrees, ``MicroCredential``); other types need ``--default type=``;
* ``fieldOfStudy`` (OB3) or the first ``thematicArea`` (ELM) -> domain;
* ``creditsAvailable`` -> workload credits: OB3 gives no unit, so they are
  kept only with ``--default credit_unit=...``;
* the issuer / ``creator`` profile (ELM: ``awardingBody``) -> provider, its
  id -> ``issuer_ids``, country from ``address.addressCountryCode`` (ELM:
  ``countryCode``);
* EU micro-credential elements where present (ELM, or the same terms on an
  OB3 achievement): ``volumeOfLearning`` -> hours, ``creditPoint`` (ECTS) ->
  credits, ``eqfLevel`` -> EQF level, ``mode`` -> participation,
  ``maximumDuration`` -> duration_weeks, ``learningOutcome`` titles ->
  learning outcomes, ``language`` -> languages.

Not imported, and reported: ``alignment`` targets (skills need proficiency
levels), ``entryRequirement`` texts, results and result descriptions. Missing
required values follow the defaults policy of ``knowledge.importers.common``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from knowledge.importers.common import (
    MAX_SOURCE_BYTES,
    Draft,
    ImportSourceError,
    as_number,
    drop_empty,
    http_url,
    iso_duration,
    not_in_source,
    slug,
)

_TYPES: Mapping[str, str] = {
    "Badge": "Badge",
    "MicroCredential": "MicroCredential",
    "Certificate": "Certificate",
    "Certification": "Certification",
    "CertificateOfCompletion": "CertificateOfCompletion",
    "Course": "Course",
    "License": "License",
    "Diploma": "Diploma",
    "Degree": "Degree",
    "DoctoralDegree": "Degree",
    "AssociateDegree": "AssociateDegree",
    "BachelorDegree": "BachelorDegree",
    "MasterDegree": "MasterDegree",
}
_MODES: Mapping[str, str] = {
    "online": "online",
    "blended": "blended",
    "on-site": "onsite",
    "onsite": "onsite",
    "face-to-face": "onsite",
    "in person": "onsite",
}
_ALPHA3: Mapping[str, str] = {
    "AUT": "AT",
    "BEL": "BE",
    "BGR": "BG",
    "HRV": "HR",
    "CYP": "CY",
    "CZE": "CZ",
    "DNK": "DK",
    "EST": "EE",
    "FIN": "FI",
    "FRA": "FR",
    "DEU": "DE",
    "GRC": "GR",
    "HUN": "HU",
    "IRL": "IE",
    "ITA": "IT",
    "LVA": "LV",
    "LTU": "LT",
    "LUX": "LU",
    "MLT": "MT",
    "NLD": "NL",
    "POL": "PL",
    "PRT": "PT",
    "ROU": "RO",
    "SVK": "SK",
    "SVN": "SI",
    "ESP": "ES",
    "SWE": "SE",
    "NOR": "NO",
    "ISL": "IS",
    "LIE": "LI",
    "CHE": "CH",
    "GBR": "GB",
    "USA": "US",
    "CAN": "CA",
    "AUS": "AU",
}
_LANGUAGES: Mapping[str, str] = {
    "ENG": "en",
    "FRA": "fr",
    "DEU": "de",
    "SPA": "es",
    "ITA": "it",
    "NLD": "nl",
    "POR": "pt",
    "POL": "pl",
}


def import_ob3(path: Path, defaults: Mapping[str, str]) -> Draft:
    """Every achievement definition in the file, as credentials and providers."""
    found = _achievements(_read(path))
    if not found:
        raise ImportSourceError(f"{path}: no Open Badges Achievement or ELM specification found")
    draft = Draft()
    providers: dict[str, str] = {}
    seen: set[str] = set()
    for achievement, issuer, elm in found:
        key = str(achievement.get("id") or id(achievement))
        if key in seen:
            continue
        seen.add(key)
        _credential(draft, achievement, issuer, elm, defaults, providers)
    return draft


def _read(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportSourceError(f"{path}: larger than {MAX_SOURCE_BYTES:,} bytes")
        raw = path.read_bytes().decode("utf-8-sig").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportSourceError(f"{path}: cannot read ({exc})") from exc
    if re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", raw):
        return _jwt_payload(raw, path)
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ImportSourceError(f"{path}: not a JSON file ({exc})") from exc


def _jwt_payload(token: str, path: Path) -> Any:
    part = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, json.JSONDecodeError) as exc:
        raise ImportSourceError(f"{path}: a JWT whose payload is not JSON") from exc
    return claims.get("vc", claims) if isinstance(claims, dict) else claims


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("type", [])
    return {str(v) for v in (value if isinstance(value, list) else [value])}


def _achievements(data: Any, issuer: Any = None) -> list[tuple[dict[str, Any], Any, bool]]:
    """(achievement-like node, issuer profile, is_elm) for everything in ``data``."""
    if isinstance(data, list):
        return [item for entry in data for item in _achievements(entry, issuer)]
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("payload"), str):  # JAdES / JWS JSON serialisation
        try:
            return _achievements(json.loads(data["payload"]), issuer)
        except json.JSONDecodeError:
            return []
    if "credential" in data and isinstance(data["credential"], dict):
        return _achievements(data["credential"], issuer)
    kinds = _types(data)
    if "Achievement" in kinds:
        return [(data, data.get("creator") or issuer, False)]
    if "EuropeanDigitalCredential" in kinds:
        return _elm(data)
    found: list[tuple[dict[str, Any], Any, bool]] = []
    subject = data.get("credentialSubject")
    own_issuer = data.get("issuer") or issuer
    for item in subject if isinstance(subject, list) else [subject]:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("achievement"), dict):
            found.append(
                (item["achievement"], item["achievement"].get("creator") or own_issuer, False)
            )
        for nested in ("verifiableCredential", "achievements"):
            found.extend(_achievements(item.get(nested), own_issuer))
    return found


def _elm(credential: dict[str, Any]) -> list[tuple[dict[str, Any], Any, bool]]:
    found = []
    profile = (_text(credential.get("credentialProfiles")) or "").lower()
    claims = credential.get("credentialSubject", {}).get("hasClaim", [])
    for claim in claims if isinstance(claims, list) else [claims]:
        if not isinstance(claim, dict):
            continue
        spec = _first(claim.get("specifiedBy"))
        awarded = _first(claim.get("awardedBy"))
        body = _first(awarded.get("awardingBody")) if isinstance(awarded, dict) else None
        if isinstance(spec, dict):
            if "micro" in profile and "achievementType" not in spec:
                # The credential profile says what the specification is.
                spec = {**spec, "achievementType": "MicroCredential"}
            found.append((spec, body or credential.get("issuer"), True))
    return found


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    """A string, or the English (else first) entry of a language map / ELM note."""
    value = _first(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("noteLiteral", "prefLabel", "narrative"):
            if key in value:
                return _text(value[key])
        strings = {k: v for k, v in value.items() if isinstance(v, str | list) and len(k) <= 5}
        for key in sorted(strings, key=lambda k: not k.startswith("en")):
            text = _text(strings[key])
            if text:
                return text
    return None


def _credential(
    draft: Draft,
    achievement: dict[str, Any],
    issuer: Any,
    elm: bool,
    defaults: Mapping[str, str],
    providers: dict[str, str],
) -> None:
    source_id = str(achievement.get("id") or "")
    title = _text(achievement.get("name")) or _text(achievement.get("title"))
    wanted = slug(title or source_id or "achievement", prefix="ob3-")
    entry_id = draft.unique_id(wanted)
    raw_criteria = achievement.get("criteria")
    criteria: dict[str, Any] = raw_criteria if isinstance(raw_criteria, dict) else {}
    entry: dict[str, Any] = {
        "id": entry_id,
        "title": title,
        "description": (_text(achievement.get("description")) or "")[:10000],
        "assessment": _text(criteria.get("narrative")) or "",
        "url": http_url(criteria.get("id")) or http_url(source_id),
        "achievement_ids": [source_id] if source_id and not elm else [],
        "learning_outcomes": _outcomes(achievement),
        "languages": _languages(achievement),
    }
    eqf = _eqf(achievement.get("eqfLevel"))
    if eqf:
        entry["eqf_level"] = eqf
    missing: list[str] = []
    fill = draft.fill
    fill(entry, ("type",), _type(achievement), "type", defaults, missing)
    fill(
        entry, ("provider",), _provider(draft, issuer, defaults, providers), "provider", {}, missing
    )
    fill(entry, ("domain",), _domain(achievement), "domain", defaults, missing)
    hours, _ = iso_duration(_text(achievement.get("volumeOfLearning")), allow_seconds=False)
    fill(entry, ("workload", "hours"), hours, "hours", defaults, missing)
    credits, unit = _credits(draft, achievement, defaults, entry_id)
    if credits is not None and "workload" in entry:
        entry["workload"]["credits"] = credits
        entry["workload"]["credit_unit"] = unit
    _, weeks = iso_duration(_text(achievement.get("maximumDuration")), allow_seconds=False)
    fill(entry, ("duration_weeks",), weeks, "weeks", defaults, missing)
    fill(entry, ("price", "amount"), None, "price", defaults, missing)
    if "price" in entry:
        entry["price"]["currency"] = defaults.get("currency", "EUR")
    fill(entry, ("participation", "mode"), _mode(achievement), "mode", defaults, missing)
    for term, what in (
        ("alignment", "alignment targets"),
        ("entryRequirement", "entry requirement"),
        ("resultDescription", "result descriptions"),
    ):
        if achievement.get(term):
            draft.warn(f"{entry_id}: {what} not imported (no catalogue equivalent)")
    if missing:
        draft.skip(f"credential {entry_id!r}", not_in_source(missing))
        return
    draft.add("credentials", drop_empty(entry))


def _type(achievement: dict[str, Any]) -> str | None:
    value = _text(achievement.get("achievementType"))
    return _TYPES.get(value) if value else None


def _domain(achievement: dict[str, Any]) -> str | None:
    field = _text(achievement.get("fieldOfStudy")) or _text(achievement.get("thematicArea"))
    return slug(field) if field else None


def _credits(
    draft: Draft, achievement: dict[str, Any], defaults: Mapping[str, str], entry_id: str
) -> tuple[float | None, str | None]:
    point = _first(achievement.get("creditPoint"))
    if isinstance(point, dict):
        framework = (_text(point.get("framework")) or "").lower()
        amount = as_number(point.get("point"))
        if amount is not None and ("ects" in framework or "european credit" in framework):
            return amount, "ECTS"
        if amount is not None:
            draft.warn(
                f"{entry_id}: credit points in {framework or 'an unnamed framework'} not imported"
            )
    amount = as_number(achievement.get("creditsAvailable"))
    if amount is None:
        return None, None
    if "credit_unit" in defaults:
        draft.defaults_used["credit_unit"] += 1
        return amount, defaults["credit_unit"]
    draft.warn(
        f"{entry_id}: creditsAvailable {amount:g} not imported: Open Badges gives no "
        "credit unit (supply --default credit_unit=ECTS or another unit)"
    )
    return None, None


def _provider(
    draft: Draft, issuer: Any, defaults: Mapping[str, str], providers: dict[str, str]
) -> str | None:
    profile: dict[str, Any] = issuer if isinstance(issuer, dict) else {}
    issuer_id = issuer if isinstance(issuer, str) else str(profile.get("id") or "")
    name = _text(profile.get("legalName")) or _text(profile.get("name"))
    if not name:
        if "provider" not in defaults:
            return None
        name = defaults["provider"]
        draft.defaults_used["provider"] += 1
    key = issuer_id or name
    if key in providers:
        return providers[key]
    provider_id = draft.unique_id(slug(name, prefix="prov-"))
    providers[key] = provider_id
    homepage = _first(profile.get("homepage"))
    entry: dict[str, Any] = {
        "id": provider_id,
        "name": name,
        "url": http_url(profile.get("url"))
        or http_url(homepage.get("contentURL") if isinstance(homepage, dict) else None),
        "description": (_text(profile.get("description")) or "")[:5000],
        "issuer_ids": [issuer_id] if issuer_id and not issuer_id.startswith("urn:epass") else [],
    }
    missing: list[str] = []
    draft.fill(entry, ("kind",), None, "provider_kind", defaults, missing)
    draft.fill(entry, ("country",), _country(profile), "country", defaults, missing)
    if missing:
        draft.skip(f"provider {provider_id!r}", not_in_source(missing))
    else:
        draft.add("providers", {k: v for k, v in entry.items() if v not in (None, "", [])})
    return provider_id


def _country(profile: dict[str, Any]) -> str | None:
    address = profile.get("address")
    if isinstance(address, dict) and isinstance(address.get("addressCountryCode"), str):
        code = address["addressCountryCode"].upper()
        return code if re.fullmatch(r"[A-Z]{2}", code) else None
    location = _first(profile.get("location"))
    if isinstance(location, dict):
        address = _first(location.get("address"))
        code = _first(address.get("countryCode")) if isinstance(address, dict) else None
        if isinstance(code, dict) and isinstance(code.get("id"), str):
            return _ALPHA3.get(code["id"].rsplit("/", 1)[-1])
    return None


def _outcomes(achievement: dict[str, Any]) -> list[str]:
    outcomes = achievement.get("learningOutcome") or []
    titles = [
        _text(o.get("title"))
        for o in (outcomes if isinstance(outcomes, list) else [outcomes])
        if isinstance(o, dict)
    ]
    return [t for t in titles if t]


def _languages(achievement: dict[str, Any]) -> list[str]:
    found = []
    for value in [achievement.get("language"), achievement.get("inLanguage")]:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                code = _LANGUAGES.get(item["id"].rsplit("/", 1)[-1])
                if code:
                    found.append(code)
            elif isinstance(item, str) and re.match(r"^[a-z]{2}\b", item):
                found.append(item[:2])
    return list(dict.fromkeys(found))


def _mode(achievement: dict[str, Any]) -> str | None:
    label = (_text(achievement.get("mode")) or "").lower()
    return _MODES.get(label)


def _eqf(value: Any) -> int | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int):
        return value if 1 <= value <= 8 else None
    if isinstance(value, str):
        match = re.search(r"(\d)$", value)
        return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 8 else None
    return None
