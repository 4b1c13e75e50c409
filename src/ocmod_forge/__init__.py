"""ocmod-forge: build and validate OpenCart extension packages (.ocmod.zip).

The public API is what ``__all__`` lists; every other module is internal and may change::

    import ocmod_forge

    report = ocmod_forge.validate("dist/my-ext.ocmod.zip", opencart=["opencart-3.0.3.8.zip"])
    for d in report.diagnostics:
        print(d.path, d.line, d.code, d.message)
    result = ocmod_forge.build("my-ext/")          # raises ocmod_forge.ForgeError on bad input

Functions return values and raise ``ForgeError`` subclasses; none prints or exits.
"""

from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import Any

# The public API, imported on first use (PEP 562): the command line imports only what the
# command it runs needs, which keeps `ocmod-forge build` startup short.
_API = {
    "BuildResult": "api",
    "Matrix": "api",
    "Preview": "api",
    "build": "api",
    "check": "api",
    "load_project": "api",
    "matrix": "api",
    "open_source": "api",
    "preview": "api",
    "project_input": "api",
    "validate": "api",
    "LintInput": "context",
    "Diagnostic": "diagnostics",
    "Report": "diagnostics",
    "Severity": "diagnostics",
    "SkippedCheck": "diagnostics",
    "ForgeError": "errors",
    "OpenCartTreeError": "errors",
    "OutputError": "errors",
    "PackageReadError": "errors",
    "ProjectError": "errors",
    "RenderError": "errors",
    "SelectionError": "errors",
    "UsageError": "errors",
    "lint": "lint",
    "Project": "project",
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
    "LintInput",
    "Matrix",
    "OpenCartTreeError",
    "OutputError",
    "PackageReadError",
    "Preview",
    "Project",
    "ProjectError",
    "RenderError",
    "Report",
    "SelectionError",
    "Severity",
    "SkippedCheck",
    "UsageError",
    "__version__",
    "build",
    "check",
    "lint",
    "load_project",
    "matrix",
    "open_source",
    "preview",
    "project_input",
    "render_project",
    "validate",
]
