"""The command line. The only package that prints or exits.

Exit codes: 0 nothing at or above the fail level; 1 findings at or above it; 2 usage,
project, read or internal error.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from .. import __version__
from ..build import build as run_build
from ..build import project_context
from ..diagnostics import Report, Severity
from ..errors import ForgeError, SelectionError
from ..formatters import FORMATTERS, get_formatter
from ..project import PROJECT_FILE, Project, bundled_project_file, find_project, load_project
from ..reportcache import cached_lint
from ..rules.base import Context
from ..tree import read_folder

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

F = TypeVar("F", bound=Callable[..., object])


def _color_enabled(stream: object = None) -> bool:
    if os.environ.get("NO_COLOR", "") != "":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def _fail(message: str) -> NoReturn:
    click.echo(f"ocmod-forge: error: {message}", err=True)
    raise SystemExit(EXIT_ERROR)


def _internal_error(exc: BaseException, debug: bool) -> NoReturn:
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if debug:
        click.echo(trace, err=True, nl=False)
        raise SystemExit(EXIT_ERROR)
    fd, path = tempfile.mkstemp(prefix="ocmod-forge-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(trace)
    click.echo(
        f"ocmod-forge: internal error: {type(exc).__name__}: {exc} (full trace in {path}; rerun with --debug to show it)",
        err=True,
    )
    raise SystemExit(EXIT_ERROR)


class _Group(click.Group):
    """Turns library errors into one-line messages and exit code 2, everywhere."""

    def invoke(self, ctx: click.Context) -> object:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except ForgeError as exc:
            for line in str(exc).splitlines():
                click.echo(f"ocmod-forge: error: {line}", err=True)
            raise SystemExit(EXIT_ERROR) from None
        except SelectionError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("ocmod-forge: interrupted", err=True)
            raise SystemExit(EXIT_ERROR) from None
        except (SystemExit, click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            _internal_error(exc, debug)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ocmod-forge")
@click.option("--debug", is_flag=True, help="Show full tracebacks for internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings and errors (no notes, no build lines, no summary when clean).")
@click.option("-v", "--verbose", is_flag=True, help="Also print each finding's hint and the skipped checks' reasons.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool, verbose: bool) -> None:
    """Build and validate OpenCart extension packages (.ocmod.zip).

    Colours are used on a terminal unless NO_COLOR is set. Exit codes: 0 clean, 1 findings at or
    above --fail-on, 2 usage, project, template, read or internal error.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    ctx.obj = {"quiet": quiet, "verbose": verbose}


def _flag(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and name in ctx.obj:
            return bool(ctx.obj[name])
        ctx = ctx.parent
    return False


def info(message: str, err: bool = False) -> None:
    """Informational output, silenced by --quiet."""
    if not _flag("quiet"):
        click.echo(message, err=err)


def _output_options(f: F) -> F:
    f = click.option("--select", "select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes or names (repeatable, comma-separated).")(f)
    f = click.option("--ignore", "ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or names (repeatable, comma-separated).")(f)
    f = click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "info"]), default=None, help="Lowest severity that makes the exit code 1 "
                     "(default: the project's lint.fail_on, else error).")(f)
    f = click.option("--format", "fmt", type=click.Choice([*sorted(FORMATTERS), "auto"]), default="auto", show_default=True, help="Report format; auto = github under GitHub Actions, else text.")(f)
    return click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the report to this file instead of standard output.")(f)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def _resolve_format(fmt: str) -> str:
    if fmt == "auto":
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATTERS else "text"
    return fmt


def _emit(report: Report, fmt: str, output_file: Path | None) -> None:
    name = _resolve_format(fmt)
    formatter = get_formatter(name)
    color = name == "text" and output_file is None and _color_enabled()
    if name == "text":
        text = formatter(report, color=color, verbose=_flag("verbose"))
        if _flag("quiet") and not report.diagnostics:
            text = ""
    else:
        text = formatter(report)
    if output_file is None:
        click.echo(text, nl=False)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output_file}: cannot write report: {exc.strerror}")
    info(report.summary(), err=True)


def _load(path: Path | None) -> Project:
    """The project for PATH (file or folder), else ./ocmod-forge.yaml, else the bundled MesChain."""
    if path is not None:
        found = find_project(path)
        if found is None:
            if not path.exists():
                _fail(f"{path}: no such file or folder")
            _fail(f"{path}: no {PROJECT_FILE} in this folder")
        return load_project(found)
    found = find_project(Path.cwd())
    if found is not None:
        return load_project(found)
    bundled = bundled_project_file()
    info(f"ocmod-forge: no {PROJECT_FILE} here; building the bundled MesChain-Sync Enterprise project", err=True)
    project = load_project(bundled, bundled=True)
    # The bundled project lives inside the installation: write into ./dist instead.
    return dataclasses.replace(project, output=Path.cwd() / "dist")


def _fail_level(cli_value: str | None, project: Project | None) -> Severity:
    if cli_value:
        return Severity.parse(cli_value)
    if project is not None:
        return Severity.parse(project.lint.fail_on)
    return Severity.ERROR


@main.command()
@click.argument("project_path", metavar="[PROJECT]", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder for the zip (default: the project's package.output).")
@_output_options
def build(
    project_path: Path | None,
    output_dir: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fmt: str,
    output_file: Path | None,
) -> None:
    """Render PROJECT (a project file or folder; default ./ocmod-forge.yaml, else the bundled
    MesChain project), check it, and write a reproducible .ocmod.zip plus its .sha256."""
    select, ignore = _split(select), _split(ignore)
    _check_selectors(select + ignore)
    project = _load(project_path)
    for marketplace in project.marketplaces:
        if marketplace.notice:
            state = "enabled" if marketplace.enabled else "disabled"
            info(f"note: {marketplace.label} ({state}): {marketplace.notice}", err=True)
    level = _fail_level(fail_on, project)
    result = run_build(project, output=output_dir, select=select, ignore=ignore, fail_on=level)
    _emit(result.report, fmt, output_file)
    if result.archive is None:
        click.echo(f"ocmod-forge: not written: {result.destination} (findings at or above {level.label})", err=True)
        raise SystemExit(EXIT_FINDINGS)
    archive = result.archive
    info(f"built {_rel(archive.path)} ({archive.entries} entries, {archive.size:,} bytes)")
    info(f"sha256 {archive.sha256}  {_rel(archive.path)} (also in {_rel(archive.sha256_path)})")


def _check_selectors(selectors: tuple[str, ...]) -> None:
    """Refuse unknown --select/--ignore values (the rule registry loads only when there are some)."""
    if any(s.strip() for s in selectors):
        from ..lint import check_selectors

        check_selectors(selectors)


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def validation_context(path: Path, target: str | None) -> tuple[Context, Project | None]:
    """A lint context for a project (file or folder), a package folder, or an .ocmod.zip."""
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        project = load_project(path)
        return project_context(project), project
    if path.is_dir() and (path / PROJECT_FILE).is_file():
        project = load_project(path / PROJECT_FILE)
        return project_context(project), project
    if path.is_dir():
        tree = read_folder(path)
        return Context(tree=tree, target=target or "3.0"), None
    if path.is_file():
        from ..zipread import read_zip  # only zips need the hostile-zip reader

        tree = read_zip(path)
        return Context(tree=tree, target=target or "3.0", package_name=path.name), None
    _fail(f"{path}: no such file or folder")


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("."), required=False)
@click.option("--target", type=click.Choice(["3.0"]), default=None, help="OpenCart series to check against (default: the project's, else 3.0).")
@click.option("--opencart", "opencart", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH", help="OpenCart store root, release upload/ folder or release zip "
              "to check anchors against (repeatable).")
@click.option("--with", "with_", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH", help="Other modifications (zip, xml or folder) "
              "to apply together, for conflicts (repeatable).")
@_output_options
def validate(
    path: Path,
    target: str | None,
    opencart: tuple[Path, ...],
    with_: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fmt: str,
    output_file: Path | None,
) -> None:
    """Check PATH — a project (rendered first), a package folder, or an .ocmod.zip —
    with the same rules and codes as build."""
    select, ignore = _split(select), _split(ignore)
    _check_selectors(select + ignore)
    ctx, project = validation_context(path, target)
    if target:
        ctx.target = target
    ctx.opencart_paths = opencart
    ctx.with_paths = with_
    if project is not None:
        select = select or project.lint.select
        ignore = tuple(project.lint.ignore) + ignore
    report = cached_lint(ctx, select, ignore)
    _emit(report, fmt, output_file)
    raise SystemExit(EXIT_FINDINGS if report.at_or_above(_fail_level(fail_on, project)) else EXIT_OK)


@main.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """List every rule, or explain one (by code or name)."""
    from ..rules import RULES
    from ..rules import get as get_rule

    if code:
        try:
            r = get_rule(code)
        except KeyError as exc:
            _fail(str(exc.args[0]))
        click.echo(f"{r.code} {r.name} ({r.severity.label}; OpenCart {', '.join(r.targets)})\n")
        click.echo(r.doc)
        return
    if fmt == "markdown":
        click.echo(rules_markdown(), nl=False)
        return
    for r in RULES.values():
        click.echo(f"{r.code}  {r.name:<34} {r.severity.label:<8} {r.summary}")


def rules_markdown() -> str:
    """docs/rules.md: every rule's code, name, severity, targets and documentation."""
    from ..rules import RULES

    out = ["# ocmod-forge rules", "", "Generated by `ocmod-forge rules --format markdown`; do not edit by hand.", ""]
    family = ""
    for r in RULES.values():
        if r.family != family:
            family = r.family
            out += [f"## {family}", ""]
        out += [f"### {r.code} `{r.name}`", "", f"Severity: {r.severity.label} · OpenCart {', '.join(r.targets)}", "", r.doc, ""]
    return "\n".join(out)


# Commands that live in their own modules register themselves on `main` when imported.
from . import _commands  # noqa: E402,F401
