"""PHP — PHP files: syntax (php -l), class names, version compatibility."""

from __future__ import annotations
