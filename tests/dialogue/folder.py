"""Write the small test catalogue as a catalogue folder (for CLI and wiring tests)."""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge.schema import Catalogue


def write_catalogue(catalogue: Catalogue, folder: Path) -> Path:
    """``catalogue.yaml`` plus one ``entries.yaml`` holding every entry."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.yaml").write_text(yaml.safe_dump(catalogue.info.model_dump(mode="json")))
    entries = {
        name: [e.model_dump(mode="json", exclude_defaults=True) for e in table.values()]
        for name, table in (
            ("providers", catalogue.providers),
            ("skills", catalogue.skills),
            ("credentials", catalogue.credentials),
            ("qualifications", catalogue.qualifications),
            ("roles", catalogue.roles),
            ("recognitions", catalogue.recognitions),
        )
    }
    (folder / "entries.yaml").write_text(yaml.safe_dump(entries, sort_keys=False))
    return folder
