"""What the rules look at: ``LintInput`` (what to check, frozen) and ``Context`` (that input plus
the facts computed from it during one lint run, owned by the linter).

The input never changes once made; the context is created by ``lint.lint`` for one run, so
memoised facts (the parsed manifest, SQL splits, engine simulations) and background work
(php processes started early) can never leak from one run into another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .sql import SQL_SPLIT, SplitProblem, Statement, split_salt, split_sql
from .tree import LineMap, PackageTree
from .verdicts import NoVerdicts, VerdictFactory, VerdictStore
from .versions import Target

if TYPE_CHECKING:
    from .manifest import Manifest, ManifestError
    from .project import Project
    from .simulate import Simulation



@dataclass(frozen=True)
class LintInput:
    """Everything a lint run checks. Frozen: build it once, hand it to ``lint``."""

    tree: PackageTree
    target: str = "3.0"
    project: Project | None = None
    sql_files: dict[str, str] = field(default_factory=dict, hash=False)  # project SQL file path → text
    package_name: str | None = None  # the zip's file name, when validating a zip or building
    opencart_paths: tuple[Path, ...] = ()  # OpenCart store roots, upload/ folders or release zips
    with_paths: tuple[Path, ...] = ()  # other modifications applied together (conflicts)
    sql_lines: dict[str, LineMap] = field(default_factory=dict, hash=False)  # rendered .sql.j2 → template lines
    target_range: Target | None = None  # the releases of ``target`` the package supports (None: all)
    # OpenCart releases the anchors could not be checked against, and why (not in the release
    # cache, another generation, none named at all): reported as skipped checks, never as passed.
    unchecked: tuple[tuple[str, str], ...] = ()
    php_versions: tuple[str, ...] = ()  # PHP versions ("7.4", "8.2") every PHP file must compile with


@dataclass(frozen=True)
class SqlSource:
    """A SQL file of the project, split once and shared by every SQL rule."""

    path: str
    text: str
    statements: tuple[Statement, ...]
    problems: tuple[SplitProblem, ...]




class Context:
    """A ``LintInput`` and the facts derived from it, computed once, on first use.

    Rules read the input through the same names (``ctx.tree``, ``ctx.target`` …) and never
    change it. ``background`` holds work a prefetcher started for a rule (a php process);
    ``verdicts`` gives rules a content-keyed store for external checkers' answers without
    rules knowing where it lives.
    """

    def __init__(self, data: LintInput, verdicts: VerdictFactory | None = None) -> None:
        self.input = data
        self.background: dict[str, object] = {}
        self._verdicts: VerdictFactory = verdicts or (lambda name, salt: NoVerdicts())

    # ------------------------------------------------------------------ the input, read-only

    @property
    def tree(self) -> PackageTree:
        return self.input.tree

    @property
    def target(self) -> str:
        return self.input.target

    @property
    def project(self) -> Project | None:
        return self.input.project

    @property
    def sql_files(self) -> dict[str, str]:
        return self.input.sql_files

    @property
    def package_name(self) -> str | None:
        return self.input.package_name

    @property
    def target_range(self) -> Target:
        """The releases the package supports: the input's range, else every release of its generation."""
        return self.input.target_range or Target.of(self.input.target)

    @property
    def opencart_paths(self) -> tuple[Path, ...]:
        return self.input.opencart_paths

    @property
    def with_paths(self) -> tuple[Path, ...]:
        return self.input.with_paths

    def verdicts(self, name: str, salt: str) -> VerdictStore:
        """The verdict store for checker ``name`` whose answers depend on ``salt``."""
        return self._verdicts(name, salt)

    # ------------------------------------------------------------------ derived facts

    @cached_property
    def root_prefix(self) -> str:
        """``""`` normally; ``"folder/"`` when the package is wrapped in one top folder (PKG002),
        so that the other rules still check what the author meant to ship."""
        tree = self.tree
        if "install.xml" in tree or any(p.startswith("upload/") for p in tree):
            return ""
        tops = {p.split("/", 1)[0] for p in tree if "/" in p}
        for top in sorted(tops):
            if f"{top}/install.xml" in tree or any(p.startswith(f"{top}/upload/") for p in tree):
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
        from .manifest import ManifestError, parse_manifest  # lxml loads only when a rule needs it

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
            statements, problems = split_sql(self.sql_files[path], self.verdicts(SQL_SPLIT, split_salt()))
            out.append(SqlSource(path, self.sql_files[path], tuple(statements), tuple(problems)))
        return tuple(out)

    @cached_property
    def modifications(self) -> tuple[Manifest, ...]:
        """The package's OCMOD modifications as the target installs them: 3.0 its install.xml;
        4.1 every ``ocmod/…/*.ocmod.xml`` (4.1.0.4:installer.php xml()); 4.0 none. Unparsable
        files are left out (the manifest rules report them)."""
        if self.target == "3.0":
            return (self.manifest,) if self.manifest is not None else ()
        if self.target != "4.1":
            return ()
        from .manifest import ManifestError, parse_manifest

        found = []
        for path in self.tree:
            if path.startswith("ocmod/") and path.endswith(".ocmod.xml"):
                try:
                    found.append(parse_manifest(self.tree[path].data, path))
                except ManifestError:
                    continue
        return tuple(found)

    @cached_property
    def simulations(self) -> list[Simulation]:
        """The package's modifications (with the ``--with`` ones) applied to every OpenCart tree,
        in OpenCart's order; empty without trees or without a parsable modification."""
        if not self.modifications or not self.opencart_paths:
            return []
        from .simulate import simulate  # the engine loads only when there is something to simulate

        return simulate(self.modifications, self.opencart_paths, self.with_paths)

    def files(self, *suffixes: str) -> list[str]:
        """Package paths ending with any of ``suffixes`` (all files when none given), sorted."""
        return [p for p in self.tree if not suffixes or p.lower().endswith(suffixes)]

    def text(self, path: str) -> str:
        return self.tree.text(path)
