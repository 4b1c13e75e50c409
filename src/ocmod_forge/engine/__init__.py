"""An emulation of OpenCart's modification refresh (``marketplace/modification/refresh``).

It knows nothing of diagnostics: given parsed manifests in OpenCart's order and a source of
original files, it returns what OpenCart would do — per operation the lines acted on, not found,
skipped, the error mode taken — plus the resulting texts and the log OpenCart writes. Behaviour
is OpenCart's refresh() code of 3.0.2.0–3.0.5.1 and 4.1.0.0–4.1.0.4 under PHP 8, checked against
that code with tools/opencart-refresh (tests/engine).

Parts: ``paths`` (``<file path>`` parts, prefixes, glob braces), ``lines`` (line mode: matching,
splicing, origin of each line), ``pcre`` (PHP patterns and replacements on Python's ``re``),
``php`` (PHP 8 scalar semantics), ``log`` (ocmod.log lines and entry), ``refresh`` (the loops,
error modes, rollback), ``model`` (flags, outcomes, results).
What cannot be emulated exactly is reported, never guessed: an Outcome with status
``unsupported`` and ``Result.exact`` False.
"""

from __future__ import annotations

from typing import Any

from .log import entry as log_entry
from .model import (
    APPLIED,
    FATAL,
    IGNORED,
    LOG_SEPARATOR,
    NOT_FOUND,
    SKIPPED,
    UNSUPPORTED,
    Fatal,
    FileSource,
    Flags,
    ModState,
    Outcome,
    PathMiss,
    Result,
    flags_for,
)
from .refresh import apply, order_modifications


def __getattr__(name: str) -> Any:
    # The PCRE translator loads only when a pattern is met (startup time of the CLI).
    if name in ("php_regex", "split_php_regex"):
        from . import pcre

        return getattr(pcre, name)
    raise AttributeError(name)


__all__ = [
    "APPLIED",
    "FATAL",
    "IGNORED",
    "LOG_SEPARATOR",
    "NOT_FOUND",
    "SKIPPED",
    "UNSUPPORTED",
    "Fatal",
    "FileSource",
    "Flags",
    "ModState",
    "Outcome",
    "PathMiss",
    "Result",
    "apply",
    "flags_for",
    "log_entry",
    "order_modifications",
    "php_regex",
    "split_php_regex",
]
