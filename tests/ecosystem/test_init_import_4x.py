"""`init --target 4.0/4.1/4.x` scaffolds OpenCart 4 projects that build and validate with no finding
at all; `import` turns OpenCart 4 packages into projects that rebuild them byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocmod_forge.cli import main
from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.versions import Target
from ocmod_forge.zipread import read_zip

OPENCART = os.environ.get("OCMOD_FORGE_TEST_OPENCART")


def _files(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _release_report(package: Path, release: str) -> list[str]:
    """Every finding (all rules, every level) for the package on exactly one release."""
    generation = release[:3]
    trees: tuple[Path, ...] = ()
    if OPENCART and (Path(OPENCART) / release / "upload").is_dir():
        trees = (Path(OPENCART) / release / "upload",)  # lets PKG206 compare with the real store
    data = LintInput(tree=read_zip(package), target=generation, package_name=package.name, target_range=Target(generation, release, release), opencart_paths=trees)
    return [str(d) for d in lint(data).diagnostics]


@pytest.mark.parametrize("opencart, built", [("4.1", ["4.1"]), ("4.0", ["4.0"]), ("4.x", ["4.0", "4.1"])])
def test_init_4x_builds_and_validates_with_no_finding(runner: CliRunner, tmp_path: Path, opencart: str, built: list[str]) -> None:
    project = tmp_path / "Shiny-Widget"
    result = runner.invoke(main, ["init", str(project), "--target", opencart])
    assert result.exit_code == 0, result.output
    text = (project / "ocmod-forge.yaml").read_text()
    assert "code: shiny_widget" in text and ('"4.0": "4.0.2.0+"' in text) == ("4.0" in built) and ('"4.1": ""' in text) == ("4.1" in built)
    validate = runner.invoke(main, ["validate", str(project), "--fail-on", "info"])
    assert validate.exit_code == 0 and "0 problems" in validate.output, validate.output
    build = runner.invoke(main, ["build", str(project), "--fail-on", "info"])
    assert build.exit_code == 0, build.output
    assert sorted(p.name for p in (project / "dist").iterdir()) == [f"opencart-{g}" for g in built]
    for generation in built:
        package = project / "dist" / f"opencart-{generation}" / "shiny_widget.ocmod.zip"
        release = {"4.0": "4.0.2.3", "4.1": "4.1.0.4"}[generation]
        assert _release_report(package, release) == []
        # every release of the declared range too (4.0.2.0 is the first the scaffold supports)
        for first in {"4.0": ("4.0.2.0",), "4.1": ("4.1.0.0",)}[generation]:
            assert _release_report(package, first) == []
        if generation == "4.1":  # a zip names no releases: --target 4.0 would include 4.0.0.0–4.0.1.1
            check = runner.invoke(main, ["validate", str(package), "--target", generation, "--fail-on", "info"])
            assert check.exit_code == 0, check.output


def test_init_4x_package_content(runner: CliRunner, tmp_path: Path) -> None:
    """What the brief asks of the scaffold: Bootstrap 5 settings page with an AJAX save, a language
    file with heading_title, an event added in install() (array, '.') and removed in uninstall(),
    a table created and dropped with DB_PREFIX from sql/, and install.json."""
    project = tmp_path / "shop_note"
    assert runner.invoke(main, ["init", str(project), "--target", "4.1"]).exit_code == 0
    assert runner.invoke(main, ["build", str(project)]).exit_code == 0
    files = {k: v.decode("utf-8") for k, v in _files(project / "dist" / "opencart-4.1" / "shop_note.ocmod.zip").items()}
    assert sorted(files) == [
        "admin/controller/module/shop_note.php",
        "admin/language/en-gb/module/shop_note.php",
        "admin/model/module/shop_note.php",
        "admin/view/template/module/shop_note.twig",
        "catalog/controller/event/shop_note.php",
        "install.json",
    ]
    assert json.loads(files["install.json"]) == {
        "name": "Shop Note", "version": "1.0.0", "author": "Your Name", "link": "https://example.com/shop_note",
        "description": "A minimal OpenCart 4 module made with ocmod-forge.",
    }
    controller = files["admin/controller/module/shop_note.php"]
    assert "namespace Opencart\\Admin\\Controller\\Extension\\ShopNote\\Module;" in controller and "class ShopNote extends \\Opencart\\System\\Engine\\Controller" in controller
    assert "$this->model_setting_event->addEvent([" in controller and "'action'      => 'extension/shop_note/event/shop_note.footer'" in controller
    assert "deleteEventByCode('shop_note')" in controller and "hasPermission('modify', $this->route)" in controller
    assert "$this->route . '.save'" in controller and "$json['error']['note']" in controller
    view = files["admin/view/template/module/shop_note.twig"]
    assert 'data-oc-toggle="ajax"' in view and 'id="error-note"' in view and 'id="input-note"' in view and "card-body" in view and "panel" not in view
    assert "$_['heading_title']    = 'Shop Note';" in files["admin/language/en-gb/module/shop_note.php"]
    model = files["admin/model/module/shop_note.php"]
    assert "CREATE TABLE IF NOT EXISTS `' . DB_PREFIX . 'shop_note_note`" in model and "DROP TABLE IF EXISTS `' . DB_PREFIX . 'shop_note_note`" in model
    assert "public function footer(string &$route, array &$data, string &$output): void" in files["catalog/controller/event/shop_note.php"]


def test_init_4x_php_and_twig_parse(runner: CliRunner, tmp_path: Path) -> None:
    """The generated PHP passes php -l and the view compiles with Twig (when they are installed)."""
    php = shutil.which("php")
    if php is None:
        pytest.skip("php is not on PATH")
    project = tmp_path / "parse_me"
    assert runner.invoke(main, ["init", str(project), "--target", "4.x"]).exit_code == 0
    assert runner.invoke(main, ["build", str(project)]).exit_code == 0
    out = tmp_path / "out"
    with zipfile.ZipFile(project / "dist" / "opencart-4.0" / "parse_me.ocmod.zip") as zf:
        zf.extractall(out)
    for source in sorted(out.rglob("*.php")):
        lint_result = subprocess.run([php, "-l", str(source)], capture_output=True, text=True, timeout=60)
        assert lint_result.returncode == 0, lint_result.stdout + lint_result.stderr
    twig = Path("/usr/share/php/Twig/autoload.php")
    if not twig.is_file():
        pytest.skip("php-twig is not installed: the view was not compiled")
    script = (
        "require '/usr/share/php/Twig/autoload.php';"
        "$t = new \\Twig\\Environment(new \\Twig\\Loader\\FilesystemLoader($argv[1]));"
        "$t->parse($t->tokenize(new \\Twig\\Source(file_get_contents($argv[1] . '/' . $argv[2]), $argv[2])));"
        "echo 'ok';"
    )
    compiled = subprocess.run([php, "-r", script, str(out / "admin" / "view" / "template" / "module"), "parse_me.twig"], capture_output=True, text=True, timeout=60)
    assert compiled.stdout.endswith("ok"), compiled.stdout + compiled.stderr


def test_init_4x_codes_name_a_namespace(runner: CliRunner, tmp_path: Path) -> None:
    """The folder name becomes a code OpenCart 4 can use as a namespace segment and as the name of
    the scaffold's class files (ext_2_fast_cart would be looked for as ext_2fast_cart.php)."""
    project = tmp_path / "2-Fast__Cart"
    assert runner.invoke(main, ["init", str(project), "--target", "4.1"]).exit_code == 0
    assert "code: ext_2fast_cart" in (project / "ocmod-forge.yaml").read_text()
    result = runner.invoke(main, ["validate", str(project), "--fail-on", "info"])
    assert result.exit_code == 0, result.output


def test_init_meschain_ships_every_generation_or_the_one_asked_for(runner: CliRunner, tmp_path: Path) -> None:
    from ocmod_forge.api import load_project

    whole = runner.invoke(main, ["init", str(tmp_path / "mc"), "--template", "meschain"])
    assert whole.exit_code == 0, whole.output
    assert [str(t) for t in load_project(tmp_path / "mc").targets] == [str(t) for t in load_project(Path(__file__).parents[2]).targets]
    assert [t.generation for t in load_project(tmp_path / "mc").targets] == ["3.0", "4.0", "4.1"]
    only = runner.invoke(main, ["init", str(tmp_path / "mc41"), "--template", "meschain", "--target", "4.1"])
    assert only.exit_code == 0, only.output
    assert [t.generation for t in load_project(tmp_path / "mc41").targets] == ["4.1"]
    both = runner.invoke(main, ["init", str(tmp_path / "mc4x"), "--template", "meschain", "--target", "4.x"])
    assert both.exit_code == 0 and [t.generation for t in load_project(tmp_path / "mc4x").targets] == ["4.0", "4.1"]
    bad = runner.invoke(main, ["init", str(tmp_path / "x"), "--target", "5.0"])
    assert bad.exit_code == 2


# --------------------------------------------------------------------------- import

INSTALL_JSON = b'{\n  "name": "Acme Notes",\n  "version": "2.4.1",\n  "author": "Acme",\n  "link": "https://example.com",\n  "code": "whatever"\n}\n'
CONTROLLER = (
    b"<?php\nnamespace Opencart\\Admin\\Controller\\Extension\\AcmeNotes\\Module;\n"
    b"class AcmeNotes extends \\Opencart\\System\\Engine\\Controller {\n\tpublic function index(): void {}\n}\n"
)
PACKAGE = {
    "install.json": INSTALL_JSON,
    "admin/controller/module/acme_notes.php": CONTROLLER,
    "admin/language/en-gb/module/acme_notes.php": b"<?php\n$_['heading_title'] = 'Acme Notes';\n",
    "admin/view/template/module/acme_notes.twig": b"{{ header }}<p>[= not a template =]</p>\n",
}


def test_import_4x_identity_targets_and_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    original = _write_zip(tmp_path / "acme_notes.ocmod.zip", PACKAGE | {"admin/view/template/module/acme_notes.twig": b"{{ header }}\n"})
    project = tmp_path / "proj"
    result = runner.invoke(main, ["import", str(original), str(project)])
    assert result.exit_code == 0, result.output
    text = (project / "ocmod-forge.yaml").read_text()
    assert "code: acme_notes" in text and "version: 2.4.1" in text and "name: Acme Notes" in text and "link: https://example.com" in text
    assert "targets:\n  - '4.0'\n  - '4.1'" in text and "stem" not in text
    template = (project / "templates" / "install.json.j2").read_text()
    assert '"version": [= ext.version|json =]' in template and "2.4.1" not in template and '"code": "whatever"' in template
    build = runner.invoke(main, ["build", str(project)])
    assert build.exit_code == 0, build.output
    for generation in ("4.0", "4.1"):
        assert _files(project / "dist" / f"opencart-{generation}" / "acme_notes.ocmod.zip") == _files(original)
    (project / "ocmod-forge.yaml").write_text(text.replace("version: 2.4.1", "version: 2.5.0"), encoding="utf-8")
    assert runner.invoke(main, ["build", str(project)]).exit_code == 0
    rebuilt = json.loads(_files(project / "dist" / "opencart-4.1" / "acme_notes.ocmod.zip")["install.json"])
    assert rebuilt["version"] == "2.5.0" and rebuilt["code"] == "whatever"


def test_import_4x_with_ocmod_targets_4_1_only(runner: CliRunner, tmp_path: Path) -> None:
    files = {"install.json": b'{"name": "Acme Mod", "version": "1.0"}', "ocmod/acme_mod.ocmod.xml": b"<modification><name>x</name></modification>\n"}
    original = _write_zip(tmp_path / "acme_mod.ocmod.zip", files)
    project = tmp_path / "proj"
    assert runner.invoke(main, ["import", str(original), str(project)]).exit_code == 0
    text = (project / "ocmod-forge.yaml").read_text()
    assert "targets:\n  - '4.1'\n" in text and "'4.0'" not in text
    template = (project / "templates" / "install.json.j2").read_text()
    assert template == '{"name": [= ext.name|json =], "version": [= ext.version|json =]}'


def test_import_4x_targets_follow_the_route_separator_and_event_forms(runner: CliRunner, tmp_path: Path) -> None:
    """An imported 4.x package targets the releases its own code works on, as validate reads them:
    '.' routes are 4.0.2.0-4.0.2.3's (and 4.1's); 4.0-form model triggers never fire on 4.1."""
    redirect = b"public function index(): void { $this->response->redirect($this->url->link('extension/acme_notes/module/acme_notes.save')); }"
    dotted = PACKAGE | {
        "admin/view/template/module/acme_notes.twig": b"{{ header }}\n",
        "admin/controller/module/acme_notes.php": CONTROLLER.replace(b"public function index(): void {}", redirect + b"\n\tpublic function save(): void {}"),
    }
    project = tmp_path / "dotted"
    assert runner.invoke(main, ["import", str(_write_zip(tmp_path / "acme_notes.ocmod.zip", dotted)), str(project)]).exit_code == 0
    text = (project / "ocmod-forge.yaml").read_text()
    assert "'4.0': 4.0.2.0 - 4.0.2.3" in text and "'4.1': ''" in text, text
    build = runner.invoke(main, ["build", str(project)])
    assert build.exit_code == 0, build.output
    events = dotted | {"admin/controller/module/acme_notes.php": dotted["admin/controller/module/acme_notes.php"].replace(b"public function save(): void {}", (
        b"public function install(): void {\n\t\t$events = ['acme_notes_add' => ['admin/model/catalog/product/addProduct/after', 'onAdd']];\n"
        b"\t\tforeach ($events as $code => $event) {\n\t\t\t$this->model_setting_event->addEvent(['code' => $code, 'description' => '', 'trigger' => $event[0], "
        b"'action' => 'extension/acme_notes/module/acme_notes.' . $event[1], 'status' => 1, 'sort_order' => 0]);\n\t\t}\n\t}\n"
        b"\tpublic function onAdd(string &$route, array &$args, mixed &$output): void {}\n\tpublic function save(): void {}"))}
    project = tmp_path / "events"
    (tmp_path / "e").mkdir()
    assert runner.invoke(main, ["import", str(_write_zip(tmp_path / "e" / "acme_notes.ocmod.zip", events)), str(project)]).exit_code == 0
    text = (project / "ocmod-forge.yaml").read_text()
    assert "'4.1'" not in text and "'4.0': 4.0.2.0 - 4.0.2.3" in text, text
    build = runner.invoke(main, ["build", str(project)])
    assert build.exit_code == 0 and "opencart-4.1" not in build.output, build.output


def test_import_4x_code_from_an_odd_file_name(runner: CliRunner, tmp_path: Path) -> None:
    """A renamed download: the code OpenCart would take is unusable, so the project names a clean one."""
    original = _write_zip(tmp_path / "Acme Notes (1).ocmod.zip", PACKAGE)
    result = runner.invoke(main, ["import", str(original), str(tmp_path / "proj")])
    assert result.exit_code == 0, result.output
    assert "code: acme_notes_1" in (tmp_path / "proj" / "ocmod-forge.yaml").read_text()
    assert "adjusted: code 'Acme Notes (1)' (the file name) → 'acme_notes_1'" in result.output


def test_import_4x_keeps_literal_what_would_render_differently(runner: CliRunner, tmp_path: Path) -> None:
    """CRLF line ends, escaped or repeated values: install.json is kept byte for byte."""
    crlf = INSTALL_JSON.replace(b"\n", b"\r\n")
    escaped = b'{"name": "Acm\\u00e9 Co", "version": "1.0", "author": "A", "link": "https://example.com"}'
    for index, data in enumerate((crlf, escaped)):
        original = _write_zip(tmp_path / f"acme_notes_{index}.ocmod.zip", PACKAGE | {"install.json": data})
        project = tmp_path / f"p{index}"
        assert runner.invoke(main, ["import", str(original), str(project)]).exit_code == 0
        templates = project / "templates"
        if index == 0:
            assert (templates / "install.json").read_bytes() == crlf and not (templates / "install.json.j2").exists()
        else:
            rendered = (templates / "install.json.j2").read_text()
            assert "Acm\\u00e9 Co" in rendered and '"version": [= ext.version|json =]' in rendered


def test_import_4x_unwraps_a_wrapper_folder(runner: CliRunner, tmp_path: Path) -> None:
    wrapped = _write_zip(tmp_path / "acme_notes.ocmod.zip", {f"acme_notes/{k}": v for k, v in PACKAGE.items() if not k.endswith(".twig")})
    result = runner.invoke(main, ["import", str(wrapped), str(tmp_path / "proj")])
    assert result.exit_code == 0, result.output
    assert "removed the wrapper folder 'acme_notes/'" in result.output
    assert (tmp_path / "proj" / "templates" / "install.json.j2").is_file()
    assert (tmp_path / "proj" / "templates" / "admin" / "controller" / "module" / "acme_notes.php").is_file()


def test_import_refuses_template_syntax_in_4x_names(runner: CliRunner, tmp_path: Path) -> None:
    bad = _write_zip(tmp_path / "acme_notes.ocmod.zip", {"install.json": b"{}", "admin/[= x =].php": b"<?php"})
    result = runner.invoke(main, ["import", str(bad), str(tmp_path / "p")])
    assert result.exit_code == 2 and "cannot be imported literally" in result.output
