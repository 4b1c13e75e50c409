"""``ocmod-forge try``: install a package in real throwaway OpenCart stores and report what they say.

Public API: ``run_try(path, TryOptions(...)) -> TryResult``; ``TRY_RULES`` (the TRY codes as
data, for ``ocmod-forge rules``); ``ReleaseResolver`` (plug in release names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

if TYPE_CHECKING:
    from .codes import TRY_RULES, TryRule
    from .errors import StoreError
    from .release import ReleaseResolver, resolve_path
    from .runner import KeptStore, TryOptions, TryResult, run_try
    from .session import ReleaseRun

# Imported on first use (PEP 562): the rule registry reads the TRY codes (tryout.codes) on every
# `validate` and `rules`, and must not pay for the store runner, its HTTP client and sessions.
_API = {
    "TRY_RULES": "codes",
    "TryRule": "codes",
    "StoreError": "errors",
    "ReleaseResolver": "release",
    "resolve_path": "release",
    "KeptStore": "runner",
    "TryOptions": "runner",
    "TryResult": "runner",
    "run_try": "runner",
    "ReleaseRun": "session",
}

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


__getattr__ = lazy_attributes(__name__, _API, globals())
