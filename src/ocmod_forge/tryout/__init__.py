"""``ocmod-forge try``: install a package in real throwaway OpenCart stores and report what they say.

Public API: ``run_try(path, TryOptions(...)) -> TryResult``; ``TRY_RULES`` (the TRY codes as
data, for ``ocmod-forge rules``); ``ReleaseResolver`` (plug in release names).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
