"""PTH — paths under upload/ and the allowed destinations."""

from __future__ import annotations
