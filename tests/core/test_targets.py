"""Several OpenCart generations from one project: targets, target folders, per-target packages,
and packages whose generation is read from their layout."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import write_tree
from ocmod_forge import api
from ocmod_forge.cli import main

PROJECT = {
    "ocmod-forge.yaml": (
        "extension: {name: Shop Notes, code: shop_notes, version: 1.2.0, author: Vendor, link: 'https://example.com'}\n"
        "opencart:\n  targets: {'3.0': '', '4.0': '4.0.2.0+', '4.1': ''}\n"
    ),
    "templates/@3.0/install.xml.j2": "<modification><name>[= ext.name =]</name><code>[= ext.code =]</code></modification>\n",
    "templates/@3.0/upload/admin/language/en-gb/extension/module/[= ext.code =].php.j2": "<?php\n$_['heading_title'] = '[= ext.name =] for [= target =]';\n",
    "templates/@4.x/install.json.j2": '{"name": "[= ext.name =]", "version": "[= ext.version =]", "author": "[= ext.author =]", "link": "[= ext.link =]"}\n',
    "templates/@4.x/admin/language/en-gb/module/[= ext.code =].php.j2": (
        "<?php\n$_['heading_title'] = '[= ext.name =] [= target.generation =] [= target.first =]-[= target.last =] sep [= target.separator =]';\n"
    ),
    "templates/@4.1/ocmod/[= ext.code =]_menu.ocmod.xml.j2": "<modification><name>[= ext.name =] menu</name><code>x</code></modification>\n",
    "templates/@4.0,4.1/admin/model/module/[= ext.code =].php": "<?php\nnamespace Opencart\\Admin\\Model\\Extension\\ShopNotes\\Module;\n",
}


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(i.filename for i in zf.infolist() if not i.is_dir())


def test_one_build_writes_one_package_per_target(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", PROJECT)
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 0, result.output
    dist = project / "dist"
    three, four0, four1 = dist / "shop_notes-v1.2.0.ocmod.zip", dist / "opencart-4.0" / "shop_notes.ocmod.zip", dist / "opencart-4.1" / "shop_notes.ocmod.zip"
    assert _names(three) == ["install.xml", "upload/admin/language/en-gb/extension/module/shop_notes.php"]
    assert _names(four0) == ["admin/language/en-gb/module/shop_notes.php", "admin/model/module/shop_notes.php", "install.json"]
    assert _names(four1) == ["admin/language/en-gb/module/shop_notes.php", "admin/model/module/shop_notes.php", "install.json", "ocmod/shop_notes_menu.ocmod.xml"]
    for zip_path in (three, four0, four1):
        assert zip_path.with_name(zip_path.name + ".sha256").is_file()
        assert f"built {zip_path.relative_to(Path.cwd()) if zip_path.is_relative_to(Path.cwd()) else zip_path}" in result.output or zip_path.name in result.output
    with zipfile.ZipFile(four0) as zf:
        assert b"Shop Notes 4.0 4.0.2.0-4.0.2.3 sep ." in zf.read("admin/language/en-gb/module/shop_notes.php")
    with zipfile.ZipFile(three) as zf:
        assert b"Shop Notes for 3.0" in zf.read("upload/admin/language/en-gb/extension/module/shop_notes.php")
    first = {p: p.read_bytes() for p in (three, four0, four1)}
    assert CliRunner().invoke(main, ["build", str(project)]).exit_code == 0
    assert {p: p.read_bytes() for p in first} == first  # reproducible, every target


def test_targets_share_one_compile_and_still_render_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build compiles each template once for all targets (the target is a render variable),
    and a template shared by 4.0 and 4.1 still renders each target's own values."""
    from ocmod_forge import jinja_render

    monkeypatch.setenv("OCMOD_FORGE_NO_CACHE", "1")
    made = []
    real = jinja_render.make_environments
    monkeypatch.setattr(jinja_render, "make_environments", lambda p: made.append(p) or real(p))
    project = api.load_project(write_tree(tmp_path / "p", PROJECT))
    inputs = api.project_inputs(project, project.targets)
    assert len(made) == 1
    language = "admin/language/en-gb/module/shop_notes.php"
    assert b"Shop Notes 4.0 4.0.2.0-4.0.2.3 sep ." in inputs[1].tree[language].data
    assert b"Shop Notes 4.1 4.1.0.0-" in inputs[2].tree[language].data
    assert "ocmod/shop_notes_menu.ocmod.xml" in inputs[2].tree and "ocmod/shop_notes_menu.ocmod.xml" not in inputs[1].tree


def test_target_option_builds_one(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", PROJECT)
    result = CliRunner().invoke(main, ["build", str(project), "--target", "4.1"])
    assert result.exit_code == 0, result.output
    assert (project / "dist" / "opencart-4.1" / "shop_notes.ocmod.zip").is_file()
    assert not (project / "dist" / "shop_notes-v1.2.0.ocmod.zip").exists()
    missing = write_tree(tmp_path / "q", {**PROJECT, "ocmod-forge.yaml": PROJECT["ocmod-forge.yaml"].replace("'4.0': '4.0.2.0+', ", "")})
    result = CliRunner().invoke(main, ["build", str(missing), "--target", "4.0"])
    assert result.exit_code == 2 and "has no target 4.0" in result.output


def test_a_range_spanning_the_separator_change_is_a_template_error(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", {**PROJECT, "ocmod-forge.yaml": PROJECT["ocmod-forge.yaml"].replace("'4.0.2.0+'", "''")})
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 2 and "spans the change of the route method separator" in result.output


def test_package_generation_comes_from_its_layout(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", PROJECT)
    assert CliRunner().invoke(main, ["build", str(project)]).exit_code == 0
    dist = project / "dist"
    assert api.open_source(dist / "shop_notes-v1.2.0.ocmod.zip").inputs[0].target == "3.0"
    assert api.open_source(dist / "opencart-4.1" / "shop_notes.ocmod.zip").inputs[0].target == "4.1"
    assert api.open_source(dist / "opencart-4.0" / "shop_notes.ocmod.zip").inputs[0].target == "4.0"
    source = api.open_source(dist / "opencart-4.0" / "shop_notes.ocmod.zip", target="3.0")
    assert source.inputs[0].target == "3.0" and "checking for 3.0 as asked" in source.note
    result = CliRunner().invoke(main, ["validate", str(dist / "opencart-4.0" / "shop_notes.ocmod.zip"), "--target", "3.0"])
    assert "note: the layout is OpenCart 4.0's" in result.stderr and "PKG003" in result.stdout  # 3.0 installs nothing from it


def test_validate_checks_every_target_of_a_project(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", {**PROJECT, "templates/@3.0/upload/system/config/x.php": "<?php\n"})
    source = api.open_source(project)
    assert [d.target for d in source.inputs] == ["3.0", "4.0", "4.1"]
    report = api.check(source, select=["PTH003"])
    (d,) = report.diagnostics
    assert d.path.endswith("templates/@3.0/upload/system/config/x.php") and d.built.startswith("[3.0] upload/system/config/x.php")


def test_target_takes_a_release_range_for_a_package(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", PROJECT)
    assert CliRunner().invoke(main, ["build", str(project)]).exit_code == 0
    package = project / "dist" / "opencart-4.0" / "shop_notes.ocmod.zip"
    data = api.open_source(package, target="4.0.2.0+").inputs[0]
    assert (data.target, data.target_range.first, data.target_range.last) == ("4.0", "4.0.2.0", "4.0.2.3")  # type: ignore[union-attr]
    result = CliRunner().invoke(main, ["validate", str(package), "--target", "5.0+"])
    assert result.exit_code == 2 and "--target: '5.0+' is not an OpenCart generation" in result.stderr


def test_a_4x_package_with_41_model_events_is_checked_for_41(tmp_path: Path) -> None:
    package = tmp_path / "x.ocmod.zip"
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("install.json", '{"name": "X", "version": "1.0", "author": "V", "link": "https://example.com"}')
        event = "['code' => 'x', 'trigger' => 'admin/model/catalog/product.addProduct/after', 'action' => 'extension/x/module/x.event']"
        zf.writestr("admin/controller/module/x.php", f"<?php\n$this->model_setting_event->addEvent({event});\n")
    source = api.open_source(package)
    assert source.inputs[0].target == "4.1" and "4.1's trigger form" in source.note
