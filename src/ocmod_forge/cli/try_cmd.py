"""``ocmod-forge try``: install a package in real throwaway OpenCart stores and report what they say."""

from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import Severity
from ._app import EXIT_FINDINGS, EXIT_OK, emit, info, main


@main.command(
    "try",
    short_help="Install a package in real throwaway OpenCart stores.",
    epilog="""\b
Examples:
  ocmod-forge try dist/my_ext-v1.0.0.ocmod.zip --opencart 3.0.3.8
  ocmod-forge try . --opencart 3.0.3.8 --opencart ~/opencart-3.0.5.1.zip   # a project: built first
  ocmod-forge try my_ext.ocmod.zip --opencart 4.1.0.4 --keep               # look around afterwards
  ocmod-forge try . --opencart 3.0.3.8 --db mysql://root:pw@127.0.0.1:3306 --format sarif --report-file try.sarif""",
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--opencart", "opencart", multiple=True, required=True, metavar="RELEASE",
              help="OpenCart release: a version from the release cache (3.0.3.8), a release folder (holding upload/, or upload/ itself) or a release zip "
                   "(repeatable; one store each, one after another).")  # fmt: skip
@click.option("--db", "db", default="", metavar="DSN",
              help="Use this MariaDB/MySQL server (mysql://USER:PASS@HOST:PORT[/DATABASE]) instead of a private one started for the run.")  # fmt: skip
@click.option("--keep", is_flag=True, help="Leave the stores running afterwards; print their URLs and admin logins.")
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR", help="Save a PNG of every page opened (needs Chromium).")
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit", "auto"]), default="auto", show_default=True,
              help="Report format on standard output; auto = github under GitHub Actions, else text.")  # fmt: skip
@click.option("--sarif", "sarif_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE", help="Also write the report as SARIF to FILE.")
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE", help="Also write the report as JUnit XML to FILE.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE", help="Also write the report as JSON to FILE.")
@click.option("--report-file", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Write the --format report to FILE instead of standard output.")  # fmt: skip
def try_command(
    path: Path,
    opencart: tuple[str, ...],
    db: str,
    keep: bool,
    screenshots: Path | None,
    fail_on: str,
    fmt: str,
    sarif_file: Path | None,
    junit_file: Path | None,
    json_file: Path | None,
    output_file: Path | None,
) -> int:
    """Install PATH (a project, package folder or .ocmod.zip) in a throwaway OpenCart store per
    --opencart release, as a shop admin would; open its pages and the core pages it changes;
    uninstall it; report PHP errors, changes that do not show, missing permissions and
    leftovers (TRY codes), with a summary table per release on standard error."""
    from .. import releases
    from ..tryout import TryOptions, run_try

    options = TryOptions(releases=opencart, db_dsn=db, keep=keep, screenshots=screenshots, resolver=releases.resolve, progress=lambda m: info(m, err=True))
    result = run_try(path, options)
    level = Severity.parse(fail_on)
    emit(result.report, fmt, output_file, level, {"sarif": sarif_file, "junit": junit_file, "json": json_file})
    info(summary_table(result), err=True)
    for store in result.kept:
        info(f"kept OpenCart {store.release}: {store.url} (admin {store.admin_url}, user {store.username}, password {store.password}); files in {store.folder}", err=True)
    if result.kept:
        pids = sorted({pid for store in result.kept for pid in store.pids})
        info(f"stop them with: kill {' '.join(map(str, pids))}", err=True)
    return EXIT_FINDINGS if result.report.at_or_above(level) else EXIT_OK


def summary_table(result: object) -> str:
    """One row per release: installed?, pages opened, PHP messages (package/core), leftovers,
    findings, seconds; then the notes (repairs made to the throwaway copy)."""
    from ..tryout import TryResult

    assert isinstance(result, TryResult)
    head = ("release", "installed", "pages", "messages pkg/core", "leftovers", "findings", "seconds")
    rows = [(r.release, "yes" if r.installed else "no", str(r.pages), f"{r.package_messages}/{r.core_messages}", str(r.leftovers), str(r.findings), f"{r.seconds:.1f}") for r in result.runs]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    for r in result.runs:
        lines += [f"note ({r.release}): {n}" for n in r.notes]
    return "\n".join(lines)
