"""The values that flow from the rules to the formatters: ``Diagnostic`` and ``Report``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """Ordered severities; ``--fail-on`` compares against them."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Ordered by location first so every report has one stable order."""

    path: str
    line: int
    col: int
    code: str
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str
    hint: str = field(default="", compare=False)
    # For a project: where the finding is in the built package (``path:line``), when ``path`` is
    # the template the developer edits; equal to ``path`` when no template line produced it.
    built: str = field(default="", compare=False)

    @property
    def build_note(self) -> str:
        """``built: upload/…/x.php:21`` or ``only in the built package``; "" outside projects."""
        if not self.built:
            return ""
        return "only in the built package" if self.built == self.path else f"built: {self.built}"


@dataclass(frozen=True)
class SkippedCheck:
    """A check that could not run (for example ``php -l`` without php); never counted as passed."""

    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class Report:
    """A sorted tuple of diagnostics, the checks that could not run, and the rules ignored."""

    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: tuple[SkippedCheck, ...] = ()
    ignored: tuple[str, ...] = ()  # codes of the rules --ignore (or lint.ignore) kept from running
    files_checked: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    @property
    def infos(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.INFO)

    def at_or_above(self, level: Severity) -> int:
        """How many findings would fail a run with ``--fail-on level``."""
        return sum(1 for d in self.diagnostics if d.severity >= level)

    def summary(self) -> str:
        """The one summary line every human-readable output ends with."""
        total = len(self.diagnostics)
        head = "0 problems" if total == 0 else f"{total} problem{'s' if total != 1 else ''}"
        parts = [
            f"{self.errors} error{'s' if self.errors != 1 else ''}",
            f"{self.warnings} warning{'s' if self.warnings != 1 else ''}",
        ]
        if self.infos:
            parts.append(f"{self.infos} info")
        anchors = " (anchors not checked)" if any(s.code == "ANC" for s in self.skipped) and not any(s.code.startswith("ANC0") for s in self.skipped) else ""
        parts.append(f"{len(self.skipped)} skipped check{'s' if len(self.skipped) != 1 else ''}{anchors}")
        if self.ignored:
            parts.append(f"{len(self.ignored)} rule{'s' if len(self.ignored) != 1 else ''} ignored")
        return f"{head} ({', '.join(parts)}) in {self.files_checked} file{'s' if self.files_checked != 1 else ''}"
