"""SEC — security patterns in PHP and Twig."""

from __future__ import annotations
