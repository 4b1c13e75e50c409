"""TWG — Twig templates: structure, and a real parse when Twig is available."""

from __future__ import annotations
