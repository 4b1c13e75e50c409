"""``ocmod-forge init``."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from ..scaffold import SCAFFOLDS, TARGETS, create
from ._app import info, main


@main.command(
    short_help="Start a new project that builds and validates at once.",
    epilog="""\b
Examples:
  ocmod-forge init my_module                    # an OpenCart 3.0 module
  ocmod-forge init my_module --target 4.1       # an OpenCart 4.1 module
  ocmod-forge init my_module --target 4.x       # one project, a package for 4.0 and one for 4.1
  ocmod-forge init mc --template meschain       # a copy of the bundled MesChain project (3.0, 4.0, 4.1)
  ocmod-forge init mc --template meschain --target 4.1   # the same, building only the 4.1 package""",
)
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--template", type=click.Choice(SCAFFOLDS), default="blank", show_default=True,
              help="blank: a minimal module (settings page, model, install/uninstall, SQL; 3.0: one OCMOD change, 4.x: an event; see --target); "
                   "meschain: the bundled MesChain project (OpenCart 3.0, 4.0 and 4.1).")
@click.option("--target", "opencart", type=click.Choice(TARGETS), default=None,
              help="The project's OpenCart: 3.0 (the blank project's default); 4.0 (4.0.2.0 and later) or 4.1 (settings page, event, install.json); "
                   "4.x for both 4.0 and 4.1. The meschain project ships for all three unless narrowed.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, template: str, opencart: str | None, force: bool) -> None:
    """Create a new project in DIRECTORY (default: here) that builds and validates right away."""
    written = create(template, directory, force=force, opencart=opencart)
    where = os.path.relpath(directory)
    info(f"created {len(written)} files in {where}; next: ocmod-forge build {shlex.quote(where)}")
