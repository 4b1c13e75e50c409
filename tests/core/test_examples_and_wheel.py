"""Every example builds; the MesChain example stays in sync; the wheel carries the bundled project."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import REPO
from ocmod_forge.api import build, load_project

EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/ocmod-forge.yaml"))


def test_there_are_examples() -> None:
    assert {p.name for p in EXAMPLES} >= {"meschain", "meschain-turkey", "footer-note"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_builds(example: Path, tmp_path: Path) -> None:
    project = load_project(example / "ocmod-forge.yaml")
    result = build(dataclasses.replace(project, output=tmp_path))
    assert result.report.errors == 0, [str(d) for d in result.report.diagnostics]
    assert result.archive is not None
    with zipfile.ZipFile(result.archive.path) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {"install.xml", "upload"}


def test_meschain_example_is_the_root_project() -> None:
    root = load_project(REPO / "ocmod-forge.yaml")
    example = load_project(REPO / "examples" / "meschain" / "ocmod-forge.yaml")
    assert example.templates == root.templates and example.sql == root.sql
    assert dataclasses.replace(example, path=root.path, output=root.output) == root


def test_turkey_example_has_only_its_marketplaces(tmp_path: Path) -> None:
    project = load_project(REPO / "examples" / "meschain-turkey" / "ocmod-forge.yaml")
    tree = build(dataclasses.replace(project, output=tmp_path)).tree
    clients = sorted(p.rsplit("/", 1)[1] for p in tree if p.startswith("upload/system/library/mestech/api/"))
    for code in ("trendyol.php", "n11.php", "hepsiburada.php"):
        assert code in clients
    for code in ("amazon.php", "ebay.php", "pazarama.php", "pttavm.php", "gittigidiyor.php"):
        assert code not in clients


def test_wheel_contains_templates_and_sql(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    wheel = next(tmp_path.glob("ocmod_forge-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    from ocmod_forge import __version__

    assert f"\nVersion: {__version__}\n" in metadata  # the version is written once (_version.py)
    assert "ocmod_forge/_bundled/ocmod-forge.yaml" in names
    assert "ocmod_forge/_bundled/templates/@3.0/install.xml.j2" in names
    assert "ocmod_forge/_bundled/sql/install.sql" in names
    assert "ocmod_forge/cli/__init__.py" in names
    assert "ocmod_forge/py.typed" in names  # library users get the API's types
    shipped = {n.split("_bundled/", 1)[1] for n in names if "/_bundled/templates/" in n}
    on_disk = {str(p.relative_to(REPO)) for p in (REPO / "templates").rglob("*") if p.is_file()}
    assert shipped == on_disk
