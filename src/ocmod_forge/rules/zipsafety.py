"""PKG1xx — hostile or broken zip entries found while reading a package."""

from __future__ import annotations
