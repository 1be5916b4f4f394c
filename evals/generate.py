"""A starter suite from a catalogue's own facts (prices, durations, stacking, unknowns)."""

from __future__ import annotations

from typing import Any

from knowledge.schema import Catalogue

#: Things no catalogue here offers: the true answer is "not in the catalogue".
_ABSENT = (
    "Underwater Basket Weaving Diploma",
    "Certified Dragon Tamer",
    "Quantum Astrology Masterclass",
)


def generate_suite(catalogue: Catalogue, *, name: str, limit: int = 60) -> dict[str, Any]:
    """Ask cases whose expectations come straight from the catalogue records."""
    cases: list[dict[str, Any]] = []
    for cid, credential in list(catalogue.credentials.items())[:limit]:
        price = credential.price.amount
        cases.append(
            {
                "id": f"price-{cid}",
                "kind": "ask",
                "tags": ["price", "generated"],
                "question": f"How much is {credential.title}?",
                "expect": {
                    "any_of": [price, "free"] if price == 0 else [price],
                    "citations": [cid],
                },
            }
        )
        cases.append(
            {
                "id": f"duration-{cid}",
                "kind": "ask",
                "tags": ["duration", "generated"],
                "question": f"How long does {credential.title} take?",
                "expect": {"facts": [credential.duration_weeks], "citations": [cid]},
            }
        )
    for index, title in enumerate(_ABSENT, start=1):
        cases.append(
            {
                "id": f"absent-{index}",
                "kind": "ask",
                "tags": ["not-in-catalogue", "generated"],
                "question": f"How much does the {title} cost?",
                "expect": {"refusal": True, "absent": [title]},
            }
        )
    return {"name": name, "threshold": 0.8, "cases": cases}
