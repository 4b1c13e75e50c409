"""The library's front door: validate, build, preview and matrix, as plain functions.

Each takes paths (or a loaded ``Project``), returns values and raises ``ForgeError`` subclasses;
none prints or exits. The command line (``ocmod_forge.cli``) is a thin layer over these.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .archive import ArchiveResult, write_zip
from .context import LintInput
from .diagnostics import Diagnostic, Report, Severity
from .errors import ProjectError, UsageError
from .project import PROJECT_FILE, Project, ProjectProblems
from .project import load_project as _read_project
from .render import render_targets
from .reportcache import cached_lint
from .tree import PackageTree, read_folder
from .versions import Target, generation_of

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


def project_input(project: Project, target: Target | None = None) -> LintInput:
    """Render a project for one target (default: its first) and describe it for the linter."""
    return project_inputs(project, [target or project.targets[0]])[0]


def project_inputs(project: Project, targets: Sequence[Target]) -> list[LintInput]:
    """``project_input`` for several targets, compiling each template once for all of them."""
    return [
        LintInput(
            tree=rendered.tree,
            target=target.generation,
            project=project,
            sql_files=rendered.sql_files,
            package_name=project.zip_name_for(target),
            sql_lines=rendered.sql_lines,
            target_range=target,
            php_versions=project.php_for(target.generation),
        )
        for target, rendered in zip(targets, render_targets(project, targets), strict=True)
    ]


def detect_generation(tree: PackageTree) -> tuple[str, str]:
    """(generation, why) from a package's layout, as OpenCart's installers tell them apart."""
    roots = {path.split("/", 1)[0] for path in tree}
    if "install.xml" in roots or "upload" in roots:
        return "3.0", "install.xml or upload/ at the root"
    if "install.json" in roots or roots & {"admin", "catalog", "system"}:
        if "ocmod" in roots:
            return "4.1", "install.json and ocmod/ at the root"
        return "4.0", "install.json or admin/, catalog/, system/ at the root (4.0 or 4.1: --target 4.1 checks it for 4.1)"
    return "3.0", "no install.xml, upload/ or install.json at the root"


@dataclass(frozen=True)
class Source:
    """What ``open_source`` found: one lint input per target (a project may have several), the
    project if any, and a note when the package's layout and the asked target disagree."""

    inputs: tuple[LintInput, ...]
    project: Project | None = None
    note: str = ""


def open_source(
    source: PathLike,
    *,
    target: str | None = None,
    opencart: Sequence[PathLike] = (),
    with_: Sequence[PathLike] = (),
    php: Sequence[str] = (),
) -> Source:
    """What to check for ``source``: a project file or folder (rendered for each of its targets,
    or only ``target``), a package folder, or an ``.ocmod.zip`` (read without extracting; its
    OpenCart generation taken from its layout unless ``target`` says otherwise).

    ``opencart`` takes release trees, release zips or release versions from the release cache
    (``ocmod-forge opencart add``); a project adds the releases its ``opencart.releases`` names.
    Each target is checked against the releases of its own generation; the others, and releases
    not in the cache, are recorded as unchecked (skipped checks in the report).
    """
    from .releases import resolve

    path = Path(source)
    others = tuple(Path(p) for p in with_)
    given = [resolve(spec) for spec in opencart]  # a mistyped --opencart is an error at once
    project: Project | None = None
    note = ""
    wanted = _target(target)
    if (path.is_file() and path.suffix.lower() in (".yaml", ".yml")) or (path.is_dir() and (path / PROJECT_FILE).is_file()):
        project = load_project(path)
        targets = project.targets
        if wanted is not None:
            narrowed = target is not None and target.strip() != wanted.generation  # a range, not just a generation
            targets = tuple(wanted if narrowed else t for t in project.targets if t.generation == wanted.generation)
            if not targets:
                raise UsageError(f"the project has no target {wanted.generation} (its targets: {', '.join(t.generation for t in project.targets)})", str(path))
        inputs = project_inputs(project, targets)
    else:
        if path.is_dir():
            tree, name = read_folder(path), None
        elif path.is_file():
            from .zipread import read_zip  # only zips need the hostile-zip reader

            tree, name = read_zip(path), path.name
        else:
            raise UsageError("no such file or folder", str(path))
        detected, why = detect_generation(tree)
        chosen = wanted or Target.of(detected)
        if wanted is not None and wanted.generation != detected:
            note = f"the layout is OpenCart {detected}'s ({why}); checking for {chosen.generation} as asked"
        elif wanted is None and detected == "4.0":
            if uses_41_model_triggers(tree):
                chosen, note = Target.of("4.1"), "its model events use 4.1's trigger form (…/model/x/y.method/…): checked for OpenCart 4.1 (--target 4.0 checks it for 4.0)"
            else:
                chosen, note = separator_range(tree, name)
        inputs = [LintInput(tree=tree, target=chosen.generation, package_name=name, target_range=chosen)]
    if php:
        inputs = [dataclasses.replace(data, php_versions=tuple(php)) for data in inputs]
    return Source(_with_releases(inputs, given, project, others), project, note)


def _with_releases(inputs: Sequence[LintInput], given: Sequence[Path], project: Project | None, others: tuple[Path, ...]) -> tuple[LintInput, ...]:
    """Each input with the releases of its own generation (given ones and the project's), the
    other modifications, and what could not be checked."""
    trees, missing = _releases(list(given), project)
    out = []
    for data in inputs:
        own = tuple(p for p, version in trees if generation_of(version) == data.target)
        unchecked = [(f"OpenCart {version}", f"not a {data.target} release") for p, version in trees if generation_of(version) != data.target and not project]
        unchecked += [(f"OpenCart {v}", why) for v, why in missing if generation_of(v) == data.target]
        if not own and not unchecked and _has_ocmod(data):
            unchecked.append(("", "no OpenCart release named in opencart.releases or given with --opencart; no OCMOD search was checked"))
        out.append(dataclasses.replace(data, opencart_paths=own, with_paths=others, unchecked=tuple(unchecked)))
    return tuple(out)


_TRIGGER_41 = re.compile(r"""['"](?:admin|catalog)/model/[a-z0-9_/]+\.[A-Za-z_]\w*/(?:before|after)['"]""")


def uses_41_model_triggers(tree: PackageTree) -> bool:
    """Does the package register model events in 4.1's form (``…/model/x/y.method/after``)? A 4.x
    package without ocmod/ is otherwise 4.0's and 4.1's alike."""
    return any(_TRIGGER_41.search(tree.text(path)) for path in tree if path.endswith(".php"))


def separator_range(tree: PackageTree, name: str | None) -> tuple[Target, str]:
    """The 4.0 releases a package without a stated range is for, read from the method separator
    its routes use: ``|`` is 4.0.0.0–4.0.1.1's, ``.`` 4.0.2.0's and later (one that uses both, or
    neither, is checked against every 4.0 release)."""
    from .context import Context
    from .rules.oc4php import route_uses

    separators = {use.separator for use in route_uses(Context(LintInput(tree=tree, target="4.0", package_name=name)))}
    if separators == {"."}:
        return Target("4.0", "4.0.2.0", "4.0.2.3"), "its routes use '.': checked for OpenCart 4.0.2.0-4.0.2.3 (--target 4.0 checks every 4.0 release)"
    if separators == {"|"}:
        return Target("4.0", "4.0.0.0", "4.0.1.1"), "its routes use '|': checked for OpenCart 4.0.0.0-4.0.1.1 (--target 4.0 checks every 4.0 release)"
    return Target.of("4.0"), ""


def _target(text: str | None) -> Target | None:
    """A ``--target`` value as a Target; UsageError when it names no generation or release range."""
    if text is None:
        return None
    from .versions import parse_target

    try:
        return parse_target(text)
    except ValueError as exc:
        raise UsageError(f"--target: {exc}") from None


def _releases(given: list[Path], project: Project | None) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """(tree path, version) of every release to check against, and (version, why) of those that
    are not available: the project's releases not in the cache."""
    from .opencart import load_tree
    from .releases import find, is_release_name

    specs: list[Path] = list(given)
    missing: list[tuple[str, str]] = []
    for name in project.releases if project is not None else ():
        if is_release_name(name):
            found = find(name)
            if found is None:
                missing.append((name, f"not in the release cache (ocmod-forge opencart add {name})"))
                continue
            specs.append(found)
        else:
            candidate = (project.root / name) if project is not None else Path(name)
            if not candidate.exists():
                missing.append((name, "no such file or folder"))
                continue
            specs.append(candidate)
    out: list[tuple[Path, str]] = []
    for spec in dict.fromkeys(specs):
        out.append((spec, load_tree(spec).version))
    return out, missing


def _has_ocmod(data: LintInput) -> bool:
    """Does the package change core files with OCMOD (3.0 install.xml, 4.1 ocmod/*.ocmod.xml)?"""
    if data.target == "3.0":
        return any(p == "install.xml" or p.endswith("/install.xml") for p in data.tree)
    return data.target == "4.1" and any(p.startswith("ocmod/") for p in data.tree)


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
    php: Sequence[str] = (),
) -> Report:
    """Check a project (every target, or ``target``), package folder or ``.ocmod.zip`` with
    every selected rule (``php``: PHP versions every PHP file must compile with).

    ``opencart``: OpenCart trees (store roots, ``upload/`` folders, release zips) to simulate the
    modification against; ``with_``: other modifications installed alongside (conflicts).
    """
    return check(open_source(source, target=target, opencart=opencart, with_=with_, php=php), select=select, ignore=ignore)


def check(source: Source, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
    """Lint an opened source (``open_source``) with the selection merged with the project's; the
    reports of several targets become one (a finding several targets share is reported once)."""
    chosen, ignored = _selection(source.project, select, ignore)
    reports = [(data.target, cached_lint(data, chosen, ignored)) for data in source.inputs]
    return merge_reports(reports) if len(reports) > 1 else reports[0][1]


def merge_reports(reports: Sequence[tuple[str, Report]]) -> Report:
    """One report for several targets: built locations get the target's generation in front, and
    a finding the same in several targets is one finding naming each built location."""
    folded: dict[tuple[str, int, int, str, str], Diagnostic] = {}
    for generation, report in reports:
        for d in report.diagnostics:
            built = ", ".join(f"[{generation}] {b.strip()}" for b in d.built.split(", ")) if d.built and d.built != d.path else d.built
            key = (d.path, d.line, d.col, d.code, d.message)
            if key in folded and built and built != folded[key].built:
                built = f"{folded[key].built}, {built}"
            folded[key] = dataclasses.replace(d, built=built)
    skipped = {(s.code, s.reason): s for _, r in reports for s in r.skipped}
    return Report(
        diagnostics=tuple(sorted(folded.values())),
        skipped=tuple(skipped[k] for k in sorted(skipped)),
        ignored=tuple(sorted({code for _, r in reports for code in r.ignored})),
        files_checked=max(r.files_checked for _, r in reports),
    )


@dataclass(frozen=True)
class PackageBuild:
    """One target's package: its tree, its report and its archive (None when refused)."""

    target: Target
    tree: PackageTree
    report: Report
    archive: ArchiveResult | None
    destination: Path


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: one ``PackageBuild`` per target, and the report of them all."""

    packages: tuple[PackageBuild, ...]
    report: Report
    fail_on: Severity = Severity.ERROR

    @property
    def archives(self) -> tuple[ArchiveResult, ...]:
        return tuple(p.archive for p in self.packages if p.archive is not None)

    @property
    def archive(self) -> ArchiveResult | None:
        """The first target's archive (the only one for single-target projects)."""
        return self.packages[0].archive

    @property
    def tree(self) -> PackageTree:
        return self.packages[0].tree

    @property
    def destination(self) -> Path:
        return self.packages[0].destination

    @property
    def refused(self) -> tuple[PackageBuild, ...]:
        """Packages not written because of findings at or above the fail level."""
        return tuple(p for p in self.packages if p.archive is None)


def build(
    project: Project | PathLike,
    *,
    output: PathLike | None = None,
    target: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: Severity | None = None,
    opencart: Sequence[PathLike] = (),
    with_: Sequence[PathLike] = (),
    php: Sequence[str] = (),
) -> BuildResult:
    """Render and check the project for each target (or only ``target``) and write each target's
    reproducible zip and ``.sha256`` when nothing of it is at or above ``fail_on`` (default: the
    project's ``lint.fail_on``). 3.0 packages go to the output folder under the project's stem;
    4.x ones to ``<output>/opencart-<generation>/<code>.ocmod.zip``. ``opencart``/``with_`` as
    for ``validate``: the anchors are checked before anything is written."""
    if not isinstance(project, Project):
        project = load_project(project)
    level = fail_on if fail_on is not None else Severity.parse(project.lint.fail_on)
    chosen, ignored = _selection(project, select, ignore)
    targets = [t for t in project.targets if target is None or t.generation == target]
    if not targets:
        raise UsageError(f"the project has no target {target} (its targets: {', '.join(t.generation for t in project.targets)})", str(project.path))
    from .releases import resolve

    base = Path(output) if output is not None else project.output
    rendered = project_inputs(project, targets)
    if php:
        rendered = [dataclasses.replace(data, php_versions=tuple(php)) for data in rendered]
    inputs = _with_releases(rendered, [resolve(p) for p in opencart], project, tuple(Path(p) for p in with_))
    packages = []
    for t, data in zip(targets, inputs, strict=True):
        report = cached_lint(data, chosen, ignored)
        folder = base if t.generation == "3.0" else base / f"opencart-{t.generation}"
        destination = folder / project.zip_name_for(t)
        archive = write_zip(data.tree, destination) if report.at_or_above(level) == 0 else None
        packages.append(PackageBuild(t, data.tree, report, archive, destination))
    report = merge_reports([(p.target.generation, p.report) for p in packages]) if len(packages) > 1 else packages[0].report
    return BuildResult(tuple(packages), report, level)


def _simulate(source: PathLike, opencart: Sequence[PathLike], with_: Sequence[PathLike], target: str | None = None) -> tuple[list[Simulation], LintInput]:
    from .context import Context
    from .releases import resolve

    trees = tuple(resolve(p) for p in opencart)
    data = open_source(source, target=target).inputs[0]
    ctx = Context(LintInput(tree=data.tree, target=data.target, opencart_paths=trees, with_paths=tuple(Path(p) for p in with_)))
    if not ctx.modifications:
        where = "ocmod/*.ocmod.xml" if data.target == "4.1" else "install.xml at the package root"
        raise UsageError(f"no parsable OCMOD modification ({where})" if data.target != "4.0" else "OpenCart 4.0 has no OCMOD: nothing to preview", str(source))
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
    log_file: str = ""  # ocmod.log as that release's Log writes it (with the time of the preview)
    unsupported: tuple[str, ...] = ()  # operations the engine cannot emulate exactly: the rest is its best effort

    @property
    def exact(self) -> bool:
        """True when every operation was emulated exactly."""
        return not self.unsupported

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The package's operations whose search was not found."""
        return tuple(o for o in self.operations if o.status == "not-found")


def preview(source: PathLike, *, opencart: PathLike, with_: Sequence[PathLike] = (), everything: bool = False, target: str | None = None) -> Preview:
    """The files Extensions > Modifications > Refresh would write for ``source`` in ``opencart``:
    those the package changes (``everything``: also those only other modifications change)."""
    sims, data = _simulate(source, (opencart,), with_, target)
    sim, target = sims[0], data.target
    warning = ""
    if sim.tree.version != "unknown" and generation_of(sim.tree.version) != target:
        warning = f"OpenCart {sim.tree.version} is not a {target} release: this package is for OpenCart {target}"
    from .engine import flags_for, log_entry

    if sim.result is None:
        return Preview(version=sim.tree.version, fatal=sim.fatal, warning=warning, unsupported=() if sim.exact else ("an operation before the fatal one could not be emulated",))
    result = sim.result
    ours = tuple(o for o in result.outcomes if sim.is_ours(o.mod))
    touched = {o.key for o in ours if o.status == "applied"}
    files = {k: v for k, v in result.files.items() if everything or k in touched}
    others = tuple(sorted(k for k in result.files if k not in touched))
    originals = {k: result.originals[k] for k in files}
    unsupported = tuple(f"{o.key}: {o.message}" for o in result.unsupported)
    return Preview(
        version=sim.tree.version, files=files, originals=originals, log=result.log_text(), operations=ours, others=others, warning=warning,
        log_file=log_entry(result.log_text(), flags_for(sim.tree.version)), unsupported=unsupported,
    )


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


def matrix(source: PathLike, *, opencart: Sequence[PathLike], target: str | None = None) -> Matrix:
    """The compatibility matrix of ``source``'s install.xml across the given OpenCart trees."""
    sims, _ = _simulate(source, opencart, (), target)
    rows: dict[tuple[int, int, str], dict[str, str]] = {}
    fatal: dict[str, str] = {}
    for sim in sims:
        if sim.result is None:
            fatal[sim.tree.version] = sim.fatal
            continue
        for outcome in sim.result.outcomes:
            if not sim.is_ours(outcome.mod):
                continue
            search = outcome.operation.search.text.strip() if outcome.operation.search is not None else ""
            key = (outcome.operation.line, outcome.operation.col, f"{outcome.key}  {search[:40]}")
            cell = {"applied": ",".join(map(str, outcome.matched)), "ignored": "ignored", "unsupported": "?", "skipped": "skipped"}.get(outcome.status, "-")
            rows.setdefault(key, {})[sim.tree.version] = cell
    return Matrix(versions=tuple(sim.tree.version for sim in sims), rows=rows, fatal=fatal)
