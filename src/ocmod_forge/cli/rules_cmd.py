"""``ocmod-forge rules``."""

from __future__ import annotations

import click

from ..errors import UsageError
from ._app import main


@main.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """List every rule, or explain one (by code or name)."""
    from ..rules import RULES, reference_markdown
    from ..rules import get as get_rule

    if code:
        try:
            r = get_rule(code)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        click.echo(f"{r.code} {r.name} ({r.severity.label}; OpenCart {', '.join(r.targets)})\n")
        click.echo(r.doc)
        return
    if fmt == "markdown":
        click.echo(reference_markdown(), nl=False)
        return
    for r in RULES.values():
        click.echo(f"{r.code}  {r.name:<34} {r.severity.label:<8} {r.summary}")
