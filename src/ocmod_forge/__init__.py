"""ocmod-forge: build and validate OpenCart extension packages (.ocmod.zip)."""

from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import Any

# The public API, imported on first use (PEP 562): the command line imports only what the
# command it runs needs, which keeps `ocmod-forge build` startup short.
_API = {
    "BuildResult": "build",
    "build": "build",
    "project_context": "build",
    "Diagnostic": "diagnostics",
    "Report": "diagnostics",
    "Severity": "diagnostics",
    "ForgeError": "errors",
    "lint": "lint",
    "Project": "project",
    "load_project": "project",
    "render_project": "render",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BuildResult",
    "Diagnostic",
    "ForgeError",
    "Project",
    "Report",
    "Severity",
    "__version__",
    "build",
    "lint",
    "load_project",
    "project_context",
    "render_project",
]
