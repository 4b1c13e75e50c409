"""Truth tables for the OpenCart 4 package rules (PKG2xx, JSN, NSP, EXT): the cases between the
documented examples — release ranges, severities chosen per finding, what must stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from examples import write_opencart

from ocmod_forge.context import LintInput
from ocmod_forge.diagnostics import Diagnostic, Severity
from ocmod_forge.lint import lint
from ocmod_forge.tree import PackageFile, PackageTree
from ocmod_forge.versions import parse_range
from ocmod_forge.zipread import read_zip
from zipbuild import zip_bytes

JSON_40 = '{"name": "X", "version": "1", "author": "A", "link": "https://example.com"}'
ENGINE = "\\Opencart\\System\\Engine\\"


def run(code: str, files: dict[str, str], *, name: str | None = "my_ext.ocmod.zip", target: str = "4.1", releases: str = "", opencart: tuple[Path, ...] = ()) -> list[Diagnostic]:
    tree = PackageTree(files={p: PackageFile(t.encode("utf-8")) for p, t in files.items()})
    data = LintInput(tree=tree, target=target, package_name=name, target_range=parse_range(target, releases), opencart_paths=opencart)
    return [d for d in lint(data, select=[code]).diagnostics if d.code == code]


def controller(ns: str, cls: str, extends: str = ENGINE + "Controller", body: str = "") -> str:
    return f"<?php\nnamespace {ns};\nclass {cls} extends {extends} {{\n{body}}}\n"


# --------------------------------------------------------------------------- PKG201 / PKG202


@pytest.mark.parametrize(
    "name, fires",
    [("my_ext.ocmod.zip", False), ("my_ext.zip", True), ("my_ext.Ocmod.zip", True), ("my_ext.ocmod.zip.zip", True), ("a" * 118 + ".ocmod.zip", False), ("a" * 119 + ".ocmod.zip", True)],
)
def test_file_name(name: str, fires: bool) -> None:
    assert bool(run("PKG201", {"install.json": "{}"}, name=name)) == fires


def test_no_file_name_no_name_rules() -> None:
    """A package folder has no file name: nothing to say about it."""
    assert run("PKG201", {"install.json": "{}"}, name=None) == [] and run("PKG202", {"install.json": "{}"}, name=None) == []


@pytest.mark.parametrize(
    "name, target, severities",
    [
        ("my_ext.ocmod.zip", "4.1", []),
        ("my_ext (1).ocmod.zip", "4.1", [Severity.ERROR]),
        ("My_Ext.ocmod.zip", "4.0", [Severity.ERROR]),
        ("2fa.ocmod.zip", "4.0", [Severity.ERROR]),
        ("my_ext_v2.ocmod.zip", "4.1", [Severity.WARNING]),
        ("my_ext_1_2.ocmod.zip", "4.1", [Severity.WARNING]),
        ("my_ext2.ocmod.zip", "4.1", []),
        ("opencart.ocmod.zip", "4.0", [Severity.ERROR]),
        ("ocmod.ocmod.zip", "4.1", [Severity.ERROR]),
        ("ocmod.ocmod.zip", "4.0", [Severity.WARNING]),
        ("..ocmod.zip", "4.1", [Severity.ERROR]),
        (".ocmod.zip", "4.1", [Severity.ERROR]),
        ("my_ext.OCMOD.ZIP", "4.1", []),  # PKG201's: refused before a code exists
    ],
)
def test_extension_code(name: str, target: str, severities: list[Severity]) -> None:
    found = run("PKG202", {"install.json": JSON_40}, name=name, target=target)
    assert [d.severity for d in found] == severities, [d.message for d in found]
    assert all(d.hint for d in found)


# --------------------------------------------------------------------------- PKG203


def _zip_input(entries: list[tuple[str, bytes]], target: str, releases: str = "") -> LintInput:
    tree = read_zip(zip_bytes(entries), name="my_ext.ocmod.zip")
    return LintInput(tree=tree, target=target, package_name="my_ext.ocmod.zip", target_range=parse_range(target, releases))


def test_zip_slip_message_follows_the_releases() -> None:
    """≤ 4.1.0.3 writes a '..' entry outside extension/; 4.1.0.4 skips it (facts §1.4)."""
    entries = [("install.json", b"{}"), ("../../evil.php", b"<?php")]
    old = list(lint(_zip_input(entries, "4.1", "4.1.0.0 - 4.1.0.3"), select=["PKG203"]).diagnostics)
    new = list(lint(_zip_input(entries, "4.1", "4.1.0.4"), select=["PKG203"]).diagnostics)
    assert len(old) == 1 and "outside extension/my_ext/" in old[0].message and "skips" not in old[0].message
    assert len(new) == 1 and "skips it" in new[0].message and "zip slip" not in new[0].message


def test_backslash_entries() -> None:
    """'\\' is normalised by install() (warning), but 4.1's xml() never registers ocmod\\x (A5: error)."""
    entries = [("install.json", b"{}"), ("admin\\controller\\module\\x.php", b"<?php"), ("ocmod\\x.ocmod.xml", b"<modification/>")]
    on41 = {d.path: d.severity for d in lint(_zip_input(entries, "4.1"), select=["PKG203"]).diagnostics}
    assert on41 == {"admin\\controller\\module\\x.php": Severity.WARNING, "ocmod\\x.ocmod.xml": Severity.ERROR}
    on40 = {d.path: d.severity for d in lint(_zip_input(entries, "4.0"), select=["PKG203"]).diagnostics}
    assert set(on40.values()) == {Severity.WARNING}


# --------------------------------------------------------------------------- PKG204 / PKG205


def test_wrapper_folders() -> None:
    assert [d.path for d in run("PKG204", {"install.json": "{}", "mollie/extension/mollie/admin/controller/x.php": "<?php"})] == []
    assert [d.path for d in run("PKG204", {"install.json": "{}", "extension/mollie/admin/controller/x.php": "<?php"})] == ["extension/"]
    assert [d.path for d in run("PKG204", {"my_ext/install.json": "{}"})] == ["my_ext/"]
    assert run("PKG204", {"install.json": "{}", "system/library/x/admin/controller/a.php": "<?php", "image/catalog/admin/view/x.png": ""}) == []


def test_stray_entries() -> None:
    files = {
        "install.json": "{}",
        "README.md": "x",
        "setup.php": "<?php",
        "docs/a.md": "x",
        "docs/b.md": "x",
        "admin/.htaccess": "x",
        "system/storage/vendor/a/b/.gitignore": "x",  # DIR_STORAGE: outside the web root
        "system/library/acme/vendor/x/y/.gitignore": "x",
        "system/library/acme/vendor/x/y/.github/ci.yml": "x",
        "image/catalog/.DS_Store": "x",
        "ocmod/x.ocmod.xml": "<modification/>",
    }
    found = {d.path: d.message for d in run("PKG205", files)}
    assert set(found) == {"README.md", "setup.php", "docs/", "admin/.htaccess", "system/library/acme/vendor/", "image/catalog/.DS_Store"}
    assert "runnable" in found["setup.php"] and "2 dot-files" in found["system/library/acme/vendor/"]
    assert "image/ folder" in found["image/catalog/.DS_Store"]


# --------------------------------------------------------------------------- PKG206 / PKG207 / PKG208


def test_core_collisions_need_a_tree_of_the_generation(tmp_path: Path) -> None:
    files = {"install.json": JSON_40, "image/catalog/opencart-logo.png": "x", "image/catalog/mine.png": "y", "system/storage/vendor/twig/twig/README.md": "z"}
    tree40 = write_opencart(tmp_path, "4.0.2.3", {"image/catalog/opencart-logo.png": "x", "system/storage/vendor/twig/twig/README.md": "z"})
    found = run("PKG206", files, target="4.0", opencart=(tree40,))
    assert sorted(d.path for d in found) == ["image/catalog/opencart-logo.png", "system/storage/vendor/twig/twig/README.md"]
    tree30 = write_opencart(tmp_path, "3.0.3.8", {"image/catalog/opencart-logo.png": "x"})
    assert run("PKG206", files, target="4.0", opencart=(tree30,)) == []
    assert run("PKG206", files, target="4.0") == []


def test_storage_vendor_only_when_4_1_0_4_is_a_target() -> None:
    files = {"install.json": "{}", "system/storage/vendor/acme/util/composer.json": "{}", "system/storage/vendor/acme/util/src/A.php": "<?php"}
    assert [d.path for d in run("PKG207", files)] == ["system/storage/vendor/acme/util/composer.json"]
    assert [d.path for d in run("PKG207", files, releases="4.1.0.4")] == ["system/storage/vendor/acme/util/composer.json"]
    assert run("PKG207", files, releases="4.1.0.0 - 4.1.0.3") == []
    assert [d.path for d in run("PKG207", {"install.json": "{}", "system/storage/vendor/autoload.php": "<?php"})] == ["system/storage/vendor/"]


def test_long_recorded_paths_count_the_code() -> None:
    entry = "catalog/view/javascript/" + "a" * 225 + ".js"  # 252 characters
    assert run("PKG208", {"install.json": "{}", entry: "x"}, name="ab.ocmod.zip") == []
    assert len(run("PKG208", {"install.json": "{}", entry: "x"}, name="abcd.ocmod.zip")) == 1


# --------------------------------------------------------------------------- JSN


@pytest.mark.parametrize(
    "text, fires",
    [('{"name": "x"}', False), ("{}", True), ("[]", True), ('"x"', True), ("5", True), ('["a"]', True), ('{"a": NaN}', True), ('{"a": 1}', False), ("\ufeff{}", True)],
)
def test_install_json_unusable(text: str, fires: bool) -> None:
    assert bool(run("JSN001", {"install.json": text})) == fires


def test_folder_mode_is_a_warning_only_for_4_0_0_0() -> None:
    files = {"a/install.json": JSON_40, "a/admin/controller/module/a.php": "<?php"}
    only_4000 = run("JSN001", files, target="4.0", releases="4.0.0.0")
    assert [d.severity for d in only_4000] == [Severity.WARNING] and "folder mode" in only_4000[0].message
    wider = run("JSN001", files, target="4.0")
    assert [d.severity for d in wider] == [Severity.ERROR] and "wraps the package" in wider[0].message


def test_required_keys_only_for_4_0_1_0_to_4_0_2_3() -> None:
    files = {"install.json": '{"name": "X"}'}
    assert len(run("JSN002", files, target="4.0")) == 3
    assert len(run("JSN002", files, target="4.0", releases="4.0.1.0")) == 3
    assert run("JSN002", files, target="4.0", releases="4.0.0.0") == []
    assert run("JSN002", files, target="4.1") == []


def test_required_key_types() -> None:
    found = run("JSN002", {"install.json": '{"name": ["x"], "version": 1, "author": true, "link": 0}'}, target="4.0")
    assert {d.message.split("'")[1]: d.severity for d in found} == {"name": Severity.ERROR, "version": Severity.WARNING, "author": Severity.WARNING, "link": Severity.ERROR}


def test_values_too_long_or_html() -> None:
    assert len(run("JSN003", {"install.json": '{"name": "' + "n" * 128 + '"}'})) == 0
    assert len(run("JSN003", {"install.json": '{"name": "' + "n" * 129 + '"}'})) == 1
    assert len(run("JSN003", {"install.json": '{"name": "a < b", "description": "1 <2"}'})) == 0
    assert len(run("JSN003", {"install.json": '{"name": "x", "link": "www.example.com"}'})) == 1


def test_ignored_keys() -> None:
    found = run("JSN004", {"install.json": '{\n"name": "X",\n"code": "other",\n"license": "GPL",\n"extension_id": 5\n}'})
    assert [(d.line, d.severity) for d in found] == [(3, Severity.INFO), (4, Severity.INFO), (5, Severity.INFO)]
    assert "'other' differs from the file's code 'my_ext'" in found[0].message


# --------------------------------------------------------------------------- NSP001


NS = "Opencart\\Admin\\Controller\\Extension\\MyExt\\Module"


@pytest.mark.parametrize(
    "path, text, fires",
    [
        ("admin/controller/module/my_ext.php", controller(NS, "MyExt"), False),
        ("admin/controller/module/my_ext.php", controller(NS.upper(), "myext"), False),  # PHP names are case-insensitive
        ("admin/controller/module/my_ext.php", controller(NS, "MyExtension"), True),
        ("admin/controller/module/sub/deep_one.php", controller(NS + "\\Sub", "DeepOne"), False),
        ("admin/controller/module/My_Ext.php", controller(NS, "MyExt"), True),  # the autoloader asks for my_ext.php
        ("admin/controller/module/html5.php", controller(NS, "Html5"), True),
        ("admin/controller/module/my_2fa.php", controller(NS, "My2fa"), False),
        ("catalog/model/module/my_ext.php", controller("Opencart\\Catalog\\Model\\Extension\\MyExt\\Module", "MyExt", ENGINE + "Model"), False),
        ("catalog/model/module/my_ext.php", controller("Opencart\\Admin\\Model\\Extension\\MyExt\\Module", "MyExt", ENGINE + "Model"), True),
        ("admin/controller/module/my_ext.php", "<?php\nclass ControllerExtensionModuleMyExt extends Controller {}\n", True),
        ("admin/controller/module/helper.php", "<?php\nfunction my_ext_helper() {}\n", True),
        ("admin/controller/module/data.php", "just text\n", False),
        ("admin/view/template/module/my_ext.php", "<?php\n", False),
    ],
)
def test_class_not_autoloadable(path: str, text: str, fires: bool) -> None:
    assert bool(run("NSP001", {"install.json": "{}", path: text})) == fires


def test_a_file_without_a_class_is_a_warning() -> None:
    found = run("NSP001", {"install.json": "{}", "admin/model/module/my_ext.php": "<?php\nnamespace Opencart\\Admin\\Model\\Extension\\MyExt\\Module;\n"})
    assert [d.severity for d in found] == [Severity.WARNING]


def test_class_check_without_a_file_name_uses_the_namespaces() -> None:
    """A package folder: the code is inferred from the namespaces, and the message says so."""
    files = {
        "admin/controller/module/a.php": controller(NS, "A"),
        "admin/controller/module/b.php": controller(NS, "B"),
        "admin/controller/module/c.php": controller("Opencart\\Admin\\Controller\\Extension\\Other\\Module", "C"),
    }
    found = run("NSP001", files, name=None)
    assert [d.path for d in found] == ["admin/controller/module/c.php"] and "inferred" in found[0].message


def test_no_class_check_for_an_unusable_code() -> None:
    assert run("NSP001", {"admin/controller/module/x.php": controller(NS, "X")}, name="my ext.ocmod.zip") == []


# --------------------------------------------------------------------------- NSP002


LIB = "system/library/my_helper.php"


@pytest.mark.parametrize(
    "ns, releases, severity",
    [
        ("Opencart\\System\\Library\\Extension\\MyExt", "", Severity.ERROR),  # the 4.0 range includes 4.0.0.0
        ("Opencart\\System\\Library\\Extension\\MyExt", "4.0.1.0+", None),
        ("Opencart\\System\\Extension\\MyExt\\Library", "4.0.1.0+", Severity.ERROR),
        ("Opencart\\System\\Extension\\MyExt\\Library", "4.0.0.0", None),
        ("Opencart\\System\\Library\\Extension\\MyExt", "4.0.0.0", Severity.ERROR),
        ("Opencart\\System\\Library", "4.0.1.0+", Severity.WARNING),
        ("Acme\\Helper", "", None),
    ],
)
def test_library_namespaces(ns: str, releases: str, severity: Severity | None) -> None:
    found = run("NSP002", {LIB: f"<?php\nnamespace {ns};\nclass MyHelper {{}}\n"}, target="4.0", releases=releases)
    assert [d.severity for d in found] == ([severity] if severity else []), [d.message for d in found]


def test_library_file_names_round_trip() -> None:
    found = run("NSP002", {"system/library/MyHelper.php": "<?php\nnamespace Opencart\\System\\Library\\Extension\\MyExt;\nclass MyHelper {}\n"})
    assert len(found) == 1 and "my_helper.php" in found[0].message


# --------------------------------------------------------------------------- NSP003


BASE = "admin/controller/payment/base.php"
PAY = "admin/controller/payment/my_ext.php"
PNS = "Opencart\\Admin\\Controller\\Extension\\MyExt\\Payment"


@pytest.mark.parametrize(
    "files, fires",
    [
        ({PAY: controller(PNS, "MyExt", "Base"), BASE: controller(PNS, "Base")}, False),
        ({PAY: controller(PNS, "MyExt", "Base"), BASE: f"<?php\nnamespace {PNS};\nclass Base {{}}\n"}, True),
        ({PAY: controller(PNS, "MyExt", "Base")}, True),  # resolves to the package's own namespace, not declared
        ({PAY: f"<?php\nnamespace {PNS};\nuse Acme\\Sdk\\Controller as Base;\nclass MyExt extends Base {{}}\n"}, False),  # outside the package: unknown
        ({PAY: f"<?php\nnamespace {PNS};\nuse Opencart\\System\\Engine\\Controller;\nclass MyExt extends Controller {{}}\n"}, False),
        ({PAY: controller(PNS, "MyExt", ENGINE + "Model")}, True),
        ({PAY: controller(PNS, "MyExt", ENGINE + "Widget")}, True),
        ({"catalog/model/total/my_fee.php": "<?php\nclass ModelExtensionTotalMyFee extends Model {}\n"}, True),
    ],
)
def test_engine_base_classes(files: dict[str, str], fires: bool) -> None:
    assert bool(run("NSP003", {"install.json": "{}", **files})) == fires


# --------------------------------------------------------------------------- EXT


def test_templates_in_3_0_folders_that_the_package_loads_are_left_alone() -> None:
    files = {
        "admin/view/template/extension/payment/my_ext.twig": "x",
        "catalog/view/template/extension/payment/my_ext.twig": "x",
        "system/admin/base.php": "<?php $this->load->view('../extension/my_ext/admin/view/template/extension/payment/my_ext');",
    }
    # system/admin/… runs on the admin side only: the catalog copy is still dead
    assert [d.path for d in run("EXT001", files)] == ["catalog/view/template/extension/payment/my_ext.twig"]
    files["system/admin/base.php"] = "<?php\n"
    assert len(run("EXT001", files)) == 2
    assert [d.path for d in run("EXT001", {"admin/view/template/module/x.tpl": "x", "catalog/view/theme/default/stylesheet/x.css": "x"})] == ["admin/view/template/module/x.tpl"]


def test_type_controllers_need_a_heading_title() -> None:
    files = {"admin/controller/module/my_ext.php": "<?php", "admin/language/en-gb/module/my_ext.php": "<?php\n$_['text_edit'] = 'Edit';\n"}
    found = run("EXT002", files)
    assert len(found) == 1 and "has no $_['heading_title']" in found[0].message
    files["admin/language/en-gb/module/my_ext.php"] = "<?php\n$_[ \"heading_title\" ] = 'X';\n"
    assert run("EXT002", files) == []
    # a sub-folder, or a folder that is no type, is not an extension
    assert run("EXT002", {"admin/controller/module/sub/x.php": "<?php", "admin/controller/tool/x.php": "<?php"}) == []
    # 'language' is a type from 4.0.1.0, 'marketplace' from 4.0.2.3
    assert run("EXT002", {"admin/controller/language/x.php": "<?php"}, target="4.0", releases="4.0.0.0") == []
    assert len(run("EXT002", {"admin/controller/language/x.php": "<?php"}, target="4.0", releases="4.0.1.0")) == 1
    assert run("EXT002", {"admin/controller/marketplace/x.php": "<?php"}, target="4.0", releases="4.0.2.2") == []


@pytest.mark.parametrize(
    "package, code, fires",
    [
        ("acme_pay", "credit_card", True),
        ("acme_pay", "acme_credit_card", False),
        ("parcelpro", "parcel_pro", False),
        ("ipay_opencart", "bt_ipay", False),
        ("oc_payment_example", "credit_card", True),
        ("opencart", "cod", False),
        ("my_module", "module", True),
    ],
)
def test_type_code_prefix(package: str, code: str, fires: bool) -> None:
    found = run("EXT003", {f"admin/controller/payment/{code}.php": "<?php"}, name=f"{package}.ocmod.zip")
    assert bool(found) == fires
    assert all(d.severity == Severity.INFO for d in found)


def test_catalog_code_needs_an_extension() -> None:
    assert len(run("EXT004", {"catalog/model/x/y.php": "<?php"})) == 1
    assert run("EXT004", {"catalog/model/x/y.php": "<?php", "admin/controller/payment/y.php": "<?php"}) == []
    assert run("EXT004", {"catalog/view/javascript/x.js": "x", "admin/controller/tool/y.php": "<?php"}) == []


def _loader(calls: str) -> dict[str, str]:
    return {
        "catalog/controller/payment/my_ext.php": f"<?php\nnamespace X;\nclass MyExt {{\n  public function index() {{\n{calls}\n  }}\n}}\n",
        "catalog/model/payment/my_ext.php": "<?php",
        "catalog/language/en-gb/payment/my_ext.php": "<?php",
        "catalog/view/template/payment/my_ext.twig": "x",
    }


@pytest.mark.parametrize(
    "call, fires",
    [
        ("$this->load->model('extension/my_ext/payment/my_ext');", False),
        ("$this->load->model('extension/payment/my_ext');", True),
        ("$this->load->language('extension/payment/' . $this->code);", True),
        ("$this->load->view('payment/my_ext', $data);", True),
        ("$this->load->view('common/header', $data);", False),
        ("$this->load->model('checkout/order');", False),
        ("$this->load->model($route);", False),
        ("$this->load->controller('extension/my_ext/payment/my_ext.confirm');", False),
        ("$this->load->controller('payment/my_ext.confirm');", True),
        ("$this->load->model('extension/old_code/payment/my_ext');", True),
        ("$this->load->model('extension/opencart/payment/my_ext');", False),
        ("// $this->load->model('extension/payment/my_ext');", False),
    ],
)
def test_routes_without_the_package_code(call: str, fires: bool) -> None:
    found = run("EXT005", _loader(call))
    assert bool(found) == fires, [d.message for d in found]
    if fires:
        assert found[0].line == 5 and found[0].hint.startswith("write 'extension/my_ext/")


def test_rules_take_the_code_the_zip_would_have_once_renamed() -> None:
    """A wrong suffix is PKG201's; the other rules keep judging with the code the author meant."""
    files = _loader("$this->load->model('extension/my_ext/payment/my_ext');")
    assert run("EXT005", files, name="my_ext.OCMOD.ZIP") == []
    assert run("EXT005", files, name="my_ext.zip") == []

