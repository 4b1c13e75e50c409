"""Releases (resolving, copying, the PHP 8 repairs), packages (layouts, paths), DSNs, store settings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from acme import ACME4, ACME30, make_package

from helpers import MINI_PROJECT, write_tree
from ocmod_forge.tryout.database import parse_dsn
from ocmod_forge.tryout.errors import StoreError
from ocmod_forge.tryout.package import load_packages, package_from_zip
from ocmod_forge.tryout.pages import add_markers, page_for_template, page_for_trigger
from ocmod_forge.tryout.release import copy_release, open_release, repair
from ocmod_forge.tryout.store import php_server_args


def _release_tree(root: Path, version: str) -> Path:
    return write_tree(
        root,
        {
            "upload/admin/index.php": f"<?php\n// Version\ndefine('VERSION', '{version}');\n",
            "upload/system/startup.php": "<?php\n",
            "upload/config.php": "<?php // a store's own config, never copied\n",
            "upload/system/library/config.php": "<?php class Config {}\n",
        },
    )


def test_open_release_reads_version_and_series(tmp_path: Path) -> None:
    release = open_release(str(_release_tree(tmp_path / "r", "3.0.3.8")))
    assert (release.version, release.series) == ("3.0.3.8", "3.0")
    assert release.at_least("3.0.3.7") and not release.at_least("3.0.4.0")


def test_unsupported_and_missing_releases(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not supported"):
        open_release(str(_release_tree(tmp_path / "r", "2.3.0.2")))
    with pytest.raises(StoreError, match="no such release"):
        open_release(str(tmp_path / "nope"))
    with pytest.raises(StoreError, match="not an OpenCart tree"):
        open_release(str(write_tree(tmp_path / "empty", {"x.txt": "x"})))


def test_a_resolver_can_name_releases(tmp_path: Path) -> None:
    tree = _release_tree(tmp_path / "cache" / "4.1.0.4", "4.1.0.4")
    release = open_release("4.1.0.4", lambda name: tmp_path / "cache" / name)
    assert release.path == tree and release.series == "4.1"


def test_copy_release_keeps_library_config_but_not_the_store_config(tmp_path: Path) -> None:
    release = open_release(str(_release_tree(tmp_path / "r", "3.0.3.8")))
    copy_release(release, tmp_path / "store")
    assert (tmp_path / "store" / "system/library/config.php").is_file()
    assert not (tmp_path / "store" / "config.php").exists()


def test_copy_release_from_a_zip(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("opencart-4.1.0.4/upload/admin/index.php", "<?php define('VERSION', '4.1.0.4');")
        archive.writestr("opencart-4.1.0.4/upload/system/startup.php", "<?php")
        archive.writestr("opencart-4.1.0.4/README.md", "not copied")
        archive.writestr("opencart-4.1.0.4/upload/../evil.php", "never written")
    path = tmp_path / "opencart-4.1.0.4.zip"
    path.write_bytes(buffer.getvalue())
    release = open_release(str(path))
    copy_release(release, tmp_path / "store")
    assert sorted(p.relative_to(tmp_path / "store").as_posix() for p in (tmp_path / "store").rglob("*") if p.is_file()) == ["admin/index.php", "system/startup.php"]


def test_repairs(tmp_path: Path) -> None:
    store = write_tree(
        tmp_path,
        {
            "system/storage/vendor/composer/autoload_files.php": (
                "<?php\n$vendorDir = dirname(__DIR__);\nreturn array(\n    'a' => $vendorDir . '/react/promise/src/functions_include.php',\n    'b' => $vendorDir . '/present/file.php',\n);\n"
            ),
            "system/storage/vendor/present/file.php": "<?php // real\n",
            "install/cli_install.php": "<?php\nfunction handleError($errno, $errstr, $errfile, $errline, array $errcontext) {\n\treturn false;\n}\n",
        },
    )
    notes = repair(store)
    assert len(notes) == 2
    assert (store / "system/storage/vendor/react/promise/src/functions_include.php").read_text().startswith("<?php")
    assert (store / "system/storage/vendor/present/file.php").read_text() == "<?php // real\n"
    fixed = (store / "install/cli_install.php").read_text()
    assert "array $errcontext = []) {" in fixed and "E_DEPRECATED" in fixed
    assert repair(store) == []  # idempotent


def test_closure_handler_of_4_0_is_repaired_too(tmp_path: Path) -> None:
    store = write_tree(tmp_path, {"install/cli_install.php": "<?php\nset_error_handler(function($code, $message, $file, $line, array $errcontext) {\n});\n"})
    assert repair(store)
    assert "function($code, $message, $file, $line, array $errcontext = []) {" in (store / "install/cli_install.php").read_text()


def test_packages_of_both_layouts(tmp_path: Path) -> None:
    p30 = load_packages(make_package(ACME30, tmp_path / "a" / "acme"), tmp_path / "w1")["3.0"]
    assert (p30.filename, p30.layout, p30.code) == ("acme.ocmod.zip", "3.0", "acme_try")
    assert p30.type_extensions(["module", "payment"]) == [("module", "acme_try", "upload/admin/controller/extension/module/acme_try.php")]
    assert [r for r, _ in p30.admin_controllers()] == ["extension/acme", "extension/acme/report", "extension/module/acme_try"]
    assert p30.installed_path("upload/admin/controller/extension/acme.php") == "admin/controller/extension/acme.php"
    assert p30.package_path("admin/controller/extension/acme.php") == "upload/admin/controller/extension/acme.php"
    assert p30.package_path("admin/controller/common/dashboard.php") is None
    both = load_packages(make_package(ACME4, tmp_path / "b" / "acme_try"), tmp_path / "w2")
    assert sorted(both) == ["4.0", "4.1"] and both["4.0"] is both["4.1"]
    p4 = both["4.1"]
    assert (p4.filename, p4.layout, p4.code) == ("acme_try.ocmod.zip", "4", "acme_try")
    assert [path for path, _ in p4.manifests()] == ["ocmod/acme_try.ocmod.xml"]
    assert [r for r, _ in p4.admin_controllers()] == ["extension/acme_try/module/acme_try", "extension/acme_try/tool/report"]
    assert p4.type_extensions(["module"]) == [("module", "acme_try", "admin/controller/module/acme_try.php")]
    assert p4.find_literal("acme_try_log", prefer="CREATE TABLE") == ("admin/model/module/acme_try.php", 5)


def test_projects_are_built_first(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(MINI_PROJECT)
    project = write_tree(tmp_path / "proj", files)
    packages = load_packages(project, tmp_path / "work")
    package = packages["3.0"]
    assert list(packages) == ["3.0"]
    assert package.layout == "3.0" and package.filename.endswith(".ocmod.zip")
    assert (tmp_path / "work" / "build" / package.filename).is_file()


def test_not_a_package(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("wrapper/upload/admin/x.php", "<?php")
    with pytest.raises(StoreError, match="neither"):
        package_from_zip(buffer.getvalue(), "x.ocmod.zip")
    with pytest.raises(StoreError, match="no such"):
        load_packages(tmp_path / "missing.ocmod.zip", tmp_path)


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        ("mysql://root:pw@127.0.0.1:3307/shop", ("127.0.0.1", 3307, "root", "pw", "shop")),
        ("mariadb://u%40x:p%3A@db", ("db", 3306, "u@x", "p:", "")),
    ],
)
def test_parse_dsn(dsn: str, expected: tuple[object, ...]) -> None:
    address, database = parse_dsn(dsn)
    assert (address.host, address.port, address.user, address.password, database) == expected


@pytest.mark.parametrize("dsn", ["postgres://x@y/z", "mysql://u@h:notaport", "mysql://u@h/bad-name;"])
def test_bad_dsn(dsn: str) -> None:
    with pytest.raises(StoreError):
        parse_dsn(dsn)


def test_php_server_is_loopback_with_all_messages(tmp_path: Path) -> None:
    argv = php_server_args("php", tmp_path, 8123, tmp_path / "php.log")
    assert argv[:3] == ["php", "-S", "127.0.0.1:8123"]
    settings = dict(a.split("=", 1) for a in argv[5:] if a != "-d")
    assert settings["display_errors"] == "1" and settings["error_reporting"] == "-1" and settings["error_log"] == str(tmp_path / "php.log")
    assert settings["output_buffering"] == "On"


def test_pages_for_templates_triggers_and_markers() -> None:
    assert page_for_template("admin/view/template/catalog/product_form.twig").name == "product_form"  # type: ignore[union-attr]
    assert page_for_template("catalog/view/theme/*/template/product/product.twig").name == "product"  # type: ignore[union-attr]
    assert page_for_template("catalog/view/template/common/header.twig").name == "home"  # type: ignore[union-attr]
    assert page_for_template("admin/view/template/tool/log.twig") is None
    assert page_for_trigger("admin/view/sale/order_info/before").name == "order_info"  # type: ignore[union-attr]
    assert page_for_trigger("admin/model/catalog/product/addProduct/after") is None
    markers = add_markers('{% if x %}<li id="a-{{ n }}">x</li><div id="tab-acme">{% endif %}<span id="plain">')
    assert [(m.text, m.conditional) for m in markers] == [("plain", False), ("tab-acme", True)]
    assert [(m.text, m.is_id) for m in add_markers("<td>{{ x }}</td>\n<p>A long enough line</p>")] == [("<p>A long enough line</p>", False)]
