"""Findings at the source: a finding in a rendered file is reported at the template file and line
the developer edits, in every output format, with the built location beside it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import write_tree
from ocmod_forge import validate
from ocmod_forge.cli import main

PROJECT = {
    "ocmod-forge.yaml": "extension: {name: Notes, code: order_note, version: '1.0.0'}\nmarketplaces:\n  alpha: {label: Alpha}\n  beta: {label: Beta}\n",
    "templates/install.xml.j2": "<modification>\n  <name>[= ext.name =]</name>\n  <code>[= ext.code =]</code>\n</modification>\n",
    # a rendered template: the unsafe line is template line 7, built line 9 (the loop adds lines)
    "templates/upload/admin/model/extension/module/[= ext.code =].php.j2": (
        "<?php\n"
        "class ModelExtensionModule[= ext.code|camel =] extends Model {\n"
        "[% for m in marketplaces %]\n"
        "\t// [= m.label =]\n"
        "[% endfor %]\n"
        "\tpublic function get() {\n"
        "\t\treturn $this->db->query(\"SELECT * FROM \" . DB_PREFIX . \"[= ext.code =] WHERE id = '\" . $this->request->get['id'] . \"'\");\n"
        "\t}\n"
        "}\n"
    ),
    # a literal copy: same line
    "templates/upload/system/library/vendor/client.php": "<?php\n$ch = curl_init();\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n",
    # a per-marketplace template: one cause, two built files
    "templates/upload/system/library/vendor/__marketplace__.php.j2": "<?php\n// [= marketplace.label =]\n$id = $_GET['id'];\n",
    # a partial: the finding lands in the partial
    "templates/_partials/unsafe.php.j2": "$x = 1;\n$y = $_POST['y'];\n",
    "templates/upload/system/library/vendor/helper.php.j2": "<?php\n[% include 'unsafe.php.j2' %]\n",
    "sql/install.sql.j2": "-- [= ext.code =]\n\nCREATE TABLE IF NOT EXISTS `oc_[= ext.code =]` (id INT) ENGINE=InnoDB;\n",
}
MODEL = "templates/upload/admin/model/extension/module/[= ext.code =].php.j2"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths are shown relative to where ocmod-forge runs (the repository)
    return write_tree(tmp_path / "ext", PROJECT)


def _at(report_diagnostics: object, code: str) -> list[tuple[str, int, int, str]]:
    return sorted((d.path, d.line, d.col, d.built) for d in report_diagnostics if d.code == code)  # type: ignore[attr-defined]


def test_findings_land_on_the_template_lines(project: Path) -> None:
    report = validate("ext", select=["SEC", "SQL004"])
    assert _at(report.diagnostics, "SEC004") == [(f"ext/{MODEL}", 7, 59, "upload/admin/model/extension/module/order_note.php:6")]
    assert _at(report.diagnostics, "SEC001") == [("ext/templates/upload/system/library/vendor/client.php", 3, 18, "upload/system/library/vendor/client.php:3")]
    # one template line, two built files: one finding that names both
    assert _at(report.diagnostics, "SEC003") == [
        ("ext/templates/_partials/unsafe.php.j2", 2, 6, "upload/system/library/vendor/helper.php:3"),
        ("ext/templates/upload/system/library/vendor/__marketplace__.php.j2", 3, 7, "upload/system/library/vendor/alpha.php:3, upload/system/library/vendor/beta.php:3"),
    ]
    # rendered SQL: the template's line, not the rendered text's
    (sql,) = [d for d in report.diagnostics if d.code == "SQL004"]
    assert (sql.path, sql.line) == ("ext/sql/install.sql.j2", 3) and sql.built == ""
    for d in report.diagnostics:
        assert Path(d.path).is_file(), f"{d.path} does not exist in the repository"


def test_every_format_points_at_the_template(project: Path, tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["validate", "ext", "--select", "SEC004", "--format", "text", "--sarif", "r.sarif", "--json", "r.json", "--junit", "r.xml"]).output
    assert f"ext/{MODEL}:7:59: error: SEC004" in out and "(built: upload/admin/model/extension/module/order_note.php:6)" in out
    github = CliRunner(env={"GITHUB_ACTIONS": "true"}).invoke(main, ["validate", "ext", "--select", "SEC004"]).output
    assert f"::error file=ext/{MODEL},line=7,col=59," in github
    sarif = json.loads((tmp_path / "r.sarif").read_text())
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == 7 and result["properties"]["built"].endswith("order_note.php:6")
    from urllib.parse import unquote

    assert Path(unquote(location["artifactLocation"]["uri"])).is_file()
    (record,) = json.loads((tmp_path / "r.json").read_text())["diagnostics"]
    assert (record["path"], record["line"]) == (f"ext/{MODEL}", 7)
    assert f"ext/{MODEL}" in (tmp_path / "r.xml").read_text()


def test_folder_findings_say_they_exist_only_in_the_build(project: Path) -> None:
    write_tree(project, {"templates/docs/readme.md": "x\n"})
    report = validate("ext", select=["PKG004"])
    (d,) = report.diagnostics
    assert d.path == "docs/" and d.build_note == "only in the built package"


def test_packages_keep_their_own_paths(project: Path) -> None:
    assert CliRunner().invoke(main, ["build", "ext", "--fail-on", "info", "-q"]).exit_code == 1  # findings: no zip
    report = validate("ext", select=["SEC001"])
    assert report.diagnostics[0].path.startswith("ext/templates/")
    os.makedirs("pkg/upload/system/library", exist_ok=True)
    Path("pkg/upload/system/library/x.php").write_text("<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n", encoding="utf-8")
    (d,) = validate("pkg", select=["SEC001"]).diagnostics
    assert (d.path, d.line, d.built) == ("upload/system/library/x.php", 2, "")


def test_one_finding_per_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "p", {
        "ocmod-forge.yaml": "extension: {name: N, code: n, version: '1'}\n",
        "sql/install.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}n` (id INT) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n",
        "templates/upload/admin/model/extension/module/n.php.j2": (
            "<?php\nclass ModelExtensionModuleN extends Model {\n  public function install() {\n"
            "[% for s in sql.install %]\n    $this->db->query([= s|php_sql =]);\n[% endfor %]\n  }\n}\n"
        ),
        "templates/upload/admin/view/template/extension/module/n.twig": "<p>\n{% if a %}\n</p>\n",
    })
    report = validate("p", select=["SQL005", "TWG"])
    myisam = [d for d in report.diagnostics if d.code == "SQL005"]
    assert [(d.path, d.line) for d in myisam] == [("p/sql/install.sql", 1)]  # the cause, not its PHP copy too
    assert "also embedded in p/templates/upload/admin/model/extension/module/n.php.j2:5" in myisam[0].message
    twig = [d for d in report.diagnostics if d.code.startswith("TWG")]
    assert [d.code for d in twig] == ["TWG001"], [str(d) for d in twig]  # one Twig mistake, one finding
    import shutil

    if shutil.which("php"):
        assert "TWG002 agrees" in twig[0].message
