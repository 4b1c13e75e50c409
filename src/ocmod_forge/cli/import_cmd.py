"""``ocmod-forge import``."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from ._app import info, main


@main.command(
    name="import",
    short_help="Turn an existing .ocmod.zip into a project.",
    epilog="""\b
Examples:
  ocmod-forge import legacy.ocmod.zip legacy/          # an OpenCart 3.0 package (install.xml, upload/)
  ocmod-forge import my_ext.ocmod.zip my_ext/          # an OpenCart 4.x package (install.json): the project targets 4.0 or 4.1
  ocmod-forge build legacy/                            # rebuilds the same files""",
)
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def import_(package: Path, directory: Path, force: bool) -> None:
    """Turn PACKAGE (.ocmod.zip) into a project in DIRECTORY whose build reproduces its files."""
    from ..importer import import_package  # imported per command: keeps `build` startup short

    result = import_package(package, directory, force=force)
    for path, why in result.skipped:
        click.echo(f"skipped: {path}: {why}", err=True)
    for change in result.adjusted:
        click.echo(f"adjusted: {change}", err=True)
    where = os.path.relpath(directory)
    info(f"imported {len(result.files)} files into {where}; next: ocmod-forge build {shlex.quote(where)}")
