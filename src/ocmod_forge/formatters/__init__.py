"""Formatters: pure functions from a ``Report`` to text. Each module exposes ``format(report, **kw)``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module

from ..diagnostics import Report

Formatter = Callable[..., str]

_MODULES = {"text": "text", "json": "json_format", "sarif": "sarif", "github": "github", "junit": "junit"}


class _Formatters(Mapping[str, Formatter]):
    """Format name → formatter; a formatter's module is imported when it is first asked for."""

    def __getitem__(self, name: str) -> Formatter:
        return import_module(f".{_MODULES[name]}", __name__).format_report  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATTERS: Mapping[str, Formatter] = _Formatters()


def get_formatter(name: str) -> Formatter:
    try:
        return FORMATTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (choose from {', '.join(sorted(FORMATTERS))})") from None


__all__ = ["FORMATTERS", "Formatter", "Report", "get_formatter"]
