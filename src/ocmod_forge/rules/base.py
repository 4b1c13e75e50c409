"""What a rule is: code, name, default severity, targets, docstring, and a ``check(ctx)`` generator.

Rules yield ``Finding`` (or ``Skip``) values only; the linter stamps code and severity, so
configuration stays in one place (``lint.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Severity
from ..project import Project
from ..sql import SplitProblem, Statement, split_sql
from ..tree import PackageTree

if TYPE_CHECKING:
    from ..manifest import Manifest, ManifestError

CODE_RE = re.compile(r"[A-Z]{3}\d{3}")
NAME_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ALL_TARGETS = ("3.0", "4.0", "4.1")


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


@dataclass(frozen=True)
class SqlSource:
    """A SQL file of the project, split once and shared by every SQL rule."""

    path: str
    text: str
    statements: tuple[Statement, ...]
    problems: tuple[SplitProblem, ...]


@dataclass
class Context:
    """Everything a rule may look at. Expensive facts are computed once, on first use."""

    tree: PackageTree
    target: str = "3.0"
    project: Project | None = None
    sql_files: dict[str, str] = field(default_factory=dict)  # project SQL file path → text
    package_name: str | None = None  # the zip's file name, when validating a zip or building
    opencart_paths: tuple[Path, ...] = ()  # --opencart: store roots, upload/ folders or release zips
    with_paths: tuple[Path, ...] = ()  # --with: other modifications to apply together (conflicts)
    options: dict[str, object] = field(default_factory=dict)
    # Work started by prefetchers (a php process), taken by the rule that needs it.
    pending: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def root_prefix(self) -> str:
        """``""`` normally; ``"folder/"`` when the package is wrapped in one top folder (PKG002),
        so that the other rules still check what the author meant to ship."""
        if "install.xml" in self.tree or any(p.startswith("upload/") for p in self.tree):
            return ""
        tops = {p.split("/", 1)[0] for p in self.tree if "/" in p}
        for top in sorted(tops):
            if f"{top}/install.xml" in self.tree or any(p.startswith(f"{top}/upload/") for p in self.tree):
                return top + "/"
        return ""

    @property
    def manifest_path(self) -> str:
        return self.root_prefix + "install.xml"

    @cached_property
    def manifest_result(self) -> Manifest | ManifestError | None:
        """The parsed ``install.xml`` at the package root, the parse error, or None if absent."""
        if self.manifest_path not in self.tree:
            return None
        from ..manifest import ManifestError, parse_manifest  # lxml loads only when a rule needs it

        try:
            return parse_manifest(self.tree[self.manifest_path].data, self.manifest_path)
        except ManifestError as exc:
            return exc

    @property
    def manifest(self) -> Manifest | None:
        result = self.manifest_result
        return None if result is None or isinstance(result, Exception) else result

    @cached_property
    def sql(self) -> tuple[SqlSource, ...]:
        out = []
        for path in sorted(self.sql_files):
            statements, problems = split_sql(self.sql_files[path])
            out.append(SqlSource(path, self.sql_files[path], tuple(statements), tuple(problems)))
        return tuple(out)

    def files(self, *suffixes: str) -> list[str]:
        """Package paths ending with any of ``suffixes`` (all files when none given), sorted."""
        return [p for p in self.tree if not suffixes or p.lower().endswith(suffixes)]

    def text(self, path: str) -> str:
        return self.tree.text(path)


Check = Callable[[Context], Iterable[Result]]


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``doc`` is the check function's docstring: the rule's user documentation."""

    code: str
    name: str
    severity: Severity
    targets: tuple[str, ...]
    check: Check = field(compare=False, repr=False)
    needs_opencart: bool = field(default=False, compare=False)  # checks nothing without --opencart

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def doc(self) -> str:
        import inspect  # only `rules` and the formatters read docs; builds need not load inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    def run(self, ctx: Context) -> Iterator[Result]:
        yield from self.check(ctx)


# Rule code → a function that starts the rule's slow external work (a php process) before the
# rules run, leaving it in ``ctx.pending``; lint.py calls them first and runs those rules last.
PREFETCH: dict[str, Callable[[Context], None]] = {}


def prefetch(code: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register ``start(ctx)`` as the prefetcher of rule ``code``."""

    def wrap(start: Callable[[Context], None]) -> Callable[[Context], None]:
        PREFETCH[code] = start
        return start

    return wrap


def rule(code: str, name: str, severity: str = "error", targets: tuple[str, ...] = ("3.0",), needs_opencart: bool = False) -> Callable[[Check], Rule]:
    """Declare a rule; malformed codes and names are refused at import time. Every ANC rule
    needs ``--opencart`` trees (it simulates against them); others say so with ``needs_opencart``."""
    if not CODE_RE.fullmatch(code):
        raise ValueError(f"rule code {code!r} must be three capitals and three digits")
    if not NAME_RE.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")

    def wrap(check: Check) -> Rule:
        if not (check.__doc__ or "").strip():
            raise ValueError(f"rule {code} has no docstring (it is the rule's documentation)")
        return Rule(code=code, name=name, severity=Severity.parse(severity), targets=targets, check=check, needs_opencart=needs_opencart or code.startswith("ANC"))

    return wrap
