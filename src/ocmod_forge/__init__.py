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

from typing import TYPE_CHECKING

from ._lazy import lazy_attributes
from ._version import __version__

if TYPE_CHECKING:  # what type checkers see of the lazy attributes below (py.typed ships them)
    from .api import BuildResult, Matrix, Preview, build, check, load_project, matrix, open_source, preview, project_input, validate
    from .context import LintInput
    from .diagnostics import Diagnostic, Report, Severity, SkippedCheck
    from .errors import ForgeError, OpenCartTreeError, OutputError, PackageReadError, ProjectError, RenderError, SelectionError, UsageError
    from .lint import lint
    from .project import Project
    from .render import render_project

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


__getattr__ = lazy_attributes(__name__, _API, globals())


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
