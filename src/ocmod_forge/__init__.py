"""ocmod-forge: build and validate OpenCart extension packages (.ocmod.zip)."""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildResult, build, project_context  # noqa: E402
from .diagnostics import Diagnostic, Report, Severity  # noqa: E402
from .errors import ForgeError  # noqa: E402
from .lint import lint  # noqa: E402
from .project import Project, load_project  # noqa: E402
from .render import render_project  # noqa: E402

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
