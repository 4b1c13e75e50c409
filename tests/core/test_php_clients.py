"""Runs the PHP unit tests of the marketplace clients (tests/php) against a fresh render."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import REPO
from ocmod_forge.api import load_project
from ocmod_forge.render import render_project

pytestmark = pytest.mark.skipif(shutil.which("php") is None, reason="php not installed")

LIBRARY = "upload/system/library/"


def _render_library(tmp_path: Path, all_enabled: bool) -> Path:
    project = load_project(REPO / "ocmod-forge.yaml")
    if all_enabled:  # GittiGidiyor is disabled by default; its client is tested too
        project = dataclasses.replace(project, marketplaces=tuple(dataclasses.replace(m, enabled=True) for m in project.marketplaces))
    tree = render_project(project).tree
    root = tmp_path / "library"
    for path in tree:
        if path.startswith(LIBRARY):
            target = root / path[len(LIBRARY) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tree[path].data)
    return root


@pytest.mark.parametrize("all_enabled", [True, False], ids=["all-marketplaces", "project-defaults"])
def test_php_client_suite(tmp_path: Path, all_enabled: bool) -> None:
    library = _render_library(tmp_path, all_enabled)
    out = subprocess.run(["php", str(REPO / "tests" / "php" / "run.php"), str(library)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    last = [line for line in out.stdout.splitlines() if line.strip()][-1]
    passed, failed = (int(part.split()[0]) for part in last.split(", "))
    assert failed == 0 and passed >= (50 if all_enabled else 45), last
