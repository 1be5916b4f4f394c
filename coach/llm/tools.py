"""The coach's capabilities as model tools, bound to the session's learner.

No tool takes a learner id: the learner comes from the session through the
``LearnerTools`` closure, so no prompt can reach another learner's data. Tool
results are plain JSON; every result of a turn is kept for the grounding check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coach.dialogue.compose_info import credential_answer
from coach.dialogue.session import record_id_of, record_verification
from coach.dialogue.state import Constraints
from coach.dialogue.tools import LearnerTools
from coach.errors import CoachError
from coach.recognition import render_findings
from coach.search_query import understand_search


def _schema(
    name: str, description: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            },
        },
    }


_STR = {"type": "string"}
_NUM = {"type": "number"}
_ASPECTS = [
    "any",
    "accreditation",
    "endorsement",
    "credit-transfer",
    "country",
    "framework-level",
    "expiry",
]

TOOL_SPECS: list[dict[str, Any]] = [
    _schema(
        "search_catalogue",
        "Search the credential catalogue by topic or name. Limits written in the query "
        "('online', 'under 300 EUR', 'free', 'level 5', 'less than 30 hours') filter results.",
        {"query": _STR},
        ["query"],
    ),
    _schema(
        "get_credential",
        "Facts about one catalogue entry (credential, qualification, role or provider) by id.",
        {"id": _STR},
        ["id"],
    ),
    _schema("get_my_wallet", "The current learner's wallet: badges and verification.", {}, []),
    _schema("get_my_profile", "The current learner's skills and held credentials.", {}, []),
    _schema(
        "make_plan",
        "Plan which credentials to stack to reach a target (id).",
        {
            "target": _STR,
            "budget": _NUM,
            "hours_per_week": _NUM,
            "weeks": _NUM,
            "objective": {
                "type": "string",
                "enum": ["cheapest", "fastest", "recognized", "balanced"],
            },
        },
        ["target"],
    ),
    _schema(
        "lookup_recognition",
        "Recognition records (accreditation, endorsement, credit "
        "transfer, countries, framework level, expiry) for an entry id.",
        {"id": _STR, "aspect": {"type": "string", "enum": _ASPECTS}, "country": _STR},
        ["id"],
    ),
    _schema(
        "verify_my_latest_badge",
        "Explain the verification of the learner's most recently added badge.",
        {},
        [],
    ),
]


@dataclass
class ToolBox:
    """Runs model tool calls for one learner and keeps every result of the turn."""

    tools: LearnerTools
    results: list[dict[str, Any]] = field(default_factory=list)

    def run(self, name: str, arguments: dict[str, Any]) -> str:
        handler: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(
            self, f"_tool_{name}", None
        )
        if handler is None:
            result: dict[str, Any] = {"error": f"unknown tool {name!r}"}
        else:
            allowed = _allowed(name)
            extra = sorted(set(arguments) - allowed)
            if extra:
                # e.g. a learner_id the model made up: tools never take one
                result = {"error": f"unexpected arguments: {', '.join(extra)}"}
            else:
                try:
                    result = handler(arguments)
                except (CoachError, ValueError, KeyError, TypeError) as exc:
                    result = {"error": f"{type(exc).__name__}: {exc}"}
        self.results.append({"tool": name, "result": result})
        return json.dumps(result, ensure_ascii=False, default=str)

    # --- tools -----------------------------------------------------------------------
    def _tool_search_catalogue(self, args: dict[str, Any]) -> dict[str, Any]:
        request = understand_search(str(args["query"]))
        hits, degraded = self.tools.search(request.text, k=5, filters=request.filters)
        found: dict[str, Any] = {
            "results": [{"id": h.id, "kind": h.kind, "title": h.title} for h in hits],
            "degraded": degraded,
        }
        if hits and self.tools.answers(request.text, request.filters) is False:
            # Ranked lists always have a top: tell the model these are only the nearest.
            found["matched"] = False
            found["note"] = (
                "Nothing in the catalogue is about this; these are only the nearest entries. "
                "Say so; do not present them as matches."
            )
        if request.constraints:
            found["limits_applied"] = list(request.constraints)
        corrections = self.tools.corrections(request.text)
        if corrections:
            found["read_as"] = dict(corrections)
        return found

    def _tool_get_credential(self, args: dict[str, Any]) -> dict[str, Any]:
        entry_id = str(args["id"])
        catalogue = self.tools.catalogue
        credential = catalogue.credentials.get(entry_id)
        if credential is not None:
            data = credential.model_dump(mode="json")
            provider = catalogue.providers.get(credential.provider)
            data["provider_name"] = provider.name if provider else credential.provider
            data["stacks_into"] = [
                {"id": q, "title": catalogue.title_of(q)}
                for q in catalogue.stacks_into.get(entry_id, ())
            ]
            return {"credential": data}
        if catalogue.title_of(entry_id) is None:
            return {"error": f"{entry_id!r} is not in the catalogue"}
        answer = credential_answer(catalogue, entry_id, "overview")
        return {
            "entry": {"id": entry_id, "title": catalogue.title_of(entry_id), "summary": answer.text}
        }

    def _tool_get_my_wallet(self, args: dict[str, Any]) -> dict[str, Any]:
        records = []
        for record in self.tools.wallet_records():
            verification = record_verification(record)
            records.append(
                {
                    "id": record_id_of(record),
                    "status": verification.status if verification else None,
                    "name": (
                        verification.achievement.name
                        if verification and verification.achievement
                        else None
                    ),
                }
            )
        return {"wallet": records}

    def _tool_get_my_profile(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"profile": self.tools.profile().model_dump(mode="json", exclude={"learner_id"})}

    def _tool_make_plan(self, args: dict[str, Any]) -> dict[str, Any]:
        constraints = Constraints(
            budget=args.get("budget"),
            hours_per_week=args.get("hours_per_week"),
            weeks=args.get("weeks"),
            objective=args.get("objective"),
        )
        result = self.tools.plan(str(args["target"]), constraints)
        plan: dict[str, Any] = result.to_contract()
        return {"plan": plan}

    def _tool_lookup_recognition(self, args: dict[str, Any]) -> dict[str, Any]:
        entry_id = str(args["id"])
        if self.tools.catalogue.title_of(entry_id) is None:
            return {"error": f"{entry_id!r} is not in the catalogue"}
        aspect = args.get("aspect", "any")
        if aspect not in _ASPECTS:
            return {"error": f"unknown aspect {aspect!r}"}
        country = args.get("country")
        findings = self.tools.recognition(entry_id, aspect=aspect, country=country)
        return {
            "findings": findings.model_dump(mode="json"),
            "summary": render_findings(findings).text,
        }

    def _tool_verify_my_latest_badge(self, args: dict[str, Any]) -> dict[str, Any]:
        records = self.tools.wallet_records()
        if not records:
            return {"error": "the wallet is empty"}
        verification = record_verification(records[-1])
        if verification is None:
            return {"error": "no verification result stored"}
        return {"verification": verification.model_dump(mode="json")}


def _allowed(name: str) -> set[str]:
    for spec in TOOL_SPECS:
        if spec["function"]["name"] == name:
            return set(spec["function"]["parameters"]["properties"])
    return set()
