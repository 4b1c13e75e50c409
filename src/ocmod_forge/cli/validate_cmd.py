"""``ocmod-forge validate``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ._app import EXIT_FINDINGS, EXIT_OK, emit, fail_level, main, output_options, split


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("."), required=False)
@click.option("--target", type=click.Choice(["3.0"]), default=None, help="OpenCart series to check against (default: the project's, else 3.0).")
@click.option("--opencart", "opencart", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH",
              help="OpenCart store root, release upload/ folder or release zip to check anchors against (repeatable).")
@click.option("--with", "with_", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH",
              help="Other modifications (zip, xml or folder) to apply together, for conflicts (repeatable).")
@output_options
def validate(
    path: Path,
    target: str | None,
    opencart: tuple[Path, ...],
    with_: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fmt: str,
    output_file: Path | None,
) -> int:
    """Check PATH — a project (rendered first), a package folder, or an .ocmod.zip —
    with the same rules and codes as build."""
    data, project = api.open_source(path, target=target, opencart=opencart, with_=with_)
    report = api.check(data, project, select=split(select), ignore=split(ignore))
    emit(report, fmt, output_file)
    level = fail_level(fail_on, project.lint.fail_on if project is not None else None)
    return EXIT_FINDINGS if report.at_or_above(level) else EXIT_OK
