"""PKG — archive layout as OpenCart 3.0's installer sees it."""

from __future__ import annotations
