"""Machine-readable JSON with a schema version; one record shape for every diagnostic."""

from __future__ import annotations

import json
from typing import Any

from ..diagnostics import Report

# 2: summary.suppressed (findings of ignored rules) became summary.ignored_rules and the list
# `ignored`, because ignored rules no longer run.
SCHEMA_VERSION = 2


def as_records(report: Report) -> list[dict[str, Any]]:
    """The sorted, serialisable records every machine format is built from."""
    return [
        {
            "path": d.path,
            "line": d.line,
            "col": d.col,
            "code": d.code,
            "name": d.name,
            "severity": d.severity.label,
            "message": d.message,
            "hint": d.hint,
            "built": d.built,
        }
        for d in report.diagnostics
    ]


def format_report(report: Report, **_: Any) -> str:
    """JSON document: schema_version, summary counts, skipped checks, ignored rules, diagnostics."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": "ocmod-forge",
        "summary": {
            "errors": report.errors,
            "warnings": report.warnings,
            "infos": report.infos,
            "skipped": len(report.skipped),
            "ignored_rules": len(report.ignored),
            "files_checked": report.files_checked,
        },
        "skipped": [{"code": s.code, "name": s.name, "reason": s.reason} for s in report.skipped],
        "ignored": list(report.ignored),
        "diagnostics": as_records(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
