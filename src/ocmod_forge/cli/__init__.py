"""The command line: the only package that prints or exits.

``_app`` holds the click group and the single error funnel; each command lives in its own
module and registers itself on ``main`` when imported, which happens when the command is
asked for (``_app.COMMAND_MODULES``). Exit codes: 0 nothing at or above
the fail level; 1 findings at or above it; 2 usage, project, read or internal error; 130 Ctrl-C.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ._app import COMMAND_MODULES, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, main


def __getattr__(name: str) -> ModuleType:
    # Command modules load when their command runs (_app.COMMAND_MODULES); as attributes, on use.
    if name in COMMAND_MODULES.values():
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_OK", "build_cmd", "cache_cmd", "import_cmd", "init_cmd", "main", "opencart_cmd", "preview", "rules_cmd", "try_cmd", "validate_cmd"]
