"""The bundled MesChain-Sync Enterprise package: layout, validity of every file, goldens."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from helpers import REPO
from ocmod_forge.api import BuildResult, build, load_project
from ocmod_forge.manifest import hardened_parser

GOLDEN = REPO / "tests" / "golden" / "meschain"
# Rendered files whose exact text is pinned (regenerate with OCMOD_FORGE_UPDATE_GOLDEN=1).
GOLDEN_FILES = (
    "install.xml",
    "upload/admin/language/en-gb/extension/mestech/settings.php",
    "upload/system/library/mestech/api/trendyol.php",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    project = load_project(REPO / "ocmod-forge.yaml")
    result = build(dataclasses.replace(project, output=tmp_path_factory.mktemp("dist")), target="3.0")
    assert result.archive is not None, [str(d) for d in result.report.diagnostics]
    return result


def test_zip_name_and_root(built: BuildResult) -> None:
    assert built.archive is not None
    assert built.archive.path.name == "meschain-sync-enterprise-v3.1.1.ocmod.zip"
    with zipfile.ZipFile(built.archive.path) as zf:
        names = zf.namelist()
    assert {n.split("/")[0] for n in names} == {"install.xml", "upload"}
    expected = (GOLDEN / "names.txt").read_text(encoding="utf-8").split()
    if os.environ.get("OCMOD_FORGE_UPDATE_GOLDEN"):
        (GOLDEN / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        expected = names
    assert names == expected


def test_every_page_has_controller_model_language_and_view(built: BuildResult) -> None:
    pages = ("dashboard", "marketplace", "ai_tools", "analytics", "automation", "settings", "support")
    for page in pages:
        assert f"upload/admin/controller/extension/mestech/{page}.php" in built.tree
        assert f"upload/admin/view/template/extension/mestech/{page}.twig" in built.tree
        for language in ("en-gb", "tr-tr"):
            assert f"upload/admin/language/{language}/extension/mestech/{page}.php" in built.tree
    for code in ("amazon", "trendyol", "n11", "hepsiburada", "ebay", "pazarama", "pttavm"):
        assert f"upload/system/library/mestech/api/{code}.php" in built.tree
    assert "upload/system/library/mestech/api/gittigidiyor.php" not in built.tree  # disabled by default


def test_language_files_have_the_same_keys(built: BuildResult) -> None:
    key = re.compile(r"""\$_\[\s*'([^']+)'\s*\]\s*=""")
    english = [p for p in built.tree if p.startswith("upload/admin/language/en-gb/")]
    assert english
    for path in english:
        turkish = path.replace("/en-gb/", "/tr-tr/")
        assert turkish in built.tree, f"{turkish} missing"
        assert sorted(key.findall(built.tree.text(path))) == sorted(key.findall(built.tree.text(turkish))), path


def test_every_xml_parses(built: BuildResult) -> None:
    for path in built.tree:
        if path.endswith(".xml"):
            etree.fromstring(built.tree[path].data, hardened_parser())


def test_identity_comes_from_the_project(built: BuildResult) -> None:
    manifest = built.tree.text("install.xml")
    for value in ("<code>meschain_sync_enterprise</code>", "<version>3.1.1</version>", "MesTech Development Team", "https://mestech.com/meschain-sync"):
        assert value in manifest


@pytest.mark.skipif(shutil.which("php") is None, reason="php not installed")
def test_php_lint_passes_on_every_php_file(built: BuildResult, tmp_path: Path) -> None:
    assert built.archive is not None
    with zipfile.ZipFile(built.archive.path) as zf:
        zf.extractall(tmp_path)
    files = sorted(str(p) for p in tmp_path.rglob("*.php"))
    assert len(files) > 30
    failures = []
    for path in files:
        out = subprocess.run(["php", "-n", "-l", path], capture_output=True, text=True)
        if out.returncode != 0:
            failures.append(out.stdout + out.stderr)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", GOLDEN_FILES)
def test_golden_rendered_files(built: BuildResult, path: str) -> None:
    golden = GOLDEN / path
    actual = built.tree[path].data
    if os.environ.get("OCMOD_FORGE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert actual == golden.read_bytes(), f"{path} differs from {golden} (OCMOD_FORGE_UPDATE_GOLDEN=1 regenerates)"
