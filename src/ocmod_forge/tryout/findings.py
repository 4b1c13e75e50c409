"""Collecting TRY findings: one per cause, with every page or step it showed on."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Severity
from .codes import TRY_RULES


@dataclass
class _Entry:
    code: str
    path: str
    line: int
    message: str
    hint: str
    severity: Severity
    where: list[str] = field(default_factory=list)


@dataclass
class Findings:
    """Findings of one release. The same cause seen on several pages is one finding listing them."""

    release: str
    fallback_path: str  # the package file name, for findings that have no better place
    # Run-specific text (temporary folder, database name, port) → a stable placeholder, so that
    # the same package and release always give the same report.
    replacements: list[tuple[str, str]] = field(default_factory=list)
    _entries: dict[tuple[str, str, int, str], _Entry] = field(default_factory=dict)

    def clean(self, text: str) -> str:
        for old, new in self.replacements:
            if old:
                text = text.replace(old, new)
        return text

    def add(self, code: str, message: str, *, path: str = "", line: int = 0, where: str = "", hint: str = "", severity: Severity | None = None) -> None:
        rule = TRY_RULES[code]
        message, hint = self.clean(message), self.clean(hint)
        key = (code, path or self.fallback_path, line, message)
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(code, path or self.fallback_path, line, message, hint, severity if severity is not None else rule.severity)
            self._entries[key] = entry
        if where and where not in entry.where:
            entry.where.append(where)

    def count(self, *codes: str) -> int:
        return sum(1 for e in self._entries.values() if not codes or e.code in codes)

    def diagnostics(self) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for e in self._entries.values():
            where = ""
            if e.where:
                shown = e.where[:4]
                more = f" and {len(e.where) - 4} more" if len(e.where) > 4 else ""
                where = f" [{'; '.join(shown)}{more}]"
            message = f"OpenCart {self.release}: {e.message}{where}"
            out.append(Diagnostic(e.path, e.line, 0, e.code, TRY_RULES[e.code].name, e.severity, message, e.hint))
        return out
