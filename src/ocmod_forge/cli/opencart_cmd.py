"""``ocmod-forge opencart``: the release cache (OpenCart releases to check packages against)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import releases
from ._app import info, main, rel


@main.group(
    short_help="Keep OpenCart releases to check against.",
    epilog="""\b
Examples:
  ocmod-forge opencart add 3.0.3.8                       # download it from GitHub
  ocmod-forge opencart add 4.1.0.4 --from opencart-4.1.0.4.zip
  ocmod-forge opencart list
  ocmod-forge validate . --opencart 3.0.3.8              # or name them in opencart.releases""",
)
def opencart() -> None:
    """OpenCart releases kept in ocmod-forge's cache, by version. Projects name them in
    opencart.releases; --opencart takes a version as well as a path."""


@opencart.command("add")
@click.argument("version")
@click.option("--from", "source", type=click.Path(exists=True, path_type=Path), default=None, metavar="ZIP_OR_FOLDER",
              help="A release zip as published, or a release folder (its root or upload/); default: download it from GitHub.")
@click.option("--force", is_flag=True, help="Replace the release if it is already in the cache.")
def add(version: str, source: Path | None, force: bool) -> None:
    """Add OpenCart VERSION (e.g. 3.0.3.8) to the release cache."""
    release = releases.add(version, source, force=force)
    info(f"OpenCart {release.version}: {rel(release.path)}")


@opencart.command("list")
def list_() -> None:
    """The releases in the cache."""
    found = releases.cached()
    for release in found:
        click.echo(f"{release.version}  {release.path}")
    info(f"{len(found)} release{'s' if len(found) != 1 else ''} in {releases.releases_dir()}", err=True)


@opencart.command("remove")
@click.argument("version")
def remove(version: str) -> None:
    """Remove OpenCart VERSION from the release cache."""
    info(f"removed OpenCart {version}" if releases.remove(version) else f"OpenCart {version} was not in the cache")
