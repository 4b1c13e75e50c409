"""``ocmod-forge preview`` and ``ocmod-forge matrix``: what Refresh would do, per OpenCart tree."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import click

from .. import api
from ..errors import OutputError
from ._app import EXIT_FINDINGS, EXIT_OK, info, main


@main.command(
    short_help="Show what Refresh would write in an OpenCart tree.",
    epilog="""\b
Examples:
  ocmod-forge preview . --opencart ~/opencart-3.0.3.8.zip             # diffs of the changed files
  ocmod-forge preview dist/x.ocmod.zip --opencart store/ -o modified/  # the files and ocmod.log""",
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--opencart", "opencart", required=True, metavar="RELEASE", help="A version from the release cache (3.0.3.8), a store root, release upload/ folder or release zip.")
@click.option("--with", "with_", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH", help="Other modifications installed in the store (repeatable).")
@click.option("--diff/--no-diff", default=True, show_default=True, help="Print unified diffs against the original files.")
@click.option("--target", type=click.Choice(["3.0", "4.0", "4.1"]), default=None, help="Which target of a project (default: its first), or the generation of a package (default: from its layout).")
@click.option("--all", "everything", is_flag=True, help="Also show files only other modifications change (OpenCart's own system/modification.xml, --with).")
@click.option("-o", "--output-dir", "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the files as OpenCart would, under this folder (like system/storage/modification/), plus ocmod.log.")
def preview(path: Path, opencart: str, with_: tuple[Path, ...], diff: bool, target: str | None, everything: bool, out: Path | None) -> int:
    """Show what Extensions > Modifications > Refresh would write for PATH (a project, package
    folder or .ocmod.zip) in the OpenCart tree given with --opencart: by default the files the
    package's own operations change."""
    result = api.preview(path, opencart=opencart, with_=with_, everything=everything, target=target)
    if result.warning:
        click.echo(f"ocmod-forge: warning: {result.warning}", err=True)
    if result.fatal:
        click.echo(f"OpenCart {result.version}: Refresh dies with a fatal error: {result.fatal}", err=True)
        return EXIT_FINDINGS
    log = result.log_file
    for message in result.unsupported:
        click.echo(f"ocmod-forge: warning: not emulated exactly (the result is the engine's best effort): {message}", err=True)
    if out is not None:
        try:
            for key, text in sorted(result.files.items()):
                written = out / key
                written.parent.mkdir(parents=True, exist_ok=True)
                written.write_bytes(text.encode("utf-8", "surrogateescape"))
            (out / "ocmod.log").write_text(log, encoding="utf-8", errors="surrogateescape")
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", str(exc.filename or out)) from None
        info(f"wrote {len(result.files)} files and ocmod.log to {out} (OpenCart {result.version})", err=True)
    if diff:
        for key, text in sorted(result.files.items()):
            before = result.originals[key].splitlines(keepends=True)
            after = text.splitlines(keepends=True)
            click.echo("".join(difflib.unified_diff(before, after, f"a/{key}", f"b/system/storage/modification/{key}")), nl=False)
    if out is None:
        click.echo(log, err=True, nl=False)
    applied = len(result.operations) - len(result.failed)
    info(f"OpenCart {result.version}: {len(result.files)} files changed; {applied} of {len(result.operations)} operations of this package applied", err=True)
    if result.others and not everything:
        info(f"({len(result.others)} more files are changed by other modifications only; --all shows them)", err=True)
    return EXIT_FINDINGS if result.failed else EXIT_OK


@main.command(
    short_help="Compatibility matrix across OpenCart releases.",
    epilog="""\b
Examples:
  ocmod-forge matrix . --opencart opencart-3.0.2.0.zip --opencart opencart-3.0.3.8.zip
  ocmod-forge matrix dist/x.ocmod.zip --opencart store/ --format json""",
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--opencart", "opencart", required=True, multiple=True, metavar="RELEASE", help="OpenCart releases to compare: versions from the release cache or paths (repeatable).")
@click.option("--target", type=click.Choice(["3.0", "4.0", "4.1"]), default=None, help="Which target of a project (default: its first), or the generation of a package (default: from its layout).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def matrix(path: Path, opencart: tuple[str, ...], target: str | None, fmt: str) -> int:
    """Compatibility matrix of PATH's install.xml: for every operation and every OpenCart tree
    given, the lines of the target file it acts on ('-' when its search is not found)."""
    table = api.matrix(path, opencart=opencart, target=target)
    versions = table.versions
    if fmt == "json":
        rows = [{"line": line, "col": col, "operation": label, "cells": {v: cells.get(v, "?") for v in versions}} for (line, col, label), cells in sorted(table.rows.items())]
        click.echo(json.dumps({"versions": list(versions), "operations": rows, "fatal": table.fatal}, indent=2, ensure_ascii=False))
        return EXIT_FINDINGS if table.missing or table.fatal else EXIT_OK
    width = max([len(v) for v in versions] + [len(c) for cells in table.rows.values() for c in cells.values()] + [6])
    click.echo("operation".ljust(60) + "".join(v.rjust(width + 2) for v in versions))
    for (line, col, label), cells in sorted(table.rows.items()):
        click.echo(f"{line}:{col} {label}"[:60].ljust(60) + "".join(cells.get(v, "?").rjust(width + 2) for v in versions))
    for version, why in sorted(table.fatal.items()):
        click.echo(f"OpenCart {version}: Refresh dies with a fatal error: {why}", err=True)
    return EXIT_FINDINGS if table.missing or table.fatal else EXIT_OK
