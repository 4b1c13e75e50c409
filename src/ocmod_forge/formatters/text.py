"""``path:line:col: severity: CODE message [name]``, grouped by file, ending with one summary line.

The severity word is there with or without colour, as compilers write it, so a log or a pipe
tells an error from a warning."""

from __future__ import annotations

from itertools import groupby

from ..diagnostics import Report, Severity

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"


def format_report(report: Report, *, color: bool = False, verbose: bool = False, **_: object) -> str:
    """Human-readable report. ``color`` adds ANSI colours (the CLI honours NO_COLOR)."""
    lines: list[str] = []
    for path, group in groupby(report.diagnostics, key=lambda d: d.path):
        for d in group:
            where = f"{path}:{d.line}:{d.col}" if d.line else path
            level = f"{_COLORS[d.severity]}{d.severity.label}{_RESET}" if color else d.severity.label
            message = " ".join(d.message.split("\n"))  # one finding, one line
            note = f" ({d.build_note})" if d.build_note else ""
            lines.append(f"{where}: {level}: {d.code} {message}{note} [{d.name}]")
            if verbose and d.hint:
                lines.append(f"    hint: {d.hint}")
        lines.append("")
    for skip in report.skipped:
        lines.append(f"skipped: {skip.code} {skip.name}: {skip.reason}")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"
