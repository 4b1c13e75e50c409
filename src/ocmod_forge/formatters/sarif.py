"""SARIF 2.1.0 for code scanning; ``driver.rules`` comes from the rule registry."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .._version import __version__
from ..diagnostics import Report, Severity
from ..rules import RULES, documented

# SchemaStore's address of the OASIS SARIF 2.1.0 schema: what GitHub code scanning documents,
# and the very document the tests validate against.
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_entry(code: str) -> dict[str, Any]:
    rule = documented()[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": rule.doc or rule.summary or rule.name},
        "help": {"text": rule.doc or rule.summary or rule.name, "markdown": rule.doc or rule.summary or rule.name},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.family], "opencart": list(rule.targets)},
    }


def format_report(report: Report, **_: Any) -> str:
    """One run, every registered rule in ``driver.rules``, one result per diagnostic."""
    # Every static rule, plus the `ocmod-forge try` codes this report uses.
    known = documented()
    codes = list(RULES) + sorted({d.code for d in report.diagnostics} - set(RULES) & set(known))
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d in report.diagnostics:
        # Package paths as relative URI references: '%', ':', ',', spaces and backslashes escaped.
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": quote(d.path, safe="/")}}}
        if d.line:
            location["physicalLocation"]["region"] = {"startLine": d.line, **({"startColumn": d.col} if d.col else {})}
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [location],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.built:
            result["properties"] = {"built": d.built}
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ocmod-forge",
                        "version": __version__,
                        "rules": [_rule_entry(code) for code in codes],
                    }
                },
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [
                            {
                                "level": "warning",
                                "message": {"text": f"skipped {s.code} {s.name}: {s.reason}"},
                                **({"associatedRule": {"id": s.code, "index": index[s.code]}} if s.code in index else {}),
                            }
                            for s in report.skipped
                        ],
                    }
                ],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
