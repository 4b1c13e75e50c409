"""Running the selected rules over a ``LintInput`` into a sorted ``Report``."""

from __future__ import annotations

from collections.abc import Iterable

from .context import Context, LintInput
from .diagnostics import Diagnostic, Report, SkippedCheck
from .errors import SelectionError
from .rules import RULES
from .rules.base import PREFETCH, Finding, Rule, Skip
from .verdicts import VerdictFactory

__all__ = ["SelectionError", "check_selectors", "lint", "matches", "select_rules", "selects_nothing"]


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


def _default_verdicts() -> VerdictFactory | None:
    from .cache import Verdicts, enabled

    return Verdicts if enabled() else None


def lint(data: LintInput, select: Iterable[str] = (), ignore: Iterable[str] = (), *, verdicts: VerdictFactory | None = None) -> Report:
    """Run the selected rules that have something to check in ``data``.

    Ignored rules do not run; the report names them. A rule outside its scope (no OpenCart tree
    for an anchor rule, no ``--with`` for a conflict rule) does not run either; when it was asked
    for by name it is reported as a skipped check, never as passed. ``verdicts`` stores external
    checkers' answers (default: the per-user cache when it is on).
    """
    select, ignore = tuple(select), tuple(ignore)
    active, ignored = select_rules(data.target, select, ignore)
    ctx = Context(data, verdicts if verdicts is not None else _default_verdicts())
    explicit = any(s.strip() for s in select)
    skipped: list[SkippedCheck] = []
    runnable: list[Rule] = []
    for rule in active:
        why = rule.missing(data)
        if why is None:
            runnable.append(rule)
        elif explicit:
            skipped.append(SkippedCheck(rule.code, rule.name, f"{why}: nothing was checked"))
    # Rules with external work start it now and run last, so php works while Python does; the
    # report is sorted, so the order rules run in never shows.
    for rule in runnable:
        if rule.code in PREFETCH:
            PREFETCH[rule.code](ctx)
    runnable.sort(key=lambda r: r.code in PREFETCH)
    diagnostics: list[Diagnostic] = []
    for rule in runnable:
        for result in rule.run(ctx):
            if isinstance(result, Skip):
                skipped.append(SkippedCheck(rule.code, rule.name, result.reason))
            else:
                diagnostics.append(_stamp(rule, result))
    return Report(
        diagnostics=tuple(sorted(set(diagnostics))),
        skipped=tuple(sorted(set(skipped), key=lambda s: (s.code, s.reason))),
        ignored=tuple(r.code for r in ignored),
        files_checked=len(data.tree) + len(data.sql_files),
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
