"""``ocmod-forge try``: install a package in a real throwaway OpenCart store and report what it says."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..diagnostics import Report, Severity
from ..formatters import get_formatter
from ._app import main

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "quiet" in ctx.obj:
            return bool(ctx.obj["quiet"])
        ctx = ctx.parent
    return False


def _verbose() -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "verbose" in ctx.obj:
            return bool(ctx.obj["verbose"])
        ctx = ctx.parent
    return False


def info(message: str) -> None:
    """Progress and summary lines: standard error, silenced by --quiet."""
    if not _quiet():
        click.echo(message, err=True)


def _emit(report: Report, fmt: str, output_file: Path | None) -> None:
    name = fmt
    if fmt == "auto":
        name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    formatter = get_formatter(name)
    if name == "text":
        color = output_file is None and os.environ.get("NO_COLOR", "") == "" and sys.stdout.isatty()
        text = formatter(report, color=color, verbose=_verbose())
        if _quiet() and not report.diagnostics:
            text = ""
    else:
        text = formatter(report)
    if output_file is None:
        click.echo(text, nl=False)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"ocmod-forge: error: {output_file}: cannot write report: {exc.strerror}", err=True)
        raise SystemExit(EXIT_ERROR) from None
    info(report.summary())


@main.command("try")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--opencart", "opencart", multiple=True, required=True, metavar="RELEASE", help="OpenCart release: a folder holding upload/, the upload/ folder, or a release zip (repeatable; one store each)."
)
@click.option("--db", "db", default="", metavar="DSN", help="Use this database server (mysql://USER:PASS@HOST:PORT[/DATABASE]) instead of a private MariaDB.")
@click.option("--keep", is_flag=True, help="Leave the store(s) running; print URL and admin login.")
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR", help="Save a PNG of every page opened (needs Chromium).")
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True, help="Lowest severity that makes the exit code 1.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit", "auto"]), default="auto", show_default=True, help="Report format; auto = github under GitHub Actions, else text."
)
@click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the report to this file instead of standard output.")
def try_command(path: Path, opencart: tuple[str, ...], db: str, keep: bool, screenshots: Path | None, fail_on: str, fmt: str, output_file: Path | None) -> None:
    """Install PATH (a project, package folder or .ocmod.zip) in a throwaway OpenCart store per
    --opencart release, as a shop admin would; open its pages; uninstall it; report PHP errors,
    changes that do not show, missing permissions and leftovers (TRY codes)."""
    from ..tryout import TryOptions, run_try

    result = run_try(path, TryOptions(releases=opencart, db_dsn=db, keep=keep, screenshots=screenshots, progress=info))
    _emit(result.report, fmt, output_file)
    info(summary_table(result))
    for store in result.kept:
        info(f"kept OpenCart {store.release}: {store.url} (admin {store.admin_url}, user {store.username}, password {store.password}); files in {store.folder}")
    if result.kept:
        pids = sorted({pid for store in result.kept for pid in store.pids})
        info(f"stop them with: kill {' '.join(map(str, pids))}")
    raise SystemExit(EXIT_FINDINGS if result.report.at_or_above(Severity.parse(fail_on)) else EXIT_OK)


def summary_table(result: object) -> str:
    """One row per release: installed?, pages opened, PHP messages (package/core), leftovers, seconds."""
    from ..tryout import TryResult

    assert isinstance(result, TryResult)
    head = ("release", "installed", "pages", "messages pkg/core", "leftovers", "findings", "seconds")
    rows = [(r.release, "yes" if r.installed else "no", str(r.pages), f"{r.package_messages}/{r.core_messages}", str(r.leftovers), str(r.findings), f"{r.seconds:.1f}") for r in result.runs]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    for r in result.runs:
        lines += [f"note ({r.release}): {n}" for n in r.notes]
    return "\n".join(lines)
