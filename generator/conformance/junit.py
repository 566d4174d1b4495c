"""JUnit XML for CI: one test case per operation, one <failure> per failing check."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .findings import explain
from .results import FailureRecord, OperationStats, SuiteResult


def _failing(op: OperationStats) -> list[FailureRecord]:
    return [record for record in op.failures if record.waived is None]


def junit_tree(result: SuiteResult) -> ET.ElementTree:
    failures = sum(1 for op in result.operations.values() if _failing(op))
    suite = ET.Element(
        "testsuite",
        name=f"usersapi conformance: {result.api}",
        tests=str(len(result.operations) + (1 if result.errors else 0)),
        failures=str(failures),
        errors=str(1 if result.errors else 0),
        time=f"{result.elapsed:.3f}",
        timestamp=result.timestamp,
    )
    if result.outside_base_path:  # a proxy session's requests that were not the API's traffic
        properties = ET.SubElement(suite, "properties")  # first in a testsuite, by its schema
        ET.SubElement(
            properties, "property", name="outside_base_path", value=str(result.outside_base_path)
        )
    for op in result.operations.values():
        case = ET.SubElement(suite, "testcase", classname=result.api, name=op.label)
        if op.cases == 0:
            ET.SubElement(case, "skipped", message="not tested")
        for record in _failing(op):
            failure = ET.SubElement(
                case, "failure", type=record.check, message=f"{record.check}: {record.why}"
            )
            failure.text = explain(record) + "\n"
        counts = ", ".join(f"{code}: {n}" for code, n in sorted(op.status_codes.items()))
        out = [f"{op.cases} cases; status codes {counts}"]
        out.append("passed: " + (", ".join(result.passed_checks[op.label]) or "none"))
        out += ["waived: " + explain(r) for r in op.failures if r.waived is not None]
        ET.SubElement(case, "system-out").text = "\n".join(out)
    if result.errors:
        case = ET.SubElement(suite, "testcase", classname=result.api, name="run")
        ET.SubElement(case, "error", message="run errors").text = "\n".join(result.errors)
    if result.waiver_notes:
        ET.SubElement(suite, "system-out").text = "\n".join(result.waiver_notes)
    ET.indent(suite)
    return ET.ElementTree(suite)


def write_junit(result: SuiteResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_tree(result).write(path, encoding="utf-8", xml_declaration=True)
