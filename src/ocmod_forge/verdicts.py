"""Where external checkers' answers are kept: a store keyed by content, handed to whoever needs
one (rules get it from the linter through ``Context.verdicts``), so nothing below the linter
decides whether the per-user cache is used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class VerdictStore(Protocol):
    """Verdicts of an external checker by content (cache.Verdicts, or one that keeps nothing)."""

    def split(self, texts: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
        """(verdicts known by key, texts still to check by key)."""
        ...

    def store(self, texts: dict[str, str], verdicts: dict[str, Any]) -> None:
        """Remember ``verdicts[key]`` for ``texts[key]``."""
        ...


class NoVerdicts:
    """A verdict store that remembers nothing (caching off, or a context made by hand)."""

    def split(self, texts: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
        return {}, dict(texts)

    def store(self, texts: dict[str, str], verdicts: dict[str, Any]) -> None:
        return None


VerdictFactory = Callable[[str, str], VerdictStore]  # (checker name, salt) → store
