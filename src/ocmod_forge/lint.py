"""Running the selected rules over a ``Context`` into a sorted ``Report``."""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic, Report, Severity, SkippedCheck
from .errors import SelectionError
from .rules import RULES
from .rules.base import PREFETCH, Context, Finding, Rule, Skip

__all__ = ["SelectionError", "check_selectors", "fails", "lint", "matches", "select_rules", "selects_nothing"]


def matches(rule: Rule, selector: str) -> bool:
    """A selector is a code (``MAN003``), a code prefix (``MAN``, ``MAN0``) or a rule name."""
    selector = selector.strip()
    if not selector:
        return False
    if selector.lower() == rule.name or selector.upper() == "ALL":
        return True
    return rule.code.startswith(selector.upper())


def selects_nothing(selector: str) -> bool:
    """True for a non-blank selector that matches no rule (a typo)."""
    return bool(selector.strip()) and not any(matches(r, selector) for r in RULES.values())


def check_selectors(selectors: Iterable[str]) -> None:
    """Refuse selectors that match no rule: a typo must not silently disable nothing."""
    for selector in selectors:
        if selects_nothing(selector):
            raise SelectionError(f"{selector!r} matches no rule code, prefix or name (see `ocmod-forge rules`)")


def select_rules(target: str, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> tuple[list[Rule], list[Rule]]:
    """(active, ignored) rules for a target. An empty ``select`` means every rule."""
    select = [s for s in select if s.strip()]
    ignore = [s for s in ignore if s.strip()]
    active: list[Rule] = []
    ignored: list[Rule] = []
    for rule in RULES.values():
        if target not in rule.targets:
            continue
        chosen = not select or any(matches(rule, s) for s in select)
        if not chosen:
            continue
        (ignored if any(matches(rule, s) for s in ignore) else active).append(rule)
    return active, ignored


def lint(ctx: Context, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
    """Run the selected rules; ignored rules still run so the report can count what they suppressed."""
    select, ignore = tuple(select), tuple(ignore)
    active, ignored = select_rules(ctx.target, select, ignore)
    # Rules with external work start it now and run last, so php works while Python does; the
    # report is sorted, so the order rules run in never shows.
    for r in active + ignored:
        if r.code in PREFETCH:
            PREFETCH[r.code](ctx)
    active.sort(key=lambda r: r.code in PREFETCH)
    ignored.sort(key=lambda r: r.code in PREFETCH)
    diagnostics: list[Diagnostic] = []
    skipped: list[SkippedCheck] = []
    suppressed = 0
    for rule in active:
        for result in rule.run(ctx):
            if isinstance(result, Skip):
                skipped.append(SkippedCheck(rule.code, rule.name, result.reason))
            else:
                diagnostics.append(_stamp(rule, result))
    for rule in ignored:
        suppressed += sum(1 for result in rule.run(ctx) if isinstance(result, Finding))
    if any(s.strip() for s in select) and not ctx.opencart_paths:
        # Asked for by name, rules that need --opencart trees must not look passed without one.
        skipped.extend(SkippedCheck(r.code, r.name, "no --opencart tree given: nothing was checked") for r in active if r.needs_opencart)
    unique = sorted(set(diagnostics))
    skipped_unique = sorted(set(skipped), key=lambda s: (s.code, s.reason))
    return Report(
        diagnostics=tuple(unique),
        skipped=tuple(skipped_unique),
        suppressed=suppressed,
        files_checked=len(ctx.tree) + len(ctx.sql_files),
    )


def _stamp(rule: Rule, finding: Finding) -> Diagnostic:
    severity = finding.severity if finding.severity is not None else rule.severity
    return Diagnostic(
        path=finding.path,
        line=finding.line,
        col=finding.col,
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=finding.message,
        hint=finding.hint,
    )


def fails(report: Report, fail_on: Severity) -> bool:
    """True when the report has a finding at or above ``fail_on``."""
    return report.at_or_above(fail_on) > 0
