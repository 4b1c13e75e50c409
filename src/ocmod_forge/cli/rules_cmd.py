"""``ocmod-forge rules``."""

from __future__ import annotations

import json
import shutil
import textwrap

import click

from ..errors import UsageError
from ._app import main


@main.command(
    short_help="List every rule, or explain one.",
    epilog="""\b
Examples:
  ocmod-forge rules                  # every rule, one line each
  ocmod-forge rules SEC001           # one rule's documentation and examples
  ocmod-forge rules --format json    # for tools""",
)
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """List every rule, or explain one (by code or name)."""
    from ..rules import Rule, documented, plain, reference_markdown, scope
    from ..rules import get as get_rule

    chosen = list(documented().values())
    if code:
        try:
            chosen = [get_rule(code)]
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    if fmt == "json":
        records = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "targets": list(r.targets),
             "needs_opencart": isinstance(r, Rule) and r.needs_opencart, "needs_with": isinstance(r, Rule) and r.needs_with,
             "reported_by": "validate" if isinstance(r, Rule) else "try", "summary": plain(r.summary), "doc": r.doc}
            for r in chosen
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if fmt == "markdown":
        click.echo(reference_markdown(), nl=False)
        return
    if code:
        r = chosen[0]
        click.echo(f"{r.code} {r.name} ({r.severity.label}; {scope(r)})\n")
        click.echo(plain(r.doc))
        return
    name_width = max(len(r.name) for r in chosen)
    lead = 6 + 2 + name_width + 2 + 7 + 2
    width = max(shutil.get_terminal_size((120, 24)).columns, lead + 40)
    for r in chosen:
        head = f"{r.code}  {r.name:<{name_width}}  {r.severity.label:<7}  "
        lines = textwrap.wrap(plain(r.summary), width - lead) or [""]
        click.echo(head + lines[0])
        for line in lines[1:]:
            click.echo(" " * lead + line)
