"""``ocmod-forge try``: install a package in real throwaway OpenCart stores and report what they say.

Public API: ``run_try(path, TryOptions(...)) -> TryResult``; ``TRY_RULES`` (the TRY codes as
data, for ``ocmod-forge rules``); ``ReleaseResolver`` (plug in release names).
"""

from __future__ import annotations

from .codes import TRY_RULES, TryRule
from .errors import StoreError
from .release import ReleaseResolver, resolve_path
from .runner import KeptStore, TryOptions, TryResult, run_try
from .session import ReleaseRun

__all__ = [
    "TRY_RULES",
    "KeptStore",
    "ReleaseResolver",
    "ReleaseRun",
    "StoreError",
    "TryOptions",
    "TryResult",
    "TryRule",
    "resolve_path",
    "run_try",
]
