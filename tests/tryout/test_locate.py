"""From a file and line PHP names in the store back to the package (installed files, the
modification cache of 3.0 and 4.1, stack traces, Twig template names)."""

from __future__ import annotations

from pathlib import Path

from helpers import write_tree
from ocmod_forge.manifest import parse_manifest
from ocmod_forge.tree import PackageFile, PackageTree
from ocmod_forge.tryout.locate import Locator, expand_braces, path_matches
from ocmod_forge.tryout.package import TryPackage
from ocmod_forge.tryout.phpmsg import PhpMessage

INSTALL_XML = """<?xml version="1.0" encoding="utf-8"?>
<modification>
  <name>T</name>
  <code>t</code>
  <file path="admin/view/template/catalog/{product,category}_form.twig">
    <operation>
      <search><![CDATA[<li>design</li>]]></search>
      <add position="after"><![CDATA[<li id="tab-t">{{ t_tab }}</li>
<li>second added line</li>]]></add>
    </operation>
  </file>
  <file path="admin/controller/extension/module/t.php">
    <operation>
      <search><![CDATA[$data = [];]]></search>
      <add position="after"><![CDATA[$data['x'] = $undefined;]]></add>
    </operation>
  </file>
</modification>
"""

CONTROLLER = "<?php\nclass ControllerExtensionModuleT extends Controller {\n\tpublic function index() {\n\t\t$data = [];\n\t\treturn $data;\n\t}\n}\n"


def _package30() -> TryPackage:
    files = {
        "install.xml": INSTALL_XML.encode(),
        "upload/admin/controller/extension/module/t.php": CONTROLLER.encode(),
        "upload/admin/view/template/extension/module/t.twig": b"<div>{{ x }}</div>\n",
    }
    tree = PackageTree(files={k: PackageFile(v) for k, v in files.items()}, kind="zip")
    return TryPackage("t.ocmod.zip", b"", tree, "3.0", parse_manifest(files["install.xml"]))


def _store30(tmp_path: Path) -> Path:
    original = "<ul>\n<li>general</li>\n<li>design</li>\n</ul>\n"
    cached = '<ul>\n<li>general</li>\n<li>design</li>\n<li id="tab-t">{{ t_tab }}</li>\n<li>second added line</li>\n</ul>\n'
    controller_cached = CONTROLLER.replace("$data = [];\n", "$data = [];\n$data['x'] = $undefined;\n")
    return write_tree(
        tmp_path / "store",
        {
            "admin/view/template/catalog/product_form.twig": original,
            "system/storage/modification/admin/view/template/catalog/product_form.twig": cached,
            "admin/controller/extension/module/t.php": CONTROLLER,
            "system/storage/modification/admin/controller/extension/module/t.php": controller_cached,
            "system/library/db.php": "<?php\n",
        },
    )


def test_installed_file_maps_to_upload_path(tmp_path: Path) -> None:
    root = _store30(tmp_path)
    locator = Locator(root, _package30())
    where, rel = locator.locate(str(root / "admin/controller/extension/module/t.php"), 4)
    assert rel == "admin/controller/extension/module/t.php"
    assert where is not None and (where.path, where.line, where.via) == ("upload/admin/controller/extension/module/t.php", 4, "")


def test_core_file_has_no_package_location(tmp_path: Path) -> None:
    root = _store30(tmp_path)
    where, rel = Locator(root, _package30()).locate(str(root / "system/library/db.php"), 1)
    assert where is None and rel == "system/library/db.php"
    where, rel = Locator(root, _package30()).locate("/usr/share/php/x.php", 3)
    assert where is None and rel == "/usr/share/php/x.php"


def test_added_template_line_maps_to_the_add(tmp_path: Path) -> None:
    root = _store30(tmp_path)
    locator = Locator(root, _package30())
    cache = str(root / "system/storage/modification/admin/view/template/catalog/product_form.twig")
    for line in (4, 5):  # both lines of the multi-line <add>
        where, _ = locator.locate(cache, line)
        assert where is not None
        assert (where.path, where.line) == ("install.xml", 8)
        assert "added by this operation to admin/view/template/catalog/product_form.twig" in where.via
    # An unchanged line of a core template: the core's, not the package's, and for comparing
    # OpenCart's own messages before and after install it is the original file's line.
    assert locator.locate(cache, 2)[0] is None
    assert locator.core_key(cache, 6) == ("admin/view/template/catalog/product_form.twig", 4)
    assert locator.core_key(cache, 4) == ("system/storage/modification/admin/view/template/catalog/product_form.twig", 4)


def test_unchanged_line_of_a_modified_package_file_maps_to_the_original_line(tmp_path: Path) -> None:
    root = _store30(tmp_path)
    locator = Locator(root, _package30())
    cache = str(root / "system/storage/modification/admin/controller/extension/module/t.php")
    added, _ = locator.locate(cache, 5)
    assert added is not None and (added.path, added.line) == ("install.xml", 15)
    after, _ = locator.locate(cache, 6)  # "return $data;" is line 5 of the original
    assert after is not None and (after.path, after.line) == ("upload/admin/controller/extension/module/t.php", 5)


def test_exception_in_core_is_traced_to_the_package_caller(tmp_path: Path) -> None:
    root = _store30(tmp_path)
    locator = Locator(root, _package30())
    message = PhpMessage(
        "error", "Uncaught Exception: Error: x", str(root / "system/library/db.php"), 1,
        trace=((str(root / "system/library/db.php"), 1), (str(root / "admin/controller/extension/module/t.php"), 4)), exception=True,
    )  # fmt: skip
    where, rel = locator.locate_message(message)
    assert rel == "system/library/db.php"
    assert where is not None and (where.path, where.line) == ("upload/admin/controller/extension/module/t.php", 4)
    assert "raised in system/library/db.php:1" in where.via


def test_twig_error_names_the_template(tmp_path: Path) -> None:
    root = _store30(tmp_path)
    message = PhpMessage("error", 'Uncaught Twig\\Error\\SyntaxError: Unexpected token in "extension/module/t.twig" at line 1.', "/vendor/twig/Parser.php", 9)
    where, _ = Locator(root, _package30()).locate_message(message)
    assert where is not None and (where.path, where.line) == ("upload/admin/view/template/extension/module/t.twig", 1)


def test_4x_extension_folder_and_ocmod_cache(tmp_path: Path) -> None:
    xml = INSTALL_XML.replace("admin/controller/extension/module/t.php", "extension/acme_try/admin/controller/module/acme_try.php")
    files = {
        "install.json": b"{}",
        "admin/controller/module/acme_try.php": CONTROLLER.encode(),
        "image/catalog/acme.png": b"png",
        "ocmod/acme_try.ocmod.xml": xml.encode(),
    }
    tree = PackageTree(files={k: PackageFile(v) for k, v in files.items()}, kind="zip")
    package = TryPackage("acme_try.ocmod.zip", b"", tree, "4", None, (("ocmod/acme_try.ocmod.xml", parse_manifest(xml.encode())),))
    root = write_tree(
        tmp_path / "store4",
        {
            "extension/acme_try/admin/controller/module/acme_try.php": CONTROLLER,
            "extension/ocmod/extension/acme_try/admin/controller/module/acme_try.php": CONTROLLER.replace("$data = [];\n", "$data = [];\n$data['x'] = $undefined;\n"),
            "image/catalog/acme.png": "png",
        },
    )
    locator = Locator(root, package)
    where, _ = locator.locate(str(root / "extension/acme_try/admin/controller/module/acme_try.php"), 3)
    assert where is not None and (where.path, where.line) == ("admin/controller/module/acme_try.php", 3)
    where, _ = locator.locate(str(root / "image/catalog/acme.png"), 0)
    assert where is not None and where.path == "image/catalog/acme.png"
    where, _ = locator.locate(str(root / "extension/ocmod/extension/acme_try/admin/controller/module/acme_try.php"), 5)
    assert where is not None and (where.path, where.line) == ("ocmod/acme_try.ocmod.xml", 15)
    assert package.installed_path("admin/controller/module/acme_try.php") == "extension/acme_try/admin/controller/module/acme_try.php"
    assert package.installed_path("ocmod/acme_try.ocmod.xml") is None


def test_expand_braces() -> None:
    assert expand_braces("a/{b,c}/{d,e{f,g}}.twig") == ["a/b/d.twig", "a/b/ef.twig", "a/b/eg.twig", "a/c/d.twig", "a/c/ef.twig", "a/c/eg.twig"]
    assert expand_braces("plain/x.php") == ["plain/x.php"]


def test_path_matches_like_php_glob() -> None:
    assert path_matches("admin/view/template/catalog/{product,category}_form.twig", "admin/view/template/catalog/category_form.twig")
    assert path_matches("catalog/view/theme/*/template/product/product.twig", "catalog/view/theme/default/template/product/product.twig")
    assert not path_matches("catalog/view/theme/*/product.twig", "catalog/view/theme/a/b/product.twig")  # * does not cross /
    assert not path_matches("admin/x.twig", "admin/y.twig")
