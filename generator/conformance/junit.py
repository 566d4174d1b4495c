"""JUnit XML for CI: one test case per operation, one <failure> per failing check."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .results import SuiteResult


def junit_tree(result: SuiteResult) -> ET.ElementTree:
    failures = sum(1 for op in result.operations.values() if op.failures)
    suite = ET.Element(
        "testsuite",
        name=f"usersapi conformance: {result.api}",
        tests=str(len(result.operations) + (1 if result.errors else 0)),
        failures=str(failures),
        errors=str(1 if result.errors else 0),
        time=f"{result.elapsed:.3f}",
        timestamp=result.timestamp,
    )
    for op in result.operations.values():
        case = ET.SubElement(suite, "testcase", classname=result.api, name=op.label)
        if op.cases == 0:
            ET.SubElement(case, "skipped", message="not tested")
        for record in op.failures:
            failure = ET.SubElement(
                case, "failure", type=record.check, message=f"{record.check}: {record.title}"
            )
            failure.text = f"{record.message}\n\nReproduce with:\n    {record.curl}\n"
        counts = ", ".join(f"{code}: {n}" for code, n in sorted(op.status_codes.items()))
        ET.SubElement(case, "system-out").text = f"{op.cases} cases; status codes {counts}"
    if result.errors:
        case = ET.SubElement(suite, "testcase", classname=result.api, name="run")
        ET.SubElement(case, "error", message="run errors").text = "\n".join(result.errors)
    ET.indent(suite)
    return ET.ElementTree(suite)


def write_junit(result: SuiteResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_tree(result).write(path, encoding="utf-8", xml_declaration=True)
