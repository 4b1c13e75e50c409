"""The click group, the single error funnel, and the output helpers every command shares.

Commands are functions that return an exit code; the group turns that code, every library
error and every usage error into one line and one exit status. Nothing else exits.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

import click

from .._version import __version__
from ..diagnostics import Report, Severity
from ..errors import ForgeError
from ..formatters import FORMATTERS, get_formatter

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

F = TypeVar("F", bound=Callable[..., Any])

# Global switches accepted anywhere on the command line (`ocmod-forge build -q` too).
_GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose", "--debug")


def _color_enabled(stream: object = None) -> bool:
    if os.environ.get("NO_COLOR", "") != "":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def error_line(message: str) -> None:
    """One ``ocmod-forge: error: …`` line per line of ``message``, on stderr."""
    for line in str(message).splitlines() or [""]:
        click.echo(f"ocmod-forge: error: {line}", err=True)


def _internal_error(exc: BaseException, debug: bool) -> int:
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if debug:
        click.echo(trace, err=True, nl=False)
        return EXIT_ERROR
    fd, path = tempfile.mkstemp(prefix="ocmod-forge-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(trace)
    click.echo(
        f"ocmod-forge: internal error: {type(exc).__name__}: {exc} (full trace in {path}; rerun with --debug to show it)",
        err=True,
    )
    return EXIT_ERROR


def _hoist_global_flags(args: Sequence[str]) -> list[str]:
    """Move ``-q``/``-v``/``--debug`` given after the command name in front of it."""
    args = list(args)
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in _GLOBAL_FLAGS]
    rest = [a for i, a in enumerate(args) if not (i < end and a in _GLOBAL_FLAGS)]
    return flags + rest


# Command name → the module of this package that defines it, imported when the command runs, so
# that `ocmod-forge preview` does not pay for the imports of build, try or rules.
COMMAND_MODULES = {
    "build": "build_cmd",
    "cache": "cache_cmd",
    "import": "import_cmd",
    "init": "init_cmd",
    "matrix": "preview",
    "opencart": "opencart_cmd",
    "preview": "preview",
    "rules": "rules_cmd",
    "try": "try_cmd",
    "validate": "validate_cmd",
}


class _Group(click.Group):
    """The error funnel: library errors, usage errors, interrupts and bugs all end here."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            import_module(f"{__package__}.{COMMAND_MODULES[cmd_name]}")  # registers it on main
        return super().get_command(ctx, cmd_name)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        code = self.run(args, prog_name, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def run(self, args: Sequence[str] | None, prog_name: str | None, complete_var: str | None, **extra: Any) -> int:
        """Run the command line and return its exit code; never raises."""
        argv = _hoist_global_flags(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        try:
            rv = super().main(argv, prog_name or "ocmod-forge", complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            error_line(exc.format_message() + hint)
            return EXIT_ERROR
        except click.ClickException as exc:
            error_line(exc.format_message())
            return EXIT_ERROR
        except ForgeError as exc:
            error_line(str(exc))
            return EXIT_ERROR
        except (KeyboardInterrupt, click.exceptions.Abort):
            click.echo("ocmod-forge: interrupted", err=True)
            return EXIT_INTERRUPTED
        except Exception as exc:
            return _internal_error(exc, debug)
        return rv if isinstance(rv, int) else EXIT_OK


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="ocmod-forge")
@click.option("--debug", is_flag=True, help="Show full tracebacks for internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings and errors (no notes, no build lines, no summary when clean).")
@click.option("-v", "--verbose", is_flag=True, help="Also print each finding's hint and the skipped checks' reasons.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool, verbose: bool) -> None:
    """Build and validate OpenCart extension packages (.ocmod.zip).

    Colours are used on a terminal unless NO_COLOR is set. Exit codes: 0 clean, 1 findings at or
    above --fail-on, 2 usage, project, template, read or internal error, 130 interrupted.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    ctx.obj = {"quiet": quiet, "verbose": verbose}


def flag(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and name in ctx.obj:
            return bool(ctx.obj[name])
        ctx = ctx.parent
    return False


def info(message: str, err: bool = False) -> None:
    """Informational output, silenced by --quiet."""
    if not flag("quiet"):
        click.echo(message, err=err)


def check_options(f: F) -> F:
    """--opencart/--with/--php: what to check against, shared by build and validate."""
    f = click.option("--php", "php", multiple=True, metavar="X.Y", help="Compile every PHP file with this PHP version too (repeatable; default: the project's php).")(f)
    f = click.option("--with", "with_", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH",
                     help="Other modifications (zip, xml or folder) to apply together, for conflicts (repeatable).")(f)
    return click.option("--opencart", "opencart", multiple=True, metavar="RELEASE",
                        help="OpenCart release to check anchors against: a version from the release cache (3.0.3.8), a store root, upload/ folder or release zip (repeatable).")(f)


def output_options(f: F) -> F:
    """--select/--ignore/--fail-on/--format/--report-file and the extra report files."""
    f = click.option("--select", "select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes or names (repeatable, comma-separated).")(f)
    f = click.option("--ignore", "ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or names (repeatable, comma-separated).")(f)
    f = click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning", "info"]), default=None,
                     help="Lowest severity that makes the exit code 1 (default: the project's lint.fail_on, else error).")(f)
    f = click.option("--format", "fmt", type=click.Choice([*sorted(FORMATTERS), "auto"]), default="auto", show_default=True,
                     help="Report format on standard output; auto = github under GitHub Actions, else text.")(f)
    for name in ("sarif", "junit", "json"):
        f = click.option(f"--{name}", f"{name}_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
                         help=f"Also write the report as {name.upper() if name != 'junit' else 'JUnit XML'} to FILE (same run, no second check).")(f)
    return click.option("--report-file", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
                        help="Write the --format report to FILE instead of standard output.")(f)


def split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeatable, comma-separated option values as one flat tuple."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def resolve_format(fmt: str) -> str:
    if fmt == "auto":
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATTERS else "text"
    return fmt


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ForgeError(f"cannot write report: {exc.strerror}", str(path)) from None


def emit(report: Report, fmt: str, output_file: Path | None, fail_on: Severity = Severity.ERROR, extra: dict[str, Path | None] | None = None) -> None:
    """Print (or write) the report in the chosen format, plus any extra report files; the summary
    goes to stderr when the main report goes to a file."""
    for name, path in sorted((extra or {}).items()):
        if path is not None:
            _write(path, get_formatter(name)(report, fail_on=fail_on))
    name = resolve_format(fmt)
    formatter = get_formatter(name)
    color = name == "text" and output_file is None and _color_enabled()
    if name == "text":
        text = formatter(report, color=color, verbose=flag("verbose"), fail_on=fail_on)
        if flag("quiet") and not report.diagnostics:
            text = ""
    else:
        text = formatter(report, fail_on=fail_on)
    if output_file is None:
        click.echo(text, nl=False)
        return
    _write(output_file, text)
    info(report.summary(), err=True)


def fail_level(cli_value: str | None, project_value: str | None) -> Severity:
    """``--fail-on``, else the project's ``lint.fail_on``, else error."""
    return Severity.parse(cli_value or project_value or "error")


def rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
