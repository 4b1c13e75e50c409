"""GitHub Actions workflow commands: one annotation per finding, a notice per skipped check, then
the summary line as plain log text."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Report, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escaping for the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escaping for property values (file, title): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_report(report: Report, **_: Any) -> str:
    lines = []
    for d in report.diagnostics:
        props = [f"file={escape_property(d.path)}"]
        if d.line:
            props.append(f"line={d.line}")
            if d.col:
                props.append(f"col={d.col}")
        props.append(f"title={escape_property(f'{d.code} {d.name}')}")
        note = f" ({d.build_note})" if d.build_note else ""
        lines.append(f"::{_COMMAND[d.severity]} {','.join(props)}::{escape_data(d.message + note)}")
    for s in report.skipped:
        lines.append(f"::notice title={escape_property('skipped ' + s.code)}::{escape_data(s.reason)}")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"
