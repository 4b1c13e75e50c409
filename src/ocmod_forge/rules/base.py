"""What a rule is: code, name, default severity, scope, docstring, and a ``check(ctx)`` generator.

Rules yield ``Finding`` (or ``Skip``) values only; the linter stamps code and severity, so
configuration stays in one place (``lint.py``). A rule's scope is declared, not guessed: the
OpenCart generations it applies to (``targets``), and whether it needs OpenCart trees
(``needs_opencart``) or other modifications (``needs_with``) to check anything. The linter never
runs a rule outside its scope, and a test runs every rule outside its scope to prove it stays
silent there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..context import Context, LintInput, SqlSource
from ..diagnostics import Severity
from ..versions import GENERATIONS

CODE_RE = re.compile(r"[A-Z]{3}\d{3}")
NAME_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Finding:
    """A problem at a place; ``line``/``col`` are 1-based (0 when the whole file is meant)."""

    path: str
    message: str
    line: int = 0
    col: int = 0
    hint: str = ""
    severity: Severity | None = None  # only when a rule has two levels (e.g. declared error mode)


@dataclass(frozen=True)
class Skip:
    """The rule could not run (missing tool); reported as skipped, never as passed."""

    reason: str


Result = Finding | Skip
Check = Callable[[Context], Iterable[Result]]


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``doc`` is the check function's docstring: the rule's user documentation."""

    code: str
    name: str
    severity: Severity
    targets: tuple[str, ...]
    check: Check = field(compare=False, repr=False)
    needs_opencart: bool = field(default=False, compare=False)  # checks nothing without OpenCart trees
    needs_with: bool = field(default=False, compare=False)  # checks nothing without other modifications
    needs_php_versions: bool = field(default=False, compare=False)  # checks nothing without PHP versions to check
    hints: bool = field(default=True, compare=False)  # every finding carries a hint saying what to do

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def doc(self) -> str:
        import inspect  # only `rules` and the formatters read docs; builds need not load inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first paragraph of the documentation, on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split())

    def missing(self, data: LintInput) -> str | None:
        """Why this rule has nothing to check in ``data`` (its scope), or None when it can run."""
        if data.target not in self.targets:
            return f"applies to OpenCart {', '.join(self.targets)}, not {data.target}"
        if self.needs_opencart and not data.opencart_paths:
            return "no OpenCart tree given (--opencart)"
        if self.needs_with and not data.with_paths:
            return "no other modifications given (--with)"
        if self.needs_php_versions and not data.php_versions:
            return "no PHP versions named (php in the project file, or --php)"
        return None

    def run(self, ctx: Context) -> Iterator[Result]:
        yield from self.check(ctx)


# Rule code → a function that starts the rule's slow external work (a php process) before the
# rules run, leaving it in ``ctx.background``; lint.py calls them first and runs those rules last.
PREFETCH: dict[str, Callable[[Context], None]] = {}


def prefetch(code: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register ``start(ctx)`` as the prefetcher of rule ``code``."""

    def wrap(start: Callable[[Context], None]) -> Callable[[Context], None]:
        PREFETCH[code] = start
        return start

    return wrap


def rule(
    code: str,
    name: str,
    severity: str = "error",
    targets: tuple[str, ...] = ("3.0",),
    *,
    needs_opencart: bool = False,
    needs_with: bool = False,
    needs_php_versions: bool = False,
    hints: bool = True,
) -> Callable[[Check], Rule]:
    """Declare a rule; malformed codes, names, targets and undocumented rules are refused at import.

    ``hints=False`` declares a rule whose findings cannot say more than their message (a test
    holds every other rule's findings to a hint that tells the developer what to do).
    """
    if not CODE_RE.fullmatch(code):
        raise ValueError(f"rule code {code!r} must be three capitals and three digits")
    if not NAME_RE.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if not targets or any(t not in GENERATIONS for t in targets):
        raise ValueError(f"rule {code}: targets {targets!r} must be a non-empty subset of {GENERATIONS}")

    def wrap(check: Check) -> Rule:
        if not (check.__doc__ or "").strip():
            raise ValueError(f"rule {code} has no docstring (it is the rule's documentation)")
        return Rule(
            code=code, name=name, severity=Severity.parse(severity), targets=targets, check=check,
            needs_opencart=needs_opencart, needs_with=needs_with, needs_php_versions=needs_php_versions, hints=hints,
        )

    return wrap


__all__ = ["PREFETCH", "Context", "Finding", "LintInput", "Result", "Rule", "Skip", "SqlSource", "prefetch", "rule"]
