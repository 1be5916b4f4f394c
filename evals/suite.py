"""Suite files: YAML checked against ``evals/schema/suite.schema.json``.

Problems are reported with the line they are on: the YAML is composed into
nodes (which keep their start marks) before it is turned into plain data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).parent / "schema" / "suite.schema.json"


class SuiteError(Exception):
    """A broken suite file: where and what."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


@dataclass
class Suite:
    """A loaded suite: its data, its folder (relative paths resolve there) and its cases."""

    path: Path
    name: str
    threshold: float
    cases: list[dict[str, Any]]
    catalogue: Path | None = None
    learners: dict[str, Any] = field(default_factory=dict)
    today: str | None = None
    judges: dict[str, float] = field(default_factory=dict)


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def _line_of(node: yaml.Node | None, where: list[Any]) -> int:
    """The 1-based line of the node at ``where`` (the deepest that exists)."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for step in where:
        found: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if key.value == step:
                    found = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            found = node.value[step]
            line = found.start_mark.line + 1
        if found is None:
            break
        node = found
    return line


def load_suite(path: Path) -> Suite:
    """Read, validate and resolve one suite file (raises ``SuiteError``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(path, 0, f"cannot read: {exc.strerror}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise SuiteError(path, line, f"not valid YAML: {exc.problem}") from exc
    if not isinstance(data, dict):
        raise SuiteError(path, 1, "a suite is a mapping with 'name' and 'cases'")
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = list(error.absolute_path)
        at = "/".join(str(p) for p in where) or "(top)"
        raise SuiteError(path, _line_of(node, where), f"{at}: {error.message}")
    seen: dict[str, int] = {}
    for index, case in enumerate(data["cases"]):
        if case["id"] in seen:
            line = _line_of(node, ["cases", index])
            raise SuiteError(path, line, f"duplicate case id {case['id']!r}")
        seen[case["id"]] = index
    cases = list(data["cases"])
    include = data.get("include") or {}
    if "retrieval" in include:
        cases.extend(_retrieval_cases(path, node, include))
    catalogue = data.get("catalogue")
    return Suite(
        path=path,
        name=data["name"],
        threshold=float(data.get("threshold", 1.0)),
        cases=cases,
        catalogue=(path.parent / catalogue).resolve() if catalogue else None,
        learners=dict(data.get("learners") or {}),
        today=str(data["today"]) if data.get("today") else None,
        judges={k: float(v) for k, v in (data.get("judges") or {}).items()},
    )


def _retrieval_cases(path: Path, node: yaml.Node | None, include: dict[str, Any]) -> list[Any]:
    """Cases from a referenced judgement file (one retrieval case per query)."""
    source = (path.parent / include["retrieval"]).resolve()
    line = _line_of(node, ["include", "retrieval"])
    try:
        items = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SuiteError(path, line, f"cannot read judgements {source}: {exc}") from exc
    if not isinstance(items, list):
        raise SuiteError(path, line, f"{source} is not a list of judgements")
    cases: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "query" not in item or "relevant" not in item:
            raise SuiteError(path, line, f"{source} item {index + 1} needs query and relevant")
        case: dict[str, Any] = {
            "id": f"retrieval-{index + 1:03d}",
            "kind": "retrieval",
            "tags": list(item.get("tags", [])),
            "query": item["query"],
            "relevant": list(item["relevant"]),
            "k": int(include.get("k", 5)),
            "min_recall": float(include.get("min_recall", 1.0)),
        }
        if item.get("filters"):
            case["filters"] = item["filters"]
        cases.append(case)
    return cases
