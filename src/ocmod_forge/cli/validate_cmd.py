"""``ocmod-forge validate``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..errors import UsageError
from ..project import PROJECT_FILE, find_project
from ._app import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, check_options, emit, fail_level, main, output_options, split

# Findings that mean the package could not be read at all: input errors (exit 2), reported in
# the chosen format as well so CI shows them where it shows the others.
_UNREADABLE = frozenset({"PKG101"})


@main.command(
    short_help="Check a project, package folder or .ocmod.zip.",
    epilog="""\b
Examples:
  ocmod-forge validate .                                   # a project (rendered first)
  ocmod-forge validate dist/my_ext-v1.0.0.ocmod.zip --format sarif --report-file out.sarif
  ocmod-forge validate . --opencart ~/opencart-3.0.3.8.zip # anchors against a release
  ocmod-forge validate . --select SQL,SEC --ignore SEC003""",
)
@click.argument("path", type=click.Path(path_type=Path), default=Path("."), required=False)
@click.option("--target", type=click.Choice(["3.0", "4.0", "4.1"]), default=None,
              help="OpenCart generation to check for (default: a project's targets; a package's layout).")
@check_options
@click.option("--require-project", is_flag=True, help="PATH must be a project: fail instead of checking a folder as a package (hooks and CI use this).")
@output_options
def validate(
    path: Path,
    target: str | None,
    opencart: tuple[str, ...],
    with_: tuple[Path, ...],
    php: tuple[str, ...],
    require_project: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fmt: str,
    output_file: Path | None,
    sarif_file: Path | None,
    junit_file: Path | None,
    json_file: Path | None,
) -> int:
    """Check PATH — a project (rendered first), a package folder, or an .ocmod.zip —
    with the same rules and codes as build. An unreadable zip exits 2."""
    if require_project and find_project(path) is None:
        raise UsageError(f"no {PROJECT_FILE} here; give the project folder (for example `args: [ext]` in a pre-commit hook)", str(path))
    source = api.open_source(path, target=target, opencart=opencart, with_=with_, php=php)
    if source.note:
        click.echo(f"ocmod-forge: note: {source.note}", err=True)
    report = api.check(source, select=split(select), ignore=split(ignore))
    level = fail_level(fail_on, source.project.lint.fail_on if source.project is not None else None)
    emit(report, fmt, output_file, level, {"sarif": sarif_file, "junit": junit_file, "json": json_file})
    if any(d.code in _UNREADABLE for d in report.diagnostics):
        return EXIT_ERROR
    return EXIT_FINDINGS if report.at_or_above(level) else EXIT_OK
