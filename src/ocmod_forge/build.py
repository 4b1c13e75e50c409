"""The build pipeline: project → rendered tree → checks → reproducible zip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .archive import ArchiveResult, write_zip
from .diagnostics import Report, Severity
from .project import Project
from .render import render_project
from .reportcache import cached_lint
from .rules.base import Context
from .tree import PackageTree


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the tree, the report, and the archive (None when refused)."""

    tree: PackageTree
    report: Report
    archive: ArchiveResult | None
    destination: Path


def project_context(project: Project, *, options: dict[str, object] | None = None) -> Context:
    """Render a project and wrap it in a lint context (used by both build and validate)."""
    rendered = render_project(project)
    return Context(
        tree=rendered.tree,
        target=project.target,
        project=project,
        sql_files=rendered.sql_files,
        package_name=project.zip_name,
        options=dict(options or {}),
    )


def build(
    project: Project,
    *,
    output: Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    fail_on: Severity = Severity.ERROR,
) -> BuildResult:
    """Render, check and (when nothing is at or above ``fail_on``) write the zip."""
    ctx = project_context(project)
    # The command line's --select replaces the project's; --ignore adds to it.
    report = cached_lint(ctx, select or project.lint.select, tuple(project.lint.ignore) + tuple(ignore))
    destination = (output or project.output) / project.zip_name
    archive = None
    if report.at_or_above(fail_on) == 0:
        archive = write_zip(ctx.tree, destination)
    return BuildResult(tree=ctx.tree, report=report, archive=archive, destination=destination)
