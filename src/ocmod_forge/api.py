"""The library's front door: validate, build, preview and matrix, as plain functions.

Each takes paths (or a loaded ``Project``), returns values and raises ``ForgeError`` subclasses;
none prints or exits. The command line (``ocmod_forge.cli``) is a thin layer over these.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .archive import ArchiveResult, write_zip
from .context import LintInput
from .diagnostics import Report, Severity
from .errors import ProjectError, UsageError
from .project import PROJECT_FILE, Project, ProjectProblems
from .project import load_project as _read_project
from .render import render_project
from .reportcache import cached_lint
from .tree import PackageTree, read_folder

if TYPE_CHECKING:
    from .engine import Outcome
    from .simulate import Simulation

PathLike = str | os.PathLike[str]

__all__ = [
    "BuildResult",
    "Matrix",
    "Preview",
    "build",
    "check",
    "load_project",
    "matrix",
    "open_source",
    "preview",
    "project_input",
    "validate",
]


def load_project(path: PathLike) -> Project:
    """Load and validate a project file (or the ``ocmod-forge.yaml`` in a folder).

    Every problem, rule selectors in ``lint:`` that match no rule included, is reported at its
    file and line in one ``ProjectError``.
    """
    path = Path(path)
    if path.is_dir():
        path = path / PROJECT_FILE
    project = _read_project(path)
    if project.lint.lines:
        from .lint import selects_nothing  # the rule registry loads only for projects that select rules

        problems = [
            ProjectError(f"{key}: {value!r} matches no rule code, prefix or name (see `ocmod-forge rules`)", str(path), line)
            for key, value, line in project.lint.lines
            if selects_nothing(value)
        ]
        if problems:
            raise ProjectProblems(problems)
    return project


def project_input(project: Project) -> LintInput:
    """Render a project and describe it for the linter (what build and validate both check)."""
    rendered = render_project(project)
    return LintInput(
        tree=rendered.tree,
        target=project.target,
        project=project,
        sql_files=rendered.sql_files,
        package_name=project.zip_name,
        sql_lines=rendered.sql_lines,
    )


def open_source(
    source: PathLike,
    *,
    target: str | None = None,
    opencart: Sequence[PathLike] = (),
    with_: Sequence[PathLike] = (),
) -> tuple[LintInput, Project | None]:
    """What to check for ``source``: a project file or folder (rendered), a package folder, or an
    ``.ocmod.zip`` (read without extracting). Returns the lint input and the project, if any."""
    path = Path(source)
    trees = tuple(Path(p) for p in opencart)
    others = tuple(Path(p) for p in with_)
    project: Project | None = None
    if (path.is_file() and path.suffix.lower() in (".yaml", ".yml")) or (path.is_dir() and (path / PROJECT_FILE).is_file()):
        project = load_project(path)
        data = project_input(project)
    elif path.is_dir():
        data = LintInput(tree=read_folder(path))
    elif path.is_file():
        from .zipread import read_zip  # only zips need the hostile-zip reader

        data = LintInput(tree=read_zip(path), package_name=path.name)
    else:
        raise UsageError("no such file or folder", str(path))
    return LintInput(
        tree=data.tree,
        target=target or data.target,
        project=data.project,
        sql_files=data.sql_files,
        package_name=data.package_name,
        opencart_paths=trees,
        with_paths=others,
        sql_lines=data.sql_lines,
    ), project


def _selection(project: Project | None, select: Iterable[str], ignore: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The one place selections merge: an explicit ``select`` replaces the project's, ``ignore``
    adds to it. Unknown selectors are refused (a typo must not silently change what runs)."""
    select, ignore = tuple(s for s in select if s.strip()), tuple(s for s in ignore if s.strip())
    if select or ignore:
        from .lint import check_selectors

        check_selectors(select + ignore)
    if project is not None:
        select = select or project.lint.select
        ignore = tuple(project.lint.ignore) + ignore
    return select, ignore


def validate(
    source: PathLike,
    *,
    opencart: Sequence[PathLike] = (),
    with_: Sequence[PathLike] = (),
    target: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> Report:
    """Check a project, package folder or ``.ocmod.zip`` with every selected rule.

    ``opencart``: OpenCart trees (store roots, ``upload/`` folders, release zips) to simulate the
    modification against; ``with_``: other modifications installed alongside (conflicts).
    """
    data, project = open_source(source, target=target, opencart=opencart, with_=with_)
    return check(data, project, select=select, ignore=ignore)


def check(data: LintInput, project: Project | None = None, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
    """Lint an opened source (``open_source``) with the selection merged with the project's."""
    chosen, ignored = _selection(project, select, ignore)
    return cached_lint(data, chosen, ignored)


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the tree, the report, and the archive (None when refused)."""

    tree: PackageTree
    report: Report
    archive: ArchiveResult | None
    destination: Path
    fail_on: Severity = Severity.ERROR


def build(
    project: Project | PathLike,
    *,
    output: PathLike | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: Severity | None = None,
    opencart: Sequence[PathLike] = (),
    with_: Sequence[PathLike] = (),
) -> BuildResult:
    """Render, check and — when nothing is at or above ``fail_on`` (default: the project's
    ``lint.fail_on``) — write the reproducible zip and its ``.sha256``. ``opencart``/``with_``
    as for ``validate``: the anchors are checked before anything is written."""
    if not isinstance(project, Project):
        project = load_project(project)
    level = fail_on if fail_on is not None else Severity.parse(project.lint.fail_on)
    chosen, ignored = _selection(project, select, ignore)
    data = dataclasses.replace(project_input(project), opencart_paths=tuple(Path(p) for p in opencart), with_paths=tuple(Path(p) for p in with_))
    report = cached_lint(data, chosen, ignored)
    destination = (Path(output) if output is not None else project.output) / project.zip_name
    archive = write_zip(data.tree, destination) if report.at_or_above(level) == 0 else None
    return BuildResult(tree=data.tree, report=report, archive=archive, destination=destination, fail_on=level)


def generation_of(version: str) -> str:
    """``3.0.3.8`` → ``3.0``; ``4.1.0.4`` → ``4.1`` (the OpenCart generation of a release)."""
    return ".".join(version.split(".")[:2])


def _simulate(source: PathLike, opencart: Sequence[PathLike], with_: Sequence[PathLike]) -> tuple[list[Simulation], LintInput]:
    data, _ = open_source(source)
    from .context import Context

    ctx = Context(LintInput(tree=data.tree, opencart_paths=tuple(Path(p) for p in opencart), with_paths=tuple(Path(p) for p in with_)))
    if ctx.manifest is None:
        raise UsageError("no parsable install.xml at the package root", str(source))
    return ctx.simulations, data


@dataclass(frozen=True)
class Preview:
    """What OpenCart's Refresh writes for a package in one OpenCart tree.

    ``files``: cache key → the text written under ``system/storage/modification/`` (only files
    that change; by default only those the package's own operations touch — ``others`` holds the
    keys changed only by other modifications, OpenCart's own system/modification.xml included);
    ``originals``: their original texts; ``log``: ocmod.log without timestamps; ``operations``:
    the package's own operations and what each did. ``fatal`` is set (and the rest empty) when
    Refresh dies with a PHP fatal error.
    """

    version: str
    files: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)
    log: str = ""
    operations: tuple[Outcome, ...] = ()
    fatal: str = ""
    others: tuple[str, ...] = ()
    warning: str = ""  # e.g. the release is of another OpenCart generation than the package

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The package's operations whose search was not found."""
        return tuple(o for o in self.operations if o.status == "not-found")


def preview(source: PathLike, *, opencart: PathLike, with_: Sequence[PathLike] = (), everything: bool = False) -> Preview:
    """The files Extensions > Modifications > Refresh would write for ``source`` in ``opencart``:
    those the package changes (``everything``: also those only other modifications change)."""
    sims, data = _simulate(source, (opencart,), with_)
    sim, target = sims[0], data.target
    warning = ""
    if sim.tree.version != "unknown" and generation_of(sim.tree.version) != target:
        warning = f"OpenCart {sim.tree.version} is not a {target} release: this package is for OpenCart {target}"
    if sim.result is None:
        return Preview(version=sim.tree.version, fatal=sim.fatal, warning=warning)
    result = sim.result
    ours = tuple(o for o in result.outcomes if o.mod == sim.ours_index)
    touched = {o.key for o in ours if o.status == "applied"}
    files = {k: v for k, v in result.files.items() if everything or k in touched}
    others = tuple(sorted(k for k in result.files if k not in touched))
    originals = {k: result.originals[k] for k in files}
    return Preview(version=sim.tree.version, files=files, originals=originals, log=result.log_text(), operations=ours, others=others, warning=warning)


@dataclass(frozen=True)
class Matrix:
    """Every operation of a package × every OpenCart tree: the original lines it acts on.

    ``rows``: (xml line, xml column, label) → version → cell (``"12,40"``, ``"-"`` not found,
    ``"ignored"`` for ignoreif); ``fatal``: version → why Refresh dies there.
    """

    versions: tuple[str, ...]
    rows: dict[tuple[int, int, str], dict[str, str]]
    fatal: dict[str, str]

    @property
    def missing(self) -> int:
        """How many (operation, version) cells are not found."""
        return sum(1 for cells in self.rows.values() for v in self.versions if cells.get(v, "-") == "-")


def matrix(source: PathLike, *, opencart: Sequence[PathLike]) -> Matrix:
    """The compatibility matrix of ``source``'s install.xml across the given OpenCart trees."""
    sims, _ = _simulate(source, opencart, ())
    rows: dict[tuple[int, int, str], dict[str, str]] = {}
    fatal: dict[str, str] = {}
    for sim in sims:
        if sim.result is None:
            fatal[sim.tree.version] = sim.fatal
            continue
        for outcome in sim.result.outcomes:
            if outcome.mod != sim.ours_index:
                continue
            search = outcome.operation.search.text.strip() if outcome.operation.search is not None else ""
            key = (outcome.operation.line, outcome.operation.col, f"{outcome.key}  {search[:40]}")
            cell = ",".join(map(str, outcome.matched)) if outcome.status == "applied" else ("ignored" if outcome.status == "ignored" else "-")
            rows.setdefault(key, {})[sim.tree.version] = cell
    return Matrix(versions=tuple(sim.tree.version for sim in sims), rows=rows, fatal=fatal)
