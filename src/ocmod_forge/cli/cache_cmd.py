"""``ocmod-forge cache``: where the cache is, what it holds, and clearing it."""

from __future__ import annotations

import click

from .. import cache as store
from ._app import info, main


@main.command(
    "cache",
    short_help="Show or clear ocmod-forge's cache.",
    epilog="""\\b
Examples:
  ocmod-forge cache           # where it is, what it holds
  ocmod-forge cache --clear""",
)
@click.option("--clear", is_flag=True, help="Remove everything ocmod-forge cached (it is rebuilt on the next run).")
def cache_command(clear: bool) -> None:
    """Show where ocmod-forge keeps its cache and what it holds, or clear it."""
    root = store.cache_root()
    if clear:
        removed = store.clear()
        info(f"removed {removed} files from {root}")
        return
    state = "on" if store.enabled() else "off (OCMOD_FORGE_NO_CACHE is set)"
    click.echo(f"cache: {root} ({state})")
    for kind, (files, size) in store.usage().items():
        click.echo(f"  {kind:<9} {files:>6} files {size / 1024:>10.1f} KiB  {store.KINDS[kind]}")
