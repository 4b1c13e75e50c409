"""Machine-readable JSON with a schema version; one record shape for every diagnostic."""

from __future__ import annotations

import json
from typing import Any

from ..diagnostics import Report

SCHEMA_VERSION = 1


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
        }
        for d in report.diagnostics
    ]


def format_report(report: Report, **_: Any) -> str:
    """JSON document: schema_version, summary counts, skipped checks, diagnostics."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": "ocmod-forge",
        "summary": {
            "errors": report.errors,
            "warnings": report.warnings,
            "infos": report.infos,
            "skipped": len(report.skipped),
            "suppressed": report.suppressed,
            "files_checked": report.files_checked,
        },
        "skipped": [{"code": s.code, "name": s.name, "reason": s.reason} for s in report.skipped],
        "diagnostics": as_records(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
