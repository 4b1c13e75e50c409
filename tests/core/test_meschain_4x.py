"""MesChain-Sync Enterprise for OpenCart 3.0, 4.0 and 4.1 from one project: the three packages'
file lists, install.json, class names against file paths (OpenCart 4's autoloader), event
registrations per release, Bootstrap 5 views, routes that resolve inside the package, and
reproducible zips. With ``OCMOD_FORGE_TEST_OPENCART`` (a folder of ``<tag>/upload/`` release
trees) the event triggers and page anchors are also checked against every release of each range.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import REPO
from ocmod_forge.api import BuildResult, PackageBuild, build, load_project

CODE = "meschain_sync_enterprise"
NAMESPACE = "MeschainSyncEnterprise"
# The 3.0 package as it was proven in a real 3.0 store before the 4.x targets were added; a change
# to it must be deliberate (update this after checking the new package in a 3.0 store).
SHA256_30 = "5679510cbe217e870ea9020954a9cccaf15c30b401f3498624dd2610162683c4"
PAGES = ("dashboard", "marketplace", "ai_tools", "analytics", "automation", "settings", "support")
CLIENTS = ("amazon", "trendyol", "n11", "hepsiburada", "ebay", "pazarama", "pttavm")  # GittiGidiyor is off
LANGUAGE_FILES = ("common", "menu", "product_tab", *PAGES)
LIBRARY = (
    "admin_controller", "log", "order_importer", "package", "schema", "settings", "worker",
    "api/api_exception", "api/base_client", "api/callable_transport", "api/client_interface",
    "api/curl_transport", "api/db_logger", "api/factory", "api/transport_interface",
)  # fmt: skip
EXPECTED_4X = frozenset(
    {
        "install.json",
        f"admin/controller/module/{CODE}.php",
        f"admin/language/en-gb/module/{CODE}.php",
        f"admin/language/tr-tr/module/{CODE}.php",
        f"admin/view/template/module/{CODE}.twig",
        "admin/view/javascript/meschain.js",
        "admin/view/template/mestech/product_tab.twig",
        "admin/view/template/mestech/order_panel.twig",
        f"catalog/controller/module/{CODE}.php",
        *(f"admin/controller/mestech/{page}.php" for page in PAGES),
        *(f"admin/view/template/mestech/{page}.twig" for page in PAGES),
        *(f"admin/model/mestech/{model}.php" for model in ("install", "insight", "log", "setting", "sync")),
        *(f"admin/language/{language}/mestech/{name}.php" for language in ("en-gb", "tr-tr") for name in LANGUAGE_FILES),
        *(f"system/library/{name}.php" for name in LIBRARY),
        *(f"system/library/api/{client}.php" for client in CLIENTS),
    }
)
# Where OpenCart 4 looks for a class of each folder (opencart4-facts 3.1).
AREAS = {
    "admin/controller/": f"Opencart\\Admin\\Controller\\Extension\\{NAMESPACE}",
    "admin/model/": f"Opencart\\Admin\\Model\\Extension\\{NAMESPACE}",
    "catalog/controller/": f"Opencart\\Catalog\\Controller\\Extension\\{NAMESPACE}",
    "system/library/": f"Opencart\\System\\Library\\Extension\\{NAMESPACE}",
}
# Bootstrap 3 and Font Awesome 4 markup that OpenCart 4's admin no longer has.
BOOTSTRAP3 = re.compile(
    r"\b(panel(-[a-z]+)?|pull-(left|right)|btn-default|btn-xs|col-xs-\d+|label-(default|success|danger|info|warning)|help-block|form-horizontal"
    r"|has-error|text-(left|right)|data-toggle|data-dismiss|input-group-btn|well)\b|\bfa fa-"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    os.environ.pop("SOURCE_DATE_EPOCH", None)  # the pinned 3.0 hash is of a 1980-01-01 zip
    project = load_project(REPO / "ocmod-forge.yaml")
    result = build(dataclasses.replace(project, output=tmp_path_factory.mktemp("dist")))
    assert all(p.archive is not None for p in result.packages), [str(d) for d in result.report.diagnostics]
    return result


def _package(built: BuildResult, generation: str) -> PackageBuild:
    (package,) = (p for p in built.packages if p.target.generation == generation)
    return package


def _names(package: PackageBuild) -> set[str]:
    assert package.archive is not None
    with zipfile.ZipFile(package.archive.path) as zf:
        return {i.filename for i in zf.infolist() if not i.is_dir()}


def _texts(package: PackageBuild, suffix: str) -> Iterator[tuple[str, str]]:
    for path in package.tree:
        if path.endswith(suffix):
            yield path, package.tree.text(path)


def test_one_build_writes_three_packages(built: BuildResult) -> None:
    archives = {p.target.generation: p.archive for p in built.packages}
    assert set(archives) == {"3.0", "4.0", "4.1"}
    assert archives["3.0"] is not None and archives["3.0"].path.name == "meschain-sync-enterprise-v3.1.1.ocmod.zip"
    for generation in ("4.0", "4.1"):
        archive = archives[generation]
        # 4.x takes the extension's folder, namespace and routes from the file name: no version in it.
        assert archive is not None and archive.path.parent.name == f"opencart-{generation}" and archive.path.name == f"{CODE}.ocmod.zip"
    assert (_package(built, "4.0").target.first, _package(built, "4.0").target.last) == ("4.0.2.0", "4.0.2.3")


def test_the_30_package_is_byte_identical_to_the_proven_one(built: BuildResult) -> None:
    archive = _package(built, "3.0").archive
    assert archive is not None
    assert hashlib.sha256(archive.path.read_bytes()).hexdigest() == SHA256_30, "the 3.0 package changed: check it in a 3.0 store, then update SHA256_30"


def test_4x_file_lists_are_exactly_the_expected_ones(built: BuildResult) -> None:
    for generation in ("4.0", "4.1"):
        names = _names(_package(built, generation))
        assert names == EXPECTED_4X, f"{generation}: missing {sorted(EXPECTED_4X - names)}, unexpected {sorted(names - EXPECTED_4X)}"


def test_30_file_list_has_no_4x_file(built: BuildResult) -> None:
    names = _names(_package(built, "3.0"))
    assert {n.split("/")[0] for n in names} == {"install.xml", "upload"}
    assert not [n for n in names if "/mestech/" not in n and n.startswith("upload/system/library/")]
    assert "upload/system/library/mestech/schema.php" not in names and not [n for n in names if n.endswith(".json")]


def test_install_json(built: BuildResult) -> None:
    common = {"name": "MesChain-Sync Enterprise", "version": "3.1.1", "author": "MesTech Development Team", "link": "https://mestech.com/meschain-sync"}
    project = load_project(REPO / "ocmod-forge.yaml")
    expected = {"4.0": common, "4.1": {**common, "description": project.identity.description}}
    for generation, want in expected.items():
        data = _package(built, generation).tree["install.json"].data
        assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"}\n")
        # 4.0.1.0-4.0.2.3 refuse an upload unless these four are present and truthy (opencart4-facts 1.3).
        assert json.loads(data) == want


def _declared(text: str) -> tuple[str, list[str]]:
    namespace = re.search(r"^namespace\s+([\w\\]+);", text, re.M)
    classes = re.findall(r"^(?:abstract\s+|final\s+)?(?:class|interface)\s+(\w+)", text, re.M)
    return (namespace.group(1) if namespace else ""), classes


def _class_of(route: str) -> str:
    """OpenCart 4's route -> class (Factory, Action): ucwords on _ and /, _ removed, / -> \\."""
    return "\\".join("".join(part[:1].upper() + part[1:] for part in segment.split("_")) for segment in route.split("/"))


def _file_of(class_tail: str) -> str:
    """OpenCart 4's autoloader, class -> file below the registered namespace."""
    return re.sub(r"([a-z])([A-Z]|[0-9])", r"\1_\2", class_tail).lower().replace("\\", "/")


def test_every_4x_class_round_trips_between_name_and_file(built: BuildResult) -> None:
    for generation in ("4.0", "4.1"):
        checked = 0
        for path, text in _texts(_package(built, generation), ".php"):
            area = next((a for a in AREAS if path.startswith(a)), None)
            if area is None:
                continue  # language files
            route = path[len(area) : -len(".php")]
            namespace, classes = _declared(text)
            assert len(classes) == 1, f"{generation} {path}: {classes}"
            declared = f"{namespace}\\{classes[0]}"
            expected = f"{AREAS[area]}\\{_class_of(route)}"
            # PHP compares class names case-insensitively; the file path is what must match exactly.
            assert declared.lower() == expected.lower(), f"{generation} {path}: declares {declared}, OpenCart loads {expected}"
            assert _file_of(declared[len(AREAS[area]) + 1 :]) == route, f"{generation} {path}: the autoloader looks for {_file_of(declared)}"
            checked += 1
        assert checked == len([n for n in EXPECTED_4X if n.endswith(".php") and not n.startswith("admin/language/")])


def _module(package: PackageBuild) -> str:
    path = f"upload/admin/controller/extension/module/{CODE}.php" if package.target.generation == "3.0" else f"admin/controller/module/{CODE}.php"
    return package.tree.text(path)


EVENTS: dict[str, str | dict[str, str]] = {
    "menu": "admin/view/common/column_left/before",
    "product_form": {"3.0": "admin/view/catalog/product_form/before", "4.x": "admin/view/catalog/product_form/after"},
    "order_info": {"3.0": "admin/view/sale/order_info/before", "4.x": "admin/view/sale/order_info/after"},
    "product_add": {"3.0": "admin/model/catalog/product/addProduct/after", "4.0": "admin/model/catalog/product/addProduct/after", "4.1": "admin/model/catalog/product.addProduct/after"},
    "product_edit": {"3.0": "admin/model/catalog/product/editProduct/after", "4.0": "admin/model/catalog/product/editProduct/after", "4.1": "admin/model/catalog/product.editProduct/after"},
}


def _trigger(name: str, generation: str) -> str:
    value = EVENTS[name]
    if isinstance(value, str):
        return value
    return value.get(generation) or value["4.x"]


def test_event_registrations_per_release(built: BuildResult) -> None:
    for package in built.packages:
        generation = package.target.generation
        text = _module(package)
        registered = {code: (trigger, method) for code, trigger, method in re.findall(rf"'{CODE}_(\w+)'\s*=> array\('([^']+)', '(\w+)'\)", text)}
        assert {code: trigger for code, (trigger, _method) in registered.items()} == {name: _trigger(name, generation) for name in EVENTS}, generation
        for _trigger_text, method in registered.values():
            assert re.search(rf"public function {method}\(&\$route, &\$\w+, &\$\w+\)", text), f"{generation}: no handler {method}"
        if generation == "3.0":
            assert "addEvent($code, $event[0], self::ROUTE . '/' . $event[1]);" in text
            continue
        # 4.0.1.0+ take one array; from 4.0.2.0 the method separator in an event action is "."
        # ("|" in oc_event is never run there), the same on 4.1.
        assert "'action'      => self::ROUTE . '.' . $event[1]," in text and "'status'      => 1," in text
        assert f"const ROUTE = 'extension/{CODE}/module/{CODE}';" in text
        assert "|" not in "".join(t for t, _ in registered.values())
        assert "'controller/extension/module.install/after'" in text  # a refused install answers as JSON


def test_pages_are_granted_and_removed_on_4x(built: BuildResult) -> None:
    for generation in ("4.0", "4.1"):
        text = _module(_package(built, generation))
        body = text[text.index("private function permissionRoutes()") :]
        body = body[: body.index("return $routes;")]
        assert re.findall(r"'([^']+)'", body) == [f"extension/{CODE}/mestech/{page}" for page in PAGES]
        package_php = _package(built, generation).tree.text("system/library/package.php")
        assert "const PAGES = array('dashboard', 'marketplace', 'ai_tools', 'analytics', 'automation', 'settings', 'support');" in package_php
        assert f"const MIN_OPENCART = '{_package(built, generation).target.first}';" in package_php
        # uninstall: every user group loses the module and page routes
        assert "foreach ($this->model_user_user_group->getUserGroups() as $group) {" in text
        assert "array_merge(array(self::ROUTE), $this->permissionRoutes())" in text


def test_4x_views_are_bootstrap_5(built: BuildResult) -> None:
    for generation in ("4.0", "4.1"):
        package = _package(built, generation)
        views = dict(_texts(package, ".twig"))
        assert len(views) == 10
        for path, text in [*views.items(), ("admin/view/javascript/meschain.js", package.tree.text("admin/view/javascript/meschain.js"))]:
            assert not BOOTSTRAP3.search(text), f"{generation} {path}: {BOOTSTRAP3.search(text)}"
        for page in (*PAGES, f"../module/{CODE}"):
            text = views[f"admin/view/template/mestech/{page}.twig".replace("mestech/../", "")]
            assert 'class="card' in text and 'class="float-end"' in text and 'class="breadcrumb-item"' in text, page
        forms = [(path, form) for path, text in views.items() for form in re.findall(r"<form\b[^>]*>", text)]
        assert len(forms) >= 10
        for path, form in forms:
            assert 'data-oc-toggle="ajax"' in form and 'method="post"' in form, f"{path}: {form}"
        settings = views["admin/view/template/mestech/settings.twig"]
        # common.js shows error key base_url_amazon at #input-base-url-amazon / #error-base-url-amazon
        for element in ('id="input-base-url-{{ id }}"', 'id="error-base-url-{{ id }}"', 'id="error-timeout-{{ id }}"', 'id="error-credential-{{ field_id }}"'):
            assert element in settings


def test_30_views_stay_bootstrap_3(built: BuildResult) -> None:
    views = dict(_texts(_package(built, "3.0"), ".twig"))
    assert len(views) == 8 and all("panel" in text for text in views.values())


def test_own_routes_resolve_inside_the_package(built: BuildResult) -> None:
    """Every literal extension/<code>/... route a 4.x file loads or links to exists in the package,
    with its method when it names one."""
    for generation in ("4.0", "4.1"):
        package = _package(built, generation)
        tree = set(package.tree)
        seen = 0
        for path, text in _texts(package, ".php"):
            for kind, route in re.findall(rf"\$this->(?:load->(model|language|view)|url->link|link)\('(extension/{CODE}/[\w/.]*\w)'", text):
                inner, _, method = route[len(f"extension/{CODE}/") :].partition(".")
                if kind == "model":
                    assert f"admin/model/{inner}.php" in tree, f"{path}: {route}"
                elif kind == "language":
                    assert f"admin/language/en-gb/{inner}.php" in tree, f"{path}: {route}"
                elif kind == "view":
                    assert f"admin/view/template/{inner}.twig" in tree, f"{path}: {route}"
                else:
                    controller = f"admin/controller/{inner}.php"
                    assert controller in tree, f"{path}: {route}"
                    assert not method or f"public function {method}(" in package.tree.text(controller), f"{path}: {route}"
                seen += 1
            assert "|" not in "".join(re.findall(rf"'extension/{CODE}/[^']*'", text)), path
        assert seen > 60


def test_4x_language_files_have_the_same_keys(built: BuildResult) -> None:
    key = re.compile(r"""\$_\[\s*'([^']+)'\s*\]\s*=""")
    for generation in ("4.0", "4.1"):
        package = _package(built, generation)
        english = [p for p in package.tree if p.startswith("admin/language/en-gb/")]
        assert len(english) == len(LANGUAGE_FILES) + 1
        for path in english:
            turkish = path.replace("/en-gb/", "/tr-tr/")
            assert sorted(key.findall(package.tree.text(path))) == sorted(key.findall(package.tree.text(turkish))), path
        support = package.tree.text("admin/language/en-gb/mestech/support.php")
        assert "help_events" in support and "Modifications" not in support  # no OCMOD in these packages


def test_the_three_zips_are_reproducible(built: BuildResult, tmp_path: Path) -> None:
    project = load_project(REPO / "ocmod-forge.yaml")
    again = build(dataclasses.replace(project, output=tmp_path))
    first = {p.target.generation: p.archive.path.read_bytes() for p in built.packages if p.archive is not None}
    second = {p.target.generation: p.archive.path.read_bytes() for p in again.packages if p.archive is not None}
    assert len(first) == 3 and first == second


# --------------------------------------------------------------------------- real releases

# The folder of extracted release trees, named as the other tests that read them name it.
RELEASES_ENV = "OCMOD_FORGE_TEST_OPENCART"


def _release_trees(generation: str, built: BuildResult) -> list[Path]:
    folder = os.environ.get(RELEASES_ENV)
    if not folder:
        pytest.skip(f"{RELEASES_ENV} is not set (a folder holding <tag>/upload/ OpenCart release trees)")
    target = _package(built, generation).target
    trees = [Path(folder) / tag / "upload" for tag in target.releases if (Path(folder) / tag / "upload").is_dir()]
    if not trees:
        pytest.skip(f"no OpenCart {generation} release of {target.first}-{target.last} under {folder}")
    return trees


@pytest.mark.parametrize("generation", ["4.0", "4.1"])
def test_triggers_and_anchors_exist_in_every_release(built: BuildResult, generation: str) -> None:
    """The views the events watch exist, the model methods exist with the trigger format the
    release's loader fires, and the product tab and order panel anchors match each template once."""
    tab_link, tab_pane, history, first_card = re.findall(r"insertHtml\(\$output, '(~.+?~s?)'", _module(_package(built, generation)))
    for tree in _release_trees(generation, built):
        for view in ("common/column_left", "catalog/product_form", "sale/order_info"):
            assert (tree / "admin/view/template" / f"{view}.twig").is_file(), f"{tree}: {view}"
        product_model = (tree / "admin/model/catalog/product.php").read_text(encoding="utf-8")
        assert "public function addProduct(" in product_model and "public function editProduct(" in product_model
        loader = (tree / "system/engine/loader.php").read_text(encoding="utf-8")
        # 4.0 fires model/<route>/<method>/after, 4.1 model/<route>.<method>/after
        fired = "." if "$this->callback($route . '.' . $method)" in loader else "/" if "$route = $route . '/' . $method;" in loader else "?"
        assert fired == ("." if generation == "4.1" else "/"), tree
        form = (tree / "admin/view/template/catalog/product_form.twig").read_text(encoding="utf-8")
        order = (tree / "admin/view/template/sale/order_info.twig").read_text(encoding="utf-8")
        for pattern, source, times in ((tab_link, form, 1), (tab_pane, form, 1), (history, order, 1)):
            body, flags = (pattern[1:-2], re.S) if pattern.endswith("~s") else (pattern[1:-1], 0)
            assert len(re.findall(body, source, flags)) == times, f"{tree}: {body}"
        assert re.search(first_card[1:-1], order), f"{tree}: {first_card}"
