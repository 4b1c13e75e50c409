"""``ocmod-forge init``."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from ..scaffold import SCAFFOLDS, create
from ._app import info, main


@main.command(
    short_help="Start a new project that builds and validates at once.",
    epilog="""\b
Examples:
  ocmod-forge init my_module                    # an OpenCart 3.0 module
  ocmod-forge init mc --template meschain       # a copy of the bundled MesChain project""",
)
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--template", type=click.Choice(SCAFFOLDS), default="blank", show_default=True,
              help="blank: a minimal OpenCart 3.0 module (settings page, model, install/uninstall, SQL, one OCMOD change); meschain: a copy of the bundled MesChain project.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, template: str, force: bool) -> None:
    """Create a new project in DIRECTORY (default: here) that builds and validates right away."""
    written = create(template, directory, force=force)
    where = os.path.relpath(directory)
    info(f"created {len(written)} files in {where}; next: ocmod-forge build {shlex.quote(where)}")
