"""Formatters: pure functions from a ``Report`` to text. Each module exposes ``format(report, **kw)``."""

from __future__ import annotations

from typing import Callable

from ..diagnostics import Report
from . import github, json_format, junit, sarif, text

Formatter = Callable[..., str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.format_report,
    "json": json_format.format_report,
    "sarif": sarif.format_report,
    "github": github.format_report,
    "junit": junit.format_report,
}


def get_formatter(name: str) -> Formatter:
    try:
        return FORMATTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (choose from {', '.join(sorted(FORMATTERS))})") from None


__all__ = ["FORMATTERS", "Formatter", "Report", "get_formatter"]
