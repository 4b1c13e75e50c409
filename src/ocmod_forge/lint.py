"""Running the selected rules over a ``LintInput`` into a sorted ``Report``."""

from __future__ import annotations

from collections.abc import Iterable

from .context import Context, LintInput
from .diagnostics import Diagnostic, Report, SkippedCheck
from .errors import SelectionError
from .rules import RULES
from .rules.base import PREFETCH, Finding, Rule, Skip
from .verdicts import VerdictFactory

__all__ = ["SelectionError", "at_source", "check_selectors", "lint", "matches", "select_rules", "selects_nothing"]


ANCHORS_NOT_CHECKED = "ANC"  # the skipped check that says which releases the anchors were not checked against


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

    return Verdicts if enabled("verdicts") else None


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
    if data.unchecked and any(r.needs_opencart for r in runnable + [r for r in active if r.needs_opencart]):
        skipped.extend(SkippedCheck(ANCHORS_NOT_CHECKED, "anchors-not-checked", f"{what}: {why}" if what else why) for what, why in data.unchecked)
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
        diagnostics=tuple(sorted(set(fold_causes(at_source(diagnostics, data), data)))),
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


# --------------------------------------------------------------------------- findings at the source


class _Sources:
    """Template lines by path, read once, for mapping columns."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.lines:
            try:
                with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                    self.lines[path] = handle.read().split("\n")
            except OSError:
                self.lines[path] = []
        lines = self.lines[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def _column(col: int, built_line: str, template_line: str | None) -> int:
    """The column in the template: the same where the line is literal up to it, else where the
    template text first differs (the ``[= … =]`` that produced the rest)."""
    if col <= 1 or template_line is None:
        return col
    same = 0
    for a, b in zip(built_line, template_line, strict=False):
        if a != b:
            break
        same += 1
    return col if col - 1 <= same else same + 1


def at_source(diagnostics: Iterable[Diagnostic], data: LintInput) -> list[Diagnostic]:
    """Findings of a rendered project moved to the template file and line that produced them.

    The package path and line go to ``built``; a finding with no template line (a folder, the
    zip's name) keeps its path and says it exists only in the built package. Findings that one
    template line causes in several built files (a per-marketplace template) become one.
    """
    if data.tree.kind != "project":
        return list(diagnostics)
    sources = _Sources()
    moved: dict[tuple[str, int, int, str, str], list[Diagnostic]] = {}
    for d in diagnostics:
        path, line, col = d.path, d.line, d.col
        lines = None
        if d.path in data.tree:
            f = data.tree[d.path]
            path, lines = f.source or d.path, f.lines
        elif d.path in data.sql_lines:
            lines = data.sql_lines[d.path]
        elif d.path in data.sql_files:
            lines = None  # a plain .sql file: its lines are the file's own
        if lines is not None and 0 < d.line <= len(lines):
            path, line = lines[d.line - 1]
            built_text = data.tree.text(d.path).split("\n")[d.line - 1] if d.path in data.tree else data.sql_files.get(d.path, "").split("\n")[d.line - 1]
            col = _column(d.col, built_text, sources.line(path, line))
        if d.path in data.tree:
            built = f"{d.path}:{d.line}" if d.line else d.path
        elif d.path in data.sql_files:
            built = ""  # project SQL is a source the developer edits, not part of the package
        else:
            built = d.path  # a folder or the zip itself: no template line made it
        mapped = Diagnostic(path=path, line=line, col=col, code=d.code, name=d.name, severity=d.severity, message=d.message, hint=d.hint, built=built)
        moved.setdefault((path, line, col, d.code, d.message), []).append(mapped)
    out = []
    for group in moved.values():
        first = group[0]
        builts = sorted({g.built for g in group})
        if len(builts) > 1:
            first = Diagnostic(first.path, first.line, first.col, first.code, first.name, first.severity, first.message, first.hint, ", ".join(builts))
        out.append(first)
    return out


# --------------------------------------------------------------------------- one finding per cause

# When the first rule fires in a file, findings of the others in that file are the same mistake
# seen by another checker: a broken Twig tag structure makes Twig's parsers fail too.
FOLDED_BY_FILE = {"TWG001": ("TWG002", "TWG003")}
# ... and these only when they are on the same line: the system Twig and a release's Twig
# refusing the same construct.
FOLDED_BY_LINE = {"TWG002": ("TWG003",)}


def fold_causes(diagnostics: list[Diagnostic], data: LintInput) -> list[Diagnostic]:
    """One finding per cause: findings that another finding explains are folded into it, and the
    kept finding says what else it explains.

    - SQL: a statement of a project SQL file that a template embeds in PHP is checked in both
      places; the SQL file is the cause, the PHP copy is folded into it.
    - Twig: see ``FOLDED_BY_FILE`` and ``FOLDED_BY_LINE``.
    """
    keep: dict[int, list[str]] = {}
    dropped: set[int] = set()
    by_code: dict[str, list[int]] = {}
    for i, d in enumerate(diagnostics):
        by_code.setdefault(d.code, []).append(i)
    sql_files = set(data.sql_files)

    def is_sql(path: str) -> bool:
        return path in sql_files or path.endswith((".sql", ".sql.j2"))

    for i, d in enumerate(diagnostics):
        if d.code.startswith("SQL") and not is_sql(d.path):
            same = (j for j in by_code.get(d.code, []) if j != i and diagnostics[j].message == d.message and is_sql(diagnostics[j].path))
            cause = next(same, None)
            if cause is not None:
                dropped.add(i)
                keep.setdefault(cause, []).append(f"also embedded in {d.path}:{d.line}")
    for first, others in (*((k, v) for k, v in FOLDED_BY_FILE.items()), *((k, v) for k, v in FOLDED_BY_LINE.items())):
        same_line = first in FOLDED_BY_LINE
        for i in by_code.get(first, []):
            if i in dropped:
                continue
            d = diagnostics[i]
            for code in others:
                for j in by_code.get(code, []):
                    other = diagnostics[j]
                    if j not in dropped and other.path == d.path and (not same_line or other.line == d.line):
                        dropped.add(j)
                        keep.setdefault(i, []).append(f"{other.code} agrees: {other.message}")
    out = []
    for i, d in enumerate(diagnostics):
        if i in dropped:
            continue
        if i in keep:
            explained = "; ".join(dict.fromkeys(keep[i]))
            d = Diagnostic(d.path, d.line, d.col, d.code, d.name, d.severity, f"{d.message} ({explained})", d.hint, d.built)
        out.append(d)
    return out
