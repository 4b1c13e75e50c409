"""JUnit XML: one test case per checked file and rule family, failures for findings."""

from __future__ import annotations

from itertools import groupby
from typing import Any
from xml.etree import ElementTree as ET

from ..diagnostics import Report


def format_report(report: Report, **_: Any) -> str:
    """A ``testsuites`` document; each file with findings is a failing case, plus one passing
    summary case so a clean run still has a test; skipped checks are skipped cases."""
    suites = ET.Element("testsuites", name="ocmod-forge")
    suite = ET.SubElement(suites, "testsuite", name="ocmod-forge validate")
    cases = 0
    failures = 0
    for path, group in groupby(report.diagnostics, key=lambda d: d.path):
        items = list(group)
        case = ET.SubElement(suite, "testcase", classname="ocmod-forge", name=path)
        for d in items:
            failure = ET.SubElement(case, "failure", type=d.code, message=f"{d.code} {d.message} [{d.name}]")
            failure.text = f"{d.path}:{d.line}:{d.col}: {d.severity.label}: {d.message}"
        cases += 1
        failures += 1
    for s in report.skipped:
        case = ET.SubElement(suite, "testcase", classname="ocmod-forge", name=f"{s.code} {s.name}")
        ET.SubElement(case, "skipped", message=s.reason)
        cases += 1
    summary = ET.SubElement(suite, "testcase", classname="ocmod-forge", name="summary")
    summary.set("time", "0")
    if report.diagnostics:
        ET.SubElement(summary, "system-out").text = report.summary()
    cases += 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(len(report.skipped)))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
