"""Reports: report.json (machine), junit.xml (CI) and report.html (self-contained, escaped)."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any


def write_reports(data: dict[str, Any], folder: Path, baseline: dict[str, Any] | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(data, indent=2, default=str), "utf-8")
    (folder / "junit.xml").write_text(junit(data), "utf-8")
    (folder / "report.html").write_text(render_html(data, diff(data, baseline)), "utf-8")


def _judge_properties(parent: ET.Element, section: dict[str, Any]) -> None:
    """Judge status and each judge's calibration kappa as JUnit properties."""
    props = ET.SubElement(parent, "properties")
    ET.SubElement(props, "property", name="judges.status", value=str(section["status"]))
    if section.get("reason"):
        ET.SubElement(props, "property", name="judges.reason", value=str(section["reason"]))
    for metric, cal in section.get("calibration", {}).items():
        ET.SubElement(props, "property", name=f"judges.{metric}.kappa", value=str(cal["kappa"]))
        state = "error" if cal["error"] else str(cal["calibrated"]).lower()
        ET.SubElement(props, "property", name=f"judges.{metric}.calibrated", value=state)


def _judge_cases(node: ET.Element, suite: dict[str, Any]) -> int:
    """One test case per judged metric: failed when it gates and misses its threshold."""
    failures = 0
    for metric, judged in suite.get("judges", {}).items():
        tc = ET.SubElement(node, "testcase", classname=f"{suite['name']}.judge", name=metric)
        detail = f"score {judged['score']} over {judged['cases']} cases, threshold "
        detail += f"{judged['threshold']}, kappa {judged['kappa']}"
        if not judged["met"]:
            failures += 1
            ET.SubElement(tc, "failure", message=f"{metric} below threshold: {detail}")
        elif not judged["gating"]:
            reason = "uncalibrated judge" if not judged["calibrated"] else "no threshold"
            if judged["score"] is None:
                reason = "not scored"
            ET.SubElement(tc, "skipped", message=f"{reason}: {detail}")
    return failures


def junit(data: dict[str, Any]) -> str:
    root = ET.Element("testsuites", tests=str(data["cases"]), failures=str(data["failed"]))
    _judge_properties(root, data.get("judges") or {"status": "skipped"})
    for suite in data["suites"]:
        node = ET.SubElement(
            root,
            "testsuite",
            name=suite["name"],
            tests=str(suite["cases"]),
            failures=str(suite["failed"]),
        )
        for case in suite["results"]:
            seconds = sum(case["latency_ms"]) / 1000
            tc = ET.SubElement(
                node,
                "testcase",
                classname=f"{suite['name']}.{case['kind']}",
                name=case["id"],
                time=f"{seconds:.3f}",
            )
            if not case["passed"]:
                failure = ET.SubElement(tc, "failure", message="; ".join(case["problems"])[:500])
                failure.text = f"Q: {case['question']}\nA: {case['answer']}"
        judge_failures = _judge_cases(node, suite)
        node.set("tests", str(len(node.findall("testcase"))))
        node.set("failures", str(suite["failed"] + judge_failures))
    root.set("tests", str(sum(int(n.get("tests", "0")) for n in root.findall("testsuite"))))
    root.set("failures", str(sum(int(n.get("failures", "0")) for n in root.findall("testsuite"))))
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _outcomes(data: dict[str, Any] | None) -> dict[str, bool]:
    if not data:
        return {}
    return {f"{s['name']}/{c['id']}": c["passed"] for s in data["suites"] for c in s["results"]}


def diff(data: dict[str, Any], baseline: dict[str, Any] | None) -> dict[str, list[str]]:
    """Case by case against a baseline run: what got better, what got worse."""
    now, before = _outcomes(data), _outcomes(baseline)
    return {
        "better": sorted(k for k, ok in now.items() if ok and before.get(k) is False),
        "worse": sorted(k for k, ok in now.items() if not ok and before.get(k) is True),
        "new": sorted(k for k in now if baseline is not None and k not in before),
    }


def _bar(label: str, rate: float) -> str:
    width = int(200 * rate)
    return (
        f'<svg width="320" height="18" role="img"><rect width="200" height="14" fill="#eee"/>'
        f'<rect width="{width}" height="14" fill="#2a7"/>'
        f'<text x="206" y="12" font-size="12">{html.escape(label)} {rate:.0%}</text></svg>'
    )


def render_html(data: dict[str, Any], changes: dict[str, list[str]]) -> str:
    e = html.escape
    rows: list[str] = []
    groups: dict[str, list[bool]] = {}
    latencies: list[float] = []
    for suite in data["suites"]:
        for case in suite["results"]:
            latencies.extend(case["latency_ms"])
            for key in [f"kind:{case['kind']}", *(f"tag:{t}" for t in case["tags"])]:
                groups.setdefault(key, []).append(case["passed"])
            if case["passed"]:
                continue
            cites = " ".join(e(c) for c in case["citations"])
            rows.append(
                f"<tr><td>{e(suite['name'])}/{e(case['id'])}</td><td>{e(case['question'])}</td>"
                f"<td><pre>{e(case['answer'])}</pre></td>"
                f"<td>{e(json.dumps(case['expect'], default=str))}</td>"
                f"<td>{e('; '.join(case['problems']))}</td><td>{cites}</td></tr>"
            )
    bars = "<br>".join(_bar(k, sum(v) / len(v)) for k, v in sorted(groups.items()))
    latencies.sort()
    pct = {
        p: latencies[int(p / 100 * (len(latencies) - 1))] if latencies else 0 for p in (50, 90, 99)
    }
    suites = "".join(
        f"<li>{e(s['name'])}: {s['passed']}/{s['cases']} ({s['pass_rate']:.1%}, threshold "
        f"{s['threshold']:.0%}) retrieval {e(json.dumps(s['retrieval']))}</li>"
        for s in data["suites"]
    )
    judges = _judges_html(data)
    changed = "".join(
        f"<h3>{name}</h3><ul>{''.join(f'<li>{e(k)}</li>' for k in keys)}</ul>"
        for name, keys in changes.items()
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Stackwise evaluation</title>"
        "<style>body{font-family:sans-serif}td{vertical-align:top;border:1px solid #ccc}"
        "pre{white-space:pre-wrap;max-width:40em}</style></head><body>"
        f"<h1>Evaluation: {data['passed']}/{data['cases']} passed</h1><ul>{suites}</ul>"
        f"<h2>Pass rate by kind and tag</h2>{bars}"
        f"<h2>Language-model judges</h2>{judges}"
        f"<h2>Latency (ms)</h2><p>p50 {pct[50]:.1f}, p90 {pct[90]:.1f}, p99 {pct[99]:.1f}</p>"
        f"<h2>Against the baseline</h2>{changed}"
        "<h2>Failing cases</h2><table><tr><th>case</th><th>question</th><th>answer</th>"
        f"<th>expected</th><th>problems</th><th>citations</th></tr>{''.join(rows)}</table>"
        "</body></html>"
    )


def _judges_html(data: dict[str, Any]) -> str:
    """Calibration per judge (kappa against the human labels) and judge scores per suite."""
    e = html.escape
    section = data.get("judges") or {"status": "skipped", "reason": "not run", "calibration": {}}
    if section["status"] == "skipped":
        return f"<p>Judges skipped: {e(str(section['reason']))}.</p>"
    rows = []
    for metric, cal in section["calibration"].items():
        state = "calibrated" if cal["calibrated"] else "uncalibrated: does not gate"
        if cal["error"]:
            state = f"unavailable: {cal['error']}"
        rows.append(
            f"<tr><td>{e(metric)}</td><td>{cal['items']}</td><td>{cal['kappa']:.2f}</td>"
            f"<td>{cal['agreement']:.0%}</td><td>{e(state)}</td></tr>"
        )
    scores = []
    for suite in data["suites"]:
        for metric, judged in suite.get("judges", {}).items():
            if judged["score"] is None:
                continue
            mark = "met" if judged["met"] else "BELOW THRESHOLD"
            if not judged["gating"]:
                mark = "not gating"
            scores.append(
                f"<li>{e(suite['name'])} {e(metric)}: {_bar(metric, judged['score'])} "
                f"({judged['cases']} cases, threshold {judged['threshold']}, {mark})</li>"
            )
    return (
        f"<p>Kappa floor {section['kappa_floor']}</p><table><tr><th>judge</th><th>items</th>"
        f"<th>Cohen's kappa</th><th>agreement</th><th>state</th></tr>{''.join(rows)}</table>"
        f"<ul>{''.join(scores)}</ul>"
    )
