"""``ocmod-forge build``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from .. import api
from ..errors import UsageError
from ..project import PROJECT_FILE, Project, bundled_project_file, find_project
from ._app import EXIT_FINDINGS, EXIT_OK, check_options, emit, fail_level, info, main, output_options, rel, split

_PACKAGE_SUFFIXES = (".zip", ".xml")


def load_for_build(path: Path | None, require_project: bool) -> Project:
    """The project for PATH (file or folder), else ./ocmod-forge.yaml, else — only for a person
    running a bare ``ocmod-forge build`` — the bundled MesChain project (said on every run)."""
    if path is not None:
        if path.is_file() and path.name.lower().endswith(_PACKAGE_SUFFIXES):
            raise UsageError(f"this is a package, not a project: check it with `ocmod-forge validate {rel(path)}`", str(path))
        found = find_project(path)
        if found is None:
            raise UsageError("no such file or folder" if not path.exists() else f"no {PROJECT_FILE} in this folder", str(path))
        return api.load_project(found)
    found = find_project(Path.cwd())
    if found is not None:
        return api.load_project(found)
    if require_project:
        raise UsageError(f"no {PROJECT_FILE} here; give the project folder (for example `ocmod-forge build ext/`, or `args: [ext]` in a pre-commit hook)", ".")
    # Said even with --quiet: a person must never mistake the example for their own package.
    click.echo(f"ocmod-forge: no {PROJECT_FILE} here; building the bundled MesChain-Sync Enterprise example into ./dist", err=True)
    project = api.load_project(bundled_project_file())
    # The bundled project lives inside the installation: write into ./dist instead.
    return dataclasses.replace(project, output=Path.cwd() / "dist")


@main.command(
    short_help="Render, check and zip a project.",
    epilog="""\b
Examples:
  ocmod-forge build                      # ./ocmod-forge.yaml (or the bundled example)
  ocmod-forge build ext/ -o dist/        # the project in ext/, zip into dist/
  ocmod-forge build --fail-on warning --sarif ocmod-forge.sarif""",
)
@click.argument("project_path", metavar="[PROJECT]", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the zips (default: the project's package.output; 4.x packages go into opencart-4.0/ and opencart-4.1/ below it).")
@click.option("--target", type=click.Choice(["3.0", "4.0", "4.1"]), default=None, help="Build only this target of the project (default: every target).")
@check_options
@click.option("--require-project", is_flag=True, help="Fail when there is no project file instead of building the bundled example (hooks and CI use this).")
@output_options
def build(
    project_path: Path | None,
    output_dir: Path | None,
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
    """Render PROJECT (a project file or folder; default ./ocmod-forge.yaml), check it with every
    rule, and write a reproducible .ocmod.zip plus its .sha256.

    With no project file here, a bare `ocmod-forge build` builds the bundled MesChain-Sync
    Enterprise example (and says so); --require-project turns that into an error."""
    select, ignore = split(select), split(ignore)
    project = load_for_build(project_path, require_project)
    for marketplace in project.marketplaces:
        if marketplace.notice:
            state = "enabled" if marketplace.enabled else "disabled"
            info(f"note: {marketplace.label} ({state}): {marketplace.notice}", err=True)
    level = fail_level(fail_on, project.lint.fail_on)
    result = api.build(project, output=output_dir, target=target, select=select, ignore=ignore, fail_on=level, opencart=opencart, with_=with_, php=php)
    emit(result.report, fmt, output_file, level, {"sarif": sarif_file, "junit": junit_file, "json": json_file})
    for package in result.packages:
        label = f"OpenCart {package.target.label}"
        if package.archive is None:
            click.echo(f"ocmod-forge: not written: {rel(package.destination)} for {label} (findings at or above {level.label})", err=True)
            continue
        archive = package.archive
        info(f"built {rel(archive.path)} for {label} ({archive.entries} entries, {archive.size:,} bytes)")
        info(f"sha256 {archive.sha256}  {rel(archive.path)} (also in {rel(archive.sha256_path)})")
    return EXIT_FINDINGS if result.refused else EXIT_OK
