"""Imports the command modules that add themselves to ``main`` (one module per command family)."""

from __future__ import annotations

# Each module below does `@main.command()`; keep this list sorted.
from . import cache_cmd, import_cmd, init_cmd, preview  # noqa: F401
