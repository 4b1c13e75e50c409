"""Shared fixtures: a CliRunner and a tiny project written into tmp_path."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MINI_PROJECT, write_tree


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every ocmod-forge it starts) uses a fresh cache, never the user's."""
    path = tmp_path_factory.mktemp("cache")
    old = os.environ.get("OCMOD_FORGE_CACHE")
    os.environ["OCMOD_FORGE_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("OCMOD_FORGE_CACHE", None)
    else:
        os.environ["OCMOD_FORGE_CACHE"] = old


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A small general (non-MesChain) project exercising every rendering feature."""
    return write_tree(tmp_path / "proj", MINI_PROJECT)


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "tree", files)

    return make


@pytest.fixture(scope="session", autouse=True)
def no_crash_logs_left() -> Iterator[None]:
    """Tests clean up after themselves: no ocmod-forge-crash-*.log may appear in the temp folder
    (a test that provokes an internal error points tempfile at its own tmp_path)."""
    import glob
    import tempfile

    pattern = os.path.join(tempfile.gettempdir(), "ocmod-forge-crash-*.log")
    before = set(glob.glob(pattern))
    yield
    left = sorted(set(glob.glob(pattern)) - before)
    assert not left, f"the tests left crash logs behind: {left}"
