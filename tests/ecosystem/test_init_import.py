"""`init` scaffolds projects that build and validate at once; `import` round-trips packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from helpers import MINI_PROJECT, write_tree
from ocmod_forge.cli import main


def _files(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def test_init_blank_builds_and_validates_clean(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "Shiny-Widget"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert "code: shiny_widget" in (target / "ocmod-forge.yaml").read_text()
    validate = runner.invoke(main, ["validate", str(target), "--fail-on", "info"])
    assert validate.exit_code == 0, validate.output
    assert "0 problems" in validate.output
    build = runner.invoke(main, ["build", str(target)])
    assert build.exit_code == 0, build.output
    names = _files(target / "dist" / "shiny_widget-v1.0.0.ocmod.zip")
    assert "upload/admin/controller/extension/module/shiny_widget.php" in names
    assert b"class ControllerExtensionModuleShinyWidget extends Controller" in names["upload/admin/controller/extension/module/shiny_widget.php"]


def test_init_never_overwrites_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "ext"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    (target / "ocmod-forge.yaml").write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 2 and "use --force to overwrite" in result.output
    assert (target / "ocmod-forge.yaml").read_text() == "# mine\n"
    assert runner.invoke(main, ["init", str(target), "--force"]).exit_code == 0
    assert (target / "ocmod-forge.yaml").read_text() != "# mine\n"


def test_init_meschain_copy_builds_the_same_package(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mc"
    assert runner.invoke(main, ["init", str(target), "--template", "meschain"]).exit_code == 0
    assert runner.invoke(main, ["build", str(target)]).exit_code == 0
    assert (target / "dist" / "meschain-sync-enterprise-v3.1.1.ocmod.zip").is_file()


def _package(tmp_path: Path, runner: CliRunner) -> Path:
    project = write_tree(tmp_path / "orig", MINI_PROJECT)
    assert runner.invoke(main, ["build", str(project)]).exit_code == 0
    return project / "dist" / "demo_ext-v1.2.0.ocmod.zip"


def test_import_rebuilds_the_same_files(runner: CliRunner, tmp_path: Path) -> None:
    original = _package(tmp_path, runner)
    imported = tmp_path / "imported"
    result = runner.invoke(main, ["import", str(original), str(imported)])
    assert result.exit_code == 0, result.output
    text = (imported / "ocmod-forge.yaml").read_text()
    assert "name: Demo Extension" in text and "code: demo_ext" in text and "version: 1.2.0" in text
    assert runner.invoke(main, ["build", str(imported)]).exit_code == 0
    rebuilt = imported / "dist" / original.name
    assert _files(rebuilt) == _files(original)
    assert rebuilt.read_bytes() == original.read_bytes()  # same tool, same inputs: the same zip


def test_import_legacy_package_with_odd_identity(runner: CliRunner, tmp_path: Path) -> None:
    legacy = tmp_path / "Legacy Mod.ocmod.zip"
    files = {
        "install.xml": b'<?xml version="1.0"?>\n<modification><name>Legacy</name><code>Legacy-Mod</code><version>v2 beta</version></modification>\r\n',
        "upload/catalog/view/javascript/legacy.js": b"var a = '[=';\n",
        "upload/.htaccess": b"deny from all\n",
    }
    with zipfile.ZipFile(legacy, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    target = tmp_path / "proj"
    result = runner.invoke(main, ["import", str(legacy), str(target)])
    # A file containing a delimiter is fine (non-.j2 files are copied verbatim); the name is not a valid stem.
    assert result.exit_code == 0, result.output
    assert "skipped: upload/.htaccess" in result.output
    assert "adjusted: code 'Legacy-Mod' → 'legacy_mod'" in result.output
    assert runner.invoke(main, ["build", str(target), "--ignore", "TPL001"]).exit_code == 0
    rebuilt = next((target / "dist").glob("*.ocmod.zip"))
    got = _files(rebuilt)
    assert got["install.xml"] == files["install.xml"]
    assert got["upload/catalog/view/javascript/legacy.js"] == files["upload/catalog/view/javascript/legacy.js"]


def test_import_refuses_template_like_names_and_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ocmod.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("install.xml", "<modification><code>x</code><name>x</name></modification>")
        zf.writestr("upload/admin/x.php.j2", "<?php\n")
    result = runner.invoke(main, ["import", str(bad), str(tmp_path / "p")])
    assert result.exit_code == 2 and "cannot be imported literally" in result.output
    good = _package(tmp_path, runner)
    assert runner.invoke(main, ["import", str(good), str(tmp_path / "q")]).exit_code == 0
    again = runner.invoke(main, ["import", str(good), str(tmp_path / "q")])
    assert again.exit_code == 2 and "use --force" in again.output


def test_import_unwraps_a_wrapper_folder_and_keeps_one_version(runner: CliRunner, tmp_path: Path) -> None:
    wrapped = tmp_path / "shop_notes.ocmod.zip"
    xml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<modification>\n  <name>Shop Notes</name>\n  <code>vendor_shop_notes</code>\n'
        b"  <version>2.4.1</version>\n  <author>Vendor</author>\n</modification>\n"
    )
    with zipfile.ZipFile(wrapped, "w") as zf:
        zf.writestr("shop_notes/install.xml", xml)
        zf.writestr("shop_notes/upload/admin/language/en-gb/extension/module/shop_notes.php", "<?php\n$_['heading_title'] = 'Shop Notes';\n")
    target = tmp_path / "proj"
    result = runner.invoke(main, ["import", str(wrapped), str(target)])
    assert result.exit_code == 0, result.output
    assert "adjusted: removed the wrapper folder 'shop_notes/'" in result.output
    project = (target / "ocmod-forge.yaml").read_text()
    assert "code: vendor_shop_notes" in project and "version: 2.4.1" in project and "name: Shop Notes" in project
    assert not (target / "templates" / "shop_notes").exists()
    template = (target / "templates" / "install.xml.j2").read_text()
    assert "<version>[= ext.version =]</version>" in template and "2.4.1" not in template  # one source
    assert runner.invoke(main, ["build", str(target)]).exit_code == 0
    built = _files(target / "dist" / "shop_notes.ocmod.zip")
    assert built["install.xml"] == xml and "upload/admin/language/en-gb/extension/module/shop_notes.php" in built
    project_file = target / "ocmod-forge.yaml"
    project_file.write_text(project.replace("version: 2.4.1", "version: 2.5.0"), encoding="utf-8")
    assert runner.invoke(main, ["build", str(target)]).exit_code == 0
    assert b"<version>2.5.0</version>" in _files(target / "dist" / "shop_notes.ocmod.zip")["install.xml"]


def test_import_names_the_real_cause(runner: CliRunner, tmp_path: Path) -> None:
    fake = tmp_path / "fake.ocmod.zip"
    fake.write_bytes(b"<html>502 Bad Gateway</html>")
    result = runner.invoke(main, ["import", str(fake), str(tmp_path / "p")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "not a readable zip archive" in result.output and "holds no files" not in result.output
    empty = tmp_path / "empty.ocmod.zip"
    zipfile.ZipFile(empty, "w").close()
    result = runner.invoke(main, ["import", str(empty), str(tmp_path / "q")])
    assert result.exit_code == 2 and "empty zip" in result.output
