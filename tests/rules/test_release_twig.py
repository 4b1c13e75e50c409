"""TWG003: templates parsed with the Twig each ``--opencart`` release ships, loaded its way.

No OpenCart or Twig code lives in this repository, so the releases here are made up: one whose
vendor folder is Debian's php-twig (real Twig 3), and one with a tiny Twig-1-style library of our
own that stands in for OpenCart 3.0.2.0-3.0.3.4's autoloader layout.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.rules import twg
from ocmod_forge.tree import PackageFile, PackageTree

needs_php = pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
DEBIAN_TWIG = Path("/usr/share/php/Twig")
needs_debian_twig = pytest.mark.skipif(shutil.which("php") is None or not (DEBIAN_TWIG / "Environment.php").is_file(), reason="php-twig is not installed")

VIEW = "upload/admin/view/template/extension/module/x.twig"
OLD_STYLE_TWIG = r"""<?php
// A stand-in with Twig 1's class names and entry points: it knows no "apply" tag.
class Twig_Autoloader { public static function register() {} }
class Twig_Loader_Array { public function __construct($templates) {} }
class Twig_Error_Syntax extends Exception {
    private $templateLine;
    public function __construct($message, $line) { parent::__construct($message); $this->templateLine = $line; }
    public function getTemplateLine() { return $this->templateLine; }
    public function getRawMessage() { return $this->getMessage(); }
}
class Twig_Environment {
    const VERSION = '1.0-standin';
    public function __construct($loader) {}
    public function tokenize($code, $name) { return $code; }
    public function parse($code) {
        foreach (explode("\n", $code) as $i => $line) {
            if (strpos($line, '{% apply') !== false) { throw new Twig_Error_Syntax('Unknown "apply" tag.', $i + 1); }
        }
    }
}
"""


def _release(root: Path, version: str, old_style: bool) -> Path:
    (root / "admin").mkdir(parents=True)
    (root / "admin" / "index.php").write_text(f"<?php\ndefine('VERSION', '{version}');\n", encoding="utf-8")
    template = root / "system" / "library" / "template"
    template.mkdir(parents=True)
    if old_style:
        (template / "twig.php").write_text("<?php\n// loads Twig 1\n\\Twig_Autoloader::register();\n", encoding="utf-8")
        (template / "Twig").mkdir()
        (template / "Twig" / "Autoloader.php").write_text(OLD_STYLE_TWIG, encoding="utf-8")
    else:
        (template / "twig.php").write_text("<?php\n// loads Twig from system/storage/vendor\n", encoding="utf-8")
        vendor = root / "system" / "storage" / "vendor" / "twig" / "twig"
        vendor.mkdir(parents=True)
        (vendor / "src").symlink_to(DEBIAN_TWIG, target_is_directory=True)
    return root


def _ctx(templates: dict[str, str], *releases: Path) -> LintInput:
    tree = PackageTree(files={path: PackageFile(text.encode()) for path, text in templates.items()})
    return LintInput(tree=tree, opencart_paths=tuple(releases))


@needs_debian_twig
def test_vendor_release_parses_with_its_twig(tmp_path: Path) -> None:
    release = _release(tmp_path / "oc", "3.0.9.9", old_style=False)
    report = lint(_ctx({VIEW: "<p>\n{% spaceless %}<b> x </b>{% endspaceless %}</p>"}, release), select=["TWG003"])
    assert [(d.path, d.line) for d in report.diagnostics] == [(VIEW, 2)]
    message = report.diagnostics[0].message
    assert message.startswith("Twig 3.") and "(OpenCart 3.0.9.9)" in message and "spaceless" in message
    clean = lint(_ctx({VIEW: "{{ name|upper }}{% apply upper %}x{% endapply %}"}, release), select=["TWG003"])
    assert not clean.diagnostics and not clean.skipped


@needs_php
def test_autoloader_release_is_loaded_its_own_way(tmp_path: Path) -> None:
    release = _release(tmp_path / "oc", "3.0.2.9", old_style=True)
    report = lint(_ctx({VIEW: "a\n{% apply upper %}x{% endapply %}\n"}, release), select=["TWG003"])
    assert [(d.line, d.message) for d in report.diagnostics] == [(2, 'Twig 1.0-standin (OpenCart 3.0.2.9) syntax error: Unknown "apply" tag.')]


@needs_php
def test_release_zip_is_read_without_unpacking_it_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    release = _release(tmp_path / "src" / "opencart-3.0.2.9" / "upload", "3.0.2.9", old_style=True)
    archive = tmp_path / "opencart-3.0.2.9.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(release.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(tmp_path / "src").as_posix())
    report = lint(_ctx({VIEW: "{% apply upper %}x{% endapply %}"}, archive), select=["TWG003"])
    assert [d.line for d in report.diagnostics] == [1]
    assert list(scratch.iterdir()) == []  # the Twig copied out of the zip and php's input are gone


@needs_php
def test_trees_without_twig_or_broken_twig_are_skipped_never_passed(tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    (bare / "admin").mkdir(parents=True)
    (bare / "system").mkdir()
    broken = _release(tmp_path / "broken", "3.0.2.9", old_style=True)
    (broken / "system" / "library" / "template" / "Twig" / "Autoloader.php").write_text("<?php\nthis is not php\n", encoding="utf-8")
    report = lint(_ctx({VIEW: "{{ a }}"}, bare, broken), select=["TWG003"])
    assert not report.diagnostics
    reasons = sorted(s.reason for s in report.skipped)
    assert len(reasons) == 2 and "no Twig library" in reasons[0] + reasons[1] and "could not be loaded" in reasons[0] + reasons[1]


def test_without_php_or_opencart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = {VIEW: "{% apply upper %}x{% endapply %}"}
    selected = lint(_ctx(templates), select=["TWG003"])
    assert [s.code for s in selected.skipped] == ["TWG003"] and "--opencart" in selected.skipped[0].reason
    assert not [s for s in lint(_ctx(templates)).skipped if s.code == "TWG003"]  # default run: silent
    monkeypatch.setattr(twg.shutil, "which", lambda name: None)
    report = lint(_ctx(templates, tmp_path), select=["TWG003"])
    assert [s.code for s in report.skipped] == ["TWG003"] and "php is not on PATH" in report.skipped[0].reason


def test_release_twig_detects_how_a_release_loads_twig(tmp_path: Path) -> None:
    from ocmod_forge.opencart import load_tree

    old = load_tree(_release(tmp_path / "old", "3.0.3.4", old_style=True))
    kind, base, contracts = twg.release_twig(old, tmp_path / "scratch")
    assert kind == "autoloader" and base is not None and (base / "Autoloader.php").is_file() and contracts is None
    if os.path.isdir(DEBIAN_TWIG):
        new = load_tree(_release(tmp_path / "new", "3.0.3.8", old_style=False))
        kind, base, _ = twg.release_twig(new, tmp_path / "scratch")
        assert kind == "vendor" and base is not None and (base / "src" / "Environment.php").is_file()
