"""The command line: the only package that prints or exits.

``_app`` holds the click group and the single error funnel; each command lives in its own
module and registers itself on ``main`` when imported here. Exit codes: 0 nothing at or above
the fail level; 1 findings at or above it; 2 usage, project, read or internal error; 130 Ctrl-C.
"""

from __future__ import annotations

from . import build_cmd, cache_cmd, import_cmd, init_cmd, opencart_cmd, preview, rules_cmd, try_cmd, validate_cmd
from ._app import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, main

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_OK", "build_cmd", "cache_cmd", "import_cmd", "init_cmd", "main", "opencart_cmd", "preview", "rules_cmd", "try_cmd", "validate_cmd"]
