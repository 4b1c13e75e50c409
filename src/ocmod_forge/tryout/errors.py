"""Errors of ``ocmod-forge try``: the store could not be set up or driven (exit 2, not a finding)."""

from __future__ import annotations

from ..errors import ForgeError


class StoreError(ForgeError):
    """A throwaway store could not be set up, started or driven: a tool or environment problem
    (no PHP, no MariaDB, a broken release tree), never a finding about the package."""
