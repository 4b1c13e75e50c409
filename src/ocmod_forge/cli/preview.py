"""``ocmod-forge preview``: the files OpenCart's Refresh would write, as diffs or a folder."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..errors import OpenCartTreeError, OutputError
from . import EXIT_FINDINGS, _fail, info, main, validation_context


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--opencart", "opencart", required=True, type=click.Path(exists=True, path_type=Path), metavar="PATH", help="OpenCart store root, release upload/ folder or release zip.")
@click.option("--with", "with_", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH", help="Other modifications installed in the store (repeatable).")
@click.option("--diff/--no-diff", default=True, show_default=True, help="Print unified diffs against the original files.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Write the files as OpenCart would, under this folder "
              "(like system/storage/modification/), plus ocmod.log.")
def preview(path: Path, opencart: Path, with_: tuple[Path, ...], diff: bool, out: Path | None) -> None:
    """Show what Extensions > Modifications > Refresh would write for PATH (a project, package
    folder or .ocmod.zip) in the OpenCart tree given with --opencart."""
    ctx, _ = validation_context(path, None)
    manifest = ctx.manifest
    if manifest is None:
        _fail(f"{path}: no parsable install.xml at the package root")
    from ..simulate import simulate  # the engine loads only for the commands that use it

    sim = simulate(manifest, (opencart,), with_)[0]
    if sim.result is None:
        click.echo(f"OpenCart {sim.tree.version}: Refresh dies with a fatal error: {sim.fatal}", err=True)
        raise SystemExit(EXIT_FINDINGS)
    result = sim.result
    now = time.localtime()  # PHP date('Y-m-d G:i:s'): the hour has no leading zero
    log = time.strftime("%Y-%m-%d ", now) + f"{now.tm_hour}:" + time.strftime("%M:%S", now) + " - " + result.log_text() + "\n"
    if out is not None:
        try:
            for key, text in sorted(result.files.items()):
                target = out / key
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode("utf-8", "surrogateescape"))
            (out / "ocmod.log").write_text(log, encoding="utf-8", errors="surrogateescape")
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", str(exc.filename or out)) from None
        info(f"wrote {len(result.files)} files and ocmod.log to {out} (OpenCart {sim.tree.version})", err=True)
    if diff:
        import difflib

        for key, text in sorted(result.files.items()):
            before = result.originals[key].splitlines(keepends=True)
            after = text.splitlines(keepends=True)
            click.echo("".join(difflib.unified_diff(before, after, f"a/{key}", f"b/system/storage/modification/{key}")), nl=False)
    if out is None:
        click.echo(log, err=True, nl=False)
    ours = [o for o in result.outcomes if o.mod == sim.ours_index]
    failed = [o for o in ours if o.status == "not-found"]
    info(f"OpenCart {sim.tree.version}: {len(result.files)} files changed; {len(ours) - len(failed)} of {len(ours)} operations of this package applied", err=True)
    if failed:
        raise SystemExit(EXIT_FINDINGS)


__all__ = ["OpenCartTreeError", "preview"]


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--opencart", "opencart", required=True, multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH", help="OpenCart trees to compare (repeatable).")
def matrix(path: Path, opencart: tuple[Path, ...]) -> None:
    """Compatibility matrix of PATH's install.xml: for every operation and every OpenCart tree
    given, the lines of the target file it acts on ('-' when its search is not found)."""
    ctx, _ = validation_context(path, None)
    manifest = ctx.manifest
    if manifest is None:
        _fail(f"{path}: no parsable install.xml at the package root")
    from ..simulate import simulate

    sims = simulate(manifest, opencart, ())
    rows: dict[tuple[int, int, str], dict[str, str]] = {}
    versions = [sim.tree.version for sim in sims]
    for sim in sims:
        if sim.result is None:
            continue
        for outcome in sim.result.outcomes:
            if outcome.mod != sim.ours_index:
                continue
            search = outcome.operation.search.text.strip() if outcome.operation.search is not None else ""
            key = (outcome.operation.line, outcome.operation.col, f"{outcome.key}  {search[:40]}")
            cell = ",".join(map(str, outcome.matched)) if outcome.status == "applied" else ("ignored" if outcome.status == "ignored" else "-")
            rows.setdefault(key, {})[sim.tree.version] = cell
    width = max([len(v) for v in versions] + [len(c) for cells in rows.values() for c in cells.values()] + [6])
    click.echo("operation".ljust(60) + "".join(v.rjust(width + 2) for v in versions))
    missing = 0
    for (line, col, label), cells in sorted(rows.items()):
        click.echo(f"{line}:{col} {label}"[:60].ljust(60) + "".join(cells.get(v, "?").rjust(width + 2) for v in versions))
        missing += sum(1 for v in versions if cells.get(v, "-") == "-")
    for sim in sims:
        if sim.result is None:
            click.echo(f"OpenCart {sim.tree.version}: Refresh dies with a fatal error: {sim.fatal}", err=True)
    if missing or any(sim.result is None for sim in sims):
        raise SystemExit(EXIT_FINDINGS)
