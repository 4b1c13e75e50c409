"""Shared fixtures: a CliRunner and a tiny project written into tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from helpers import MINI_PROJECT, write_tree


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
