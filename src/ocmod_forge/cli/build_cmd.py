"""``ocmod-forge build``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from .. import api
from ..errors import UsageError
from ..project import PROJECT_FILE, Project, bundled_project_file, find_project
from ._app import EXIT_FINDINGS, EXIT_OK, emit, fail_level, info, main, output_options, rel, split


def _load(path: Path | None) -> Project:
    """The project for PATH (file or folder), else ./ocmod-forge.yaml, else the bundled MesChain."""
    if path is not None:
        found = find_project(path)
        if found is None:
            raise UsageError("no such file or folder" if not path.exists() else f"no {PROJECT_FILE} in this folder", str(path))
        return api.load_project(found)
    found = find_project(Path.cwd())
    if found is not None:
        return api.load_project(found)
    info(f"ocmod-forge: no {PROJECT_FILE} here; building the bundled MesChain-Sync Enterprise project", err=True)
    project = api.load_project(bundled_project_file())
    # The bundled project lives inside the installation: write into ./dist instead.
    return dataclasses.replace(project, output=Path.cwd() / "dist")


@main.command()
@click.argument("project_path", metavar="[PROJECT]", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder for the zip (default: the project's package.output).")
@output_options
def build(
    project_path: Path | None,
    output_dir: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fmt: str,
    output_file: Path | None,
) -> int:
    """Render PROJECT (a project file or folder; default ./ocmod-forge.yaml, else the bundled
    MesChain project), check it, and write a reproducible .ocmod.zip plus its .sha256."""
    select, ignore = split(select), split(ignore)
    project = _load(project_path)
    for marketplace in project.marketplaces:
        if marketplace.notice:
            state = "enabled" if marketplace.enabled else "disabled"
            info(f"note: {marketplace.label} ({state}): {marketplace.notice}", err=True)
    level = fail_level(fail_on, project.lint.fail_on)
    result = api.build(project, output=output_dir, select=select, ignore=ignore, fail_on=level)
    emit(result.report, fmt, output_file)
    if result.archive is None:
        click.echo(f"ocmod-forge: not written: {result.destination} (findings at or above {level.label})", err=True)
        return EXIT_FINDINGS
    archive = result.archive
    info(f"built {rel(archive.path)} ({archive.entries} entries, {archive.size:,} bytes)")
    info(f"sha256 {archive.sha256}  {rel(archive.path)} (also in {rel(archive.sha256_path)})")
    return EXIT_OK
