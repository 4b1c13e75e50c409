"""JUnit XML: one test suite; one test case per file and rule with findings, one failure each."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any
from xml.etree import ElementTree as ET

from ..diagnostics import Report, Severity

# Characters XML 1.0 cannot carry at all (even escaped); a path or message with one would make
# the whole document unreadable, so they become U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def format_report(report: Report, *, fail_on: Severity = Severity.ERROR, **_: Any) -> str:
    """A ``testsuites`` document with one ``testsuite``.

    Each (file, rule) pair with findings is a test case. Findings at or above ``fail_on`` (the
    run's ``--fail-on``) make it fail — exactly one ``failure`` (the common JUnit schemas allow
    one per case; CI viewers show only the first otherwise) whose text lists every finding of
    it; below that level the case passes and lists them in ``system-out``, so the JUnit verdict
    and the exit code always agree. Skipped checks are skipped cases; a final ``summary`` case
    carries the summary line, so a clean run still has one passing test.
    """
    suites = ET.Element("testsuites", name="ocmod-forge")
    suite = ET.SubElement(suites, "testsuite", name="ocmod-forge validate")
    cases = failures = 0
    for (path, code), group in groupby(sorted(report.diagnostics, key=lambda d: (d.path, d.code, d.line, d.col)), key=lambda d: (d.path, d.code)):
        items = list(group)
        first = items[0]
        case = ET.SubElement(suite, "testcase", classname=_x(path), name=f"{code} {first.name}")
        text = _x("\n".join(f"{d.path}:{d.line}:{d.col}: {d.severity.label}: {d.code} {d.message}" + (f" ({d.build_note})" if d.build_note else "") for d in items))
        if max(d.severity for d in items) >= fail_on:
            failure = ET.SubElement(case, "failure", type=first.severity.label, message=_x(f"{code} {first.message} [{first.name}]"))
            failure.text = text
            failures += 1
        else:
            ET.SubElement(case, "system-out").text = text
        cases += 1
    for s in report.skipped:
        case = ET.SubElement(suite, "testcase", classname="ocmod-forge", name=f"{s.code} {s.name}")
        ET.SubElement(case, "skipped", message=_x(s.reason))
        cases += 1
    summary = ET.SubElement(suite, "testcase", classname="ocmod-forge", name="summary")
    ET.SubElement(summary, "system-out").text = report.summary()
    cases += 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(len(report.skipped)))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
