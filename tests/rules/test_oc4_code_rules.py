"""Truth tables of the OpenCart 4 route/event (RTE), template (TWG1xx) and OCMOD (OCM) rules and
of the PHP facts they share: each row is a small package, a release range, and what must (or must
not) be reported."""

from __future__ import annotations

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.diagnostics import Severity
from ocmod_forge.lint import lint
from ocmod_forge.rules import oc4php
from ocmod_forge.rules.ocm import effect, expected_namespace
from ocmod_forge.rules.rte import trigger_problem
from ocmod_forge.rules.twg4 import bs3_replacement, missing_icons
from ocmod_forge.tree import PackageFile, PackageTree
from ocmod_forge.versions import Target, parse_range


def run(
    code: str, files: dict[str, str], target: str = "4.1", releases: str = "", zip_name: str | None = "x_demo.ocmod.zip", notes: tuple[tuple[str, str, str], ...] = ()
) -> list[tuple[str, int, Severity, str]]:
    tree = PackageTree(files={p: PackageFile(t.encode()) for p, t in files.items()}, notes=notes)
    data = LintInput(tree=tree, target=target, package_name=zip_name, target_range=parse_range(target, releases))
    return [(d.path, d.line, d.severity, d.message) for d in lint(data, select=[code]).diagnostics if d.code == code]


def php(body: str) -> str:
    return "<?php\n" + body + "\n"


# --------------------------------------------------------------------------- shared PHP facts


@pytest.mark.parametrize(
    "source, values",
    [
        ("$a = 'x\\'y'; $b = \"p\\tq\";", ["x'y", "p\tq"]),
        ("// 'not a string'\n$a = 'yes';", ["yes"]),
        ("/* it's */ $a = 'yes';", ["yes"]),
        ("$a = \"it's\";", ["it's"]),
        ("$a = <<<EOT\n'inside'\nEOT;\n$b = 'after';", ["after"]),
    ],
)
def test_literals(source: str, values: list[str]) -> None:
    assert [lit.value for lit in oc4php.literals(php(source))] == values


def test_interpolated_string_is_dynamic() -> None:
    lits = oc4php.literals(php('$a = "extension/$code/module/x|save";'))
    assert [lit.dynamic for lit in lits] == [True]


@pytest.mark.parametrize(
    "source, keys",
    [
        ("$x = ['a' => 1, 'b' => [2, 3]];", [["a", "b"], []]),
        ("$x = array('a' => 1, \"b\" => 2);", [["a", "b"]]),
        ("$y = $x['a']; $z = $this->data['b'];", []),
        ("f(['k' => 'v',]);", [["k"]]),
    ],
)
def test_array_literals(source: str, keys: list[list[str]]) -> None:
    assert [sorted(a.entries) for a in oc4php.arrays(php(source))] == keys


@pytest.mark.parametrize(
    "source, guarded",
    [
        ("if (version_compare(VERSION, '4.0.2.0', '>=')) {\n  X;\n}", True),
        ("if (VERSION >= '4.0.2.0') {\n  $a = 1;\n} else {\n  X;\n}", True),
        ("$s = VERSION >= '4.0.2.0' ? X : '|';", True),
        ("if ($this->config->get('x')) {\n  X;\n}", False),
        ("X;", False),
    ],
)
def test_version_guard(source: str, guarded: bool) -> None:
    text = php(source)
    assert oc4php.version_guarded(text, text.index("X")) is guarded


# --------------------------------------------------------------------------- RTE001–RTE003: separators

LINK_DOT = php("$data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=1');")
LINK_PIPE = php("$data['save'] = $this->url->link('extension/x_demo/module/x_demo|save', 'user_token=1');")
EVENT_PIPE = php(
    "$this->model_setting_event->addEvent(['code' => 'x', 'description' => '', 'status' => 1, 'sort_order' => 0,\n"
    "'trigger' => 'catalog/view/common/header/before', 'action' => 'extension/x_demo/module/x_demo|onHeader']);"
)
STARTUP_PIPE = php("$this->model_setting_startup->addStartup(['code' => 'x', 'description' => '', 'action' => 'catalog/extension/x_demo/startup/x_demo|boot', 'status' => 1, 'sort_order' => 0]);")
CONTROLLER = "admin/controller/module/x_demo.php"


@pytest.mark.parametrize(
    "code, source, target, releases, fires",
    [
        ("RTE001", LINK_DOT, "4.0", "4.0.0.0-4.0.1.1", True),
        ("RTE001", LINK_DOT, "4.0", "4.0.1.1", True),
        ("RTE001", LINK_DOT, "4.0", "4.0.0.0-4.0.2.3", True),  # the range spans the change
        ("RTE001", LINK_DOT, "4.0", "4.0.2.0-4.0.2.3", False),
        ("RTE001", LINK_PIPE, "4.0", "4.0.0.0-4.0.1.1", False),
        ("RTE001", php("$f = 'extension/x_demo/system/library/x_demo.php';"), "4.0", "4.0.0.0", False),  # a file, not a method
        ("RTE001", php("if (version_compare(VERSION, '4.0.2.0', '>=')) {\n$r = 'extension/x_demo/module/x_demo.save';\n}"), "4.0", "", False),
        ("RTE002", EVENT_PIPE, "4.0", "4.0.2.0-4.0.2.3", True),
        ("RTE002", EVENT_PIPE, "4.1", "", True),
        ("RTE002", EVENT_PIPE, "4.0", "4.0.0.0-4.0.1.1", False),
        ("RTE002", LINK_PIPE, "4.1", "", False),  # a URL: RTE003
        ("RTE002", STARTUP_PIPE, "4.1", "", False),  # load->controller converts it (fact check W1)
        ("RTE002", php("$a = new \\Opencart\\System\\Engine\\Action('extension/x_demo/module/x_demo|run');"), "4.1", "", True),
        ("RTE003", LINK_PIPE, "4.1", "", True),
        ("RTE003", STARTUP_PIPE, "4.0", "4.0.2.3", True),
        ("RTE003", EVENT_PIPE, "4.1", "", False),  # RTE002 reports it
        ("RTE003", LINK_PIPE, "4.0", "4.0.0.0-4.0.1.1", False),
        ("RTE003", LINK_DOT, "4.1", "", False),
    ],
)
def test_separator_rules(code: str, source: str, target: str, releases: str, fires: bool) -> None:
    assert bool(run(code, {CONTROLLER: source}, target, releases)) is fires


def test_route_in_templates_and_scripts() -> None:
    files = {
        "catalog/view/template/payment/x_demo.twig": "url: 'index.php?route=extension/x_demo/payment/x_demo|confirm&language={{ language }}',\n",
        "catalog/view/javascript/x_demo.js": "$.get('index.php?route=extension/x_demo/payment/x_demo.status');\n",
    }
    assert [(p, line) for p, line, _s, _m in run("RTE003", files, "4.1")] == [("catalog/view/template/payment/x_demo.twig", 1)]
    assert [(p, line) for p, line, _s, _m in run("RTE001", files, "4.0", "4.0.1.0")] == [("catalog/view/javascript/x_demo.js", 1)]


# --------------------------------------------------------------------------- RTE004: addEvent/addStartup shape

EVENT_ARRAY = php("$this->model_setting_event->addEvent(['code' => 'x', 'description' => '', 'trigger' => 't', 'action' => 'a', 'status' => 1, 'sort_order' => 0]);")
EVENT_VAR = php("$e = ['code' => 'x', 'trigger' => 't', 'action' => 'a', 'status' => 1, 'sort_order' => 0];\n$this->model_setting_event->addEvent($e);")
EVENT_POSITIONAL = php("$this->model_setting_event->addEvent('x', '', 't', 'a');")
STARTUP_40 = php("$this->model_setting_startup->addStartup(['code' => 'x', 'action' => 'a', 'status' => 1, 'sort_order' => 0]);")


@pytest.mark.parametrize(
    "source, target, releases, says",
    [
        (EVENT_ARRAY, "4.1", "", None),
        (EVENT_ARRAY, "4.0", "4.0.1.0-4.0.2.3", None),
        (EVENT_ARRAY, "4.0", "4.0.0.0", "4.0.0.0 takes positional arguments"),
        (EVENT_ARRAY, "4.0", "", "4.0.0.0 takes positional arguments"),
        (EVENT_POSITIONAL, "4.0", "4.0.0.0", None),
        (EVENT_POSITIONAL, "4.0", "4.0.1.0", "takes one array"),
        (EVENT_POSITIONAL, "4.1", "", "takes one array"),
        (php("$this->model_setting_event->addEvent('x', '', 't');"), "4.0", "4.0.0.0", "needs at least 4"),
        (EVENT_VAR, "4.1", "", "has no 'description'"),  # followed to its assignment
        (STARTUP_40, "4.0", "4.0.1.0-4.0.2.3", None),
        (STARTUP_40, "4.1", "", "has no 'description'"),  # 4.1.0.0 added the column
        (php("foreach ($events as $e) {\n$this->model_setting_event->addEvent($e);\n}"), "4.1", "", None),  # cannot tell
    ],
)
def test_event_api_call_shape(source: str, target: str, releases: str, says: str | None) -> None:
    found = run("RTE004", {CONTROLLER: source}, target, releases)
    assert [m for _p, _l, _s, m in found if says and says in m] if says else not found, found


# --------------------------------------------------------------------------- RTE005: triggers


@pytest.mark.parametrize(
    "trigger, generation, releases, stored, problem",
    [
        ("catalog/model/checkout/order/addHistory/after", "4.0", "", True, None),
        ("catalog/model/checkout/order/addHistory/after", "4.1", "", True, "4.0's form"),
        ("catalog/model/checkout/order.addHistory/after", "4.1", "", True, None),
        ("catalog/model/checkout/order.addHistory/after", "4.0", "", True, "4.1's form"),
        ("catalog/model/checkout/order/after", "4.1", "", True, "names no model method"),
        ("catalog/model/extension/x_demo/total/fee/getTotal/after", "4.1", "", True, "4.0's form"),
        ("catalog/model/extension/x_demo/total/fee.getTotal/after", "4.1", "", True, None),
        ("admin/model/catalog/*/after", "4.1", "", True, None),  # wildcards: not judged
        ("model/checkout/order.addHistory/after", "4.1", "", True, "does not start with"),
        ("model/checkout/order.addHistory/after", "4.1", "", False, None),  # event->register(): no app prefix
        ("catalog/controller/account/login/token/before", "4.1", "", True, "as a route segment"),
        ("catalog/controller/account/login.token/before", "4.1", "", True, None),
        ("catalog/controller/account/login.token/before", "4.0", "4.0.0.0-4.0.1.1", True, "uses '.' before the method"),
        ("catalog/controller/account/login|token/before", "4.0", "4.0.1.1", True, None),
        ("catalog/controller/account/login|token/before", "4.0", "4.0.2.0-4.0.2.3", True, "uses '|' before the method"),
        ("catalog/controller/api/sale/order/before", "4.0", "", True, None),  # 4.0's three-segment API routes
        ("catalog/view/common/header/after", "4.1", "", True, None),
        ("admin/view/sale/order_info/before", "4.0", "", True, None),
    ],
)
def test_trigger_problem(trigger: str, generation: str, releases: str, stored: bool, problem: str | None) -> None:
    result = trigger_problem(trigger, parse_range(generation, releases), stored)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result[0] and result[1]


def test_runtime_event_register_is_checked_without_app_prefix() -> None:
    source = php("$this->event->register('model/checkout/order/addHistory/after', new \\Opencart\\System\\Engine\\Action('extension/x_demo/event/x.run'));")
    assert [m for _p, _l, _s, m in run("RTE005", {"catalog/controller/startup/x_demo.php": source}, "4.1")]
    assert not run("RTE005", {"catalog/controller/startup/x_demo.php": source}, "4.0")


# --------------------------------------------------------------------------- RTE006: handler return values

ADD_HEADER_EVENT = php(
    "$this->model_setting_event->addEvent(['code' => 'x', 'description' => '', 'status' => 1, 'sort_order' => 0,\n"
    "'trigger' => 'catalog/view/common/header/after', 'action' => 'extension/x_demo/module/x_demo.onHeader']);"
)


@pytest.mark.parametrize(
    "body, fires",
    [
        ("return $output . 'x';", True),
        ("$output .= 'x';", False),
        ("$output .= 'x'; return;", False),
        ("return null;", False),
        ("return new \\Opencart\\System\\Engine\\Action('error/not_found');", True),
    ],
)
def test_event_handler_return_ignored(body: str, fires: bool) -> None:
    handler = php("class XDemo extends \\Opencart\\System\\Engine\\Controller {\npublic function onHeader(string &$route, array &$data, string &$output) {\n" + body + "\n}\n}")
    files = {CONTROLLER: ADD_HEADER_EVENT, "catalog/controller/module/x_demo.php": handler}
    assert bool(run("RTE006", files, "4.1")) is fires
    assert not run("RTE006", files, "4.0")  # 4.0 uses the value: not this rule's target


def test_handler_of_another_package_is_not_followed() -> None:
    handler = php("class XDemo extends \\Opencart\\System\\Engine\\Controller {\npublic function onHeader() {\nreturn 'x';\n}\n}")
    files = {CONTROLLER: ADD_HEADER_EVENT, "catalog/controller/module/x_demo.php": handler}
    assert not run("RTE006", files, "4.1", zip_name="other.ocmod.zip")


# --------------------------------------------------------------------------- RTE007, RTE008: permissions

GRANT = "$this->model_user_user_group->addPermission($id, 'access', '{route}');"
PAGE = php("class XDemo extends \\Opencart\\System\\Engine\\Controller {\npublic function index(): void {}\n}")


@pytest.mark.parametrize(
    "path, extra, target, releases, fires",
    [
        ("admin/controller/tool/x_demo.php", {}, "4.1", "", True),
        ("admin/controller/x_demo.php", {}, "4.1", "", True),
        ("admin/controller/module/x_demo.php", {}, "4.1", "", False),
        ("admin/controller/language/x_demo.php", {}, "4.0", "4.0.0.0", True),  # not a type before 4.0.1.0
        ("admin/controller/language/x_demo.php", {}, "4.0", "4.0.1.0-4.0.2.3", False),
        ("admin/controller/event/x_demo.php", {}, "4.1", "", False),
        ("admin/controller/tool/x_demo.php", {"admin/controller/module/x_demo.php": php(GRANT.format(route="extension/x_demo/tool/x_demo"))}, "4.1", "", False),
        ("admin/controller/tool/x_demo.php", {"admin/controller/module/x_demo.php": php(GRANT.format(route="extension/other/tool/x_demo"))}, "4.1", "", True),
    ],
)
def test_admin_page_needs_permission(path: str, extra: dict[str, str], target: str, releases: str, fires: bool) -> None:
    assert bool(run("RTE007", {path: PAGE, **extra}, target, releases)) is fires


def test_abstract_base_controller_is_not_a_page() -> None:
    base = php("abstract class Base extends \\Opencart\\System\\Engine\\Controller {\n}")
    assert not run("RTE007", {"admin/controller/base.php": base}, "4.1")


CHECK = "if (!$this->user->hasPermission('modify', '{route}')) {{ return; }}\n"


def _save(body: str, helper: str = "") -> str:
    return php("class XDemo extends \\Opencart\\System\\Engine\\Controller {\npublic function save(): void {\n" + body + "\n}\n" + helper + "}")


@pytest.mark.parametrize(
    "source, says",
    [
        (_save("$this->model_setting_setting->editSetting('module_x_demo', $this->request->post);"), "without checking 'modify'"),
        (_save("if (!$this->user->hasPermission('modify', 'extension/x_demo/module/x_demo')) { return; }\n$this->model_setting_setting->editSetting('module_x_demo', $this->request->post);"), None),
        (_save("if (!$this->validate()) { return; }\n$this->model_setting_setting->editSetting('module_x_demo', $this->request->post);",
               "protected function validate() {\nreturn $this->user->hasPermission('modify', 'extension/x_demo/module/x_demo');\n}\n"), None),
        (_save(CHECK.format(route="extension/module/x_demo") + "$this->model_setting_setting->editSetting('m', $this->request->post);"), "is extension/x_demo/module/x_demo"),
        (_save(CHECK.format(route="sale/order") + "$this->model_sale_order->addHistory($this->request->post['id']);"), None),  # another page's permission, on purpose
        (_save("if (isset($this->request->post['x'])) { $data['x'] = $this->request->post['x']; }\n$this->db->query('SELECT 1');"), None),  # a form shown again
        (_save("$id = $this->request->post['id'];\n$this->response->setOutput(json_encode(['id' => $id]));"), None),  # reads, stores nothing
    ],
)
def test_modify_permission_check(source: str, says: str | None) -> None:
    found = run("RTE008", {CONTROLLER: source}, "4.1")
    assert ([m for _p, _l, _s, m in found if says in m] if says else not found), found


# --------------------------------------------------------------------------- TWG101, TWG102: classes

TEMPLATE = "admin/view/template/module/x_demo.twig"


@pytest.mark.parametrize(
    "name, replacement",
    [("panel-heading", "card-header"), ("col-xs-6", "col-6"), ("col-md-offset-2", "offset-*-2"), ("label-success", "badge bg-success"), ("btn-default", "btn-light"),
     ("card", None), ("float-end", None), ("text-right", None), ("page-header", None), ("col-sm-6", None)],
)
def test_bootstrap3_replacements(name: str, replacement: str | None) -> None:
    assert bs3_replacement(name) == replacement


@pytest.mark.parametrize(
    "markup, extra, fires",
    [
        ('<div class="panel">x</div>', {}, True),
        ('<div class="panel">x</div>', {"catalog/view/stylesheet/x_demo.css": ".panel { border: 1px solid; }"}, False),  # the package defines it
        ('<div class="{{ panel }} card">x</div>', {}, False),  # a twig expression is not a class
        ('<a data-bs-toggle="tab" data-oc-toggle="ajax">x</a>', {}, False),
        ('<a data-toggle="tab">x</a>', {}, True),
        ("$('#x').prepend('<div class=\"alert alert-danger pull-right\">');", {}, True),  # HTML inside a script
    ],
)
def test_bootstrap3_class(markup: str, extra: dict[str, str], fires: bool) -> None:
    assert bool(run("TWG101", {TEMPLATE: markup, **extra}, "4.1")) is fires


@pytest.mark.parametrize(
    "icon, target, releases, fires",
    [
        ("fas fa-save", "4.0", "4.0.0.0", False),
        ("fas fa-save", "4.1", "4.1.0.4", False),
        ("fa-solid fa-save", "4.0", "4.0.0.0", True),
        ("fa-solid fa-save", "4.0", "4.0.1.0-4.0.2.3", False),
        ("fa fa-trash-o", "4.1", "", True),  # Font Awesome 4 only
        ("fa fa-pencil", "4.0", "4.0.0.0", True),  # a Font Awesome 4 name that 5 lacks and 6 restored
        ("fa fa-pencil", "4.0", "4.0.1.0", False),
        ("fa-solid fa-vector-square", "4.1", "4.1.0.0-4.1.0.3", False),
        ("fa-solid fa-vector-square", "4.1", "4.1.0.4", True),
    ],
)
def test_font_awesome_icon_missing(icon: str, target: str, releases: str, fires: bool) -> None:
    assert bool(run("TWG102", {TEMPLATE: f'<i class="{icon}"></i>'}, target, releases)) is fires


def test_icon_table_is_loaded_from_the_data_file() -> None:
    table = missing_icons()
    assert table["fa-trash-o"] == ("4.0.0.0", "4.1.0.4") and table["fa-pencil"] == ("4.0.0.0", "4.0.0.0") and "fa-save" not in table


# --------------------------------------------------------------------------- TWG103, TWG104: AJAX forms


def _form_package(form: str, save_body: str = "$this->response->setOutput(json_encode([]));", link: str = "extension/x_demo/module/x_demo.save") -> dict[str, str]:
    controller = php(
        "class XDemo extends \\Opencart\\System\\Engine\\Controller {\n"
        f"public function index(): void {{\n$data['save'] = $this->url->link('{link}', 'user_token=1');\n"
        "$this->response->setOutput($this->load->view('extension/x_demo/module/x_demo', $data));\n}\n"
        f"public function save(): void {{\n$json = [];\n{save_body}\n}}\n}}"
    )
    return {CONTROLLER: controller, TEMPLATE: form}


@pytest.mark.parametrize(
    "form, releases, fires",
    [
        ('<form id="f" action="{{ save }}" method="post">\n</form>', "", True),
        ('<form id="f" action="{{ save }}" method="post" data-oc-toggle="ajax">\n</form>', "", False),
        ('<form id="f" action="{{ save }}" method="post">\n</form>\n<button type="submit" form="f" data-oc-toggle="ajax">S</button>', "4.0.2.3", False),
        ('<form id="f" action="{{ save }}" method="post">\n</form>\n<button type="submit" form="f" data-oc-toggle="ajax">S</button>', "4.0.2.0-4.0.2.3", True),
        ('<form id="f" action="{{ other }}" method="post">\n</form>', "", False),
    ],
)
def test_save_form_without_ajax(form: str, releases: str, fires: bool) -> None:
    assert bool(run("TWG103", _form_package(form), "4.0", releases or "4.0.2.0-4.0.2.3")) is fires


def test_form_posting_to_an_html_action_is_not_judged() -> None:
    files = _form_package('<form action="{{ save }}" method="post">\n</form>', save_body="$this->response->setOutput($this->load->view('x', []));")
    assert not run("TWG103", files, "4.1")


@pytest.mark.parametrize(
    "save_body, template_extra, fires",
    [
        ("$json['error']['api_key'] = 'x';", "", True),
        ("$json['error']['api_key'] = 'x';", '<div id="error-api-key"></div>', False),
        ("$json['error']['warning'] = 'x';", "", False),  # shown as an alert
        ("$json['error']['name_' . $language_id] = 'x';", "", False),  # an element per language
        ("$json['error'] = 'x';", "", False),
        ("$json['error']['api_key'] = 'x';", "{% include 'extension/x_demo/module/x_demo_fields.twig' %}", False),
    ],
)
def test_json_error_without_field(save_body: str, template_extra: str, fires: bool) -> None:
    form = '<form id="f" action="{{ save }}" method="post" data-oc-toggle="ajax">\n' + template_extra + "\n</form>"
    assert bool(run("TWG104", _form_package(form, save_body + "\n$this->response->setOutput(json_encode($json));"), "4.1")) is fires


# --------------------------------------------------------------------------- OCM: OCMOD


MOD = (
    '<modification>\n  <name>X</name>\n  <file path="{path}">\n    <operation>\n      <search><![CDATA[{search}]]></search>\n'
    '      <add position="{position}"><![CDATA[{add}]]></add>\n    </operation>\n  </file>\n</modification>\n'
)


def mod(path: str = "admin/view/template/common/header.twig", search: str = "<title>", add: str = "<meta>", position: str = "after") -> str:
    return MOD.format(path=path, search=search, add=add, position=position)


@pytest.mark.parametrize(
    "path, registered",
    [
        ("ocmod/x_demo.ocmod.xml", True),
        ("ocmod/sub/x_demo.ocmod.xml", True),
        ("x_demo.ocmod.xml", False),
        ("OCMOD/x_demo.ocmod.xml", False),
        ("ocmod/x_demo.xml", False),
        ("ocmod/x_demo.OCMOD.XML", False),
        ("admin/x_demo.ocmod.xml", False),
        ("__MACOSX/ocmod/._x_demo.ocmod.xml", None),  # junk: neither
    ],
)
def test_ocmod_file_placement(path: str, registered: bool | None) -> None:
    found = run("OCM002", {path: mod()}, "4.1")
    disabled = run("OCM010", {path: mod()}, "4.1")
    if registered is None:
        assert not found and not disabled
    else:
        assert bool(found) is not registered and bool(disabled) is registered


def test_empty_ocmod_file_is_not_registered() -> None:
    assert run("OCM002", {"ocmod/x_demo.ocmod.xml": ""}, "4.1") and not run("OCM010", {"ocmod/x_demo.ocmod.xml": ""}, "4.1")


def test_backslash_entry_is_never_registered() -> None:
    notes = (("backslash", "ocmod\\x_demo.ocmod.xml", "entry name uses backslashes"),)
    assert [p for p, _l, _s, _m in run("OCM002", {}, "4.1", notes=notes)] == ["ocmod\\x_demo.ocmod.xml"]


@pytest.mark.parametrize(
    "files, zip_name, says",
    [
        ({"ocmod/x_demo_header.ocmod.xml": mod()}, "x_demo.ocmod.zip", None),
        ({"ocmod/acme_header.ocmod.xml": mod()}, "acme_demo.ocmod.zip", None),  # the vendor prefix of the package
        ({"ocmod/header.ocmod.xml": mod()}, "x_demo.ocmod.zip", "is generic"),
        ({"ocmod/acme_header.ocmod.xml": mod()}, None, None),  # no package name: any vendor_ prefix
        ({"ocmod/header.ocmod.xml": mod()}, None, "is generic"),
        ({"ocmod/a/x_demo_h.ocmod.xml": mod(), "ocmod/b/x_demo_h.ocmod.xml": mod()}, "x_demo.ocmod.zip", "registers only the first"),
        ({"ocmod/x_demo_" + "a" * 60 + ".ocmod.xml": mod()}, "x_demo.ocmod.zip", "stored cut"),
    ],
)
def test_ocmod_code_collision(files: dict[str, str], zip_name: str | None, says: str | None) -> None:
    found = run("OCM003", files, "4.1", zip_name=zip_name)
    assert ([m for _p, _l, _s, m in found if says in m] if says else not found), found


@pytest.mark.parametrize(
    "xml, says",
    [
        ("<modification><name>X</name><version>1.0</version></modification>", None),
        ("<modification><version>1.0</version></modification>", "no <name>"),
        ("<modification><name>" + "N" * 65 + "</name></modification>", "is 65 characters"),
        ("<modification><name>\n    " + "N" * 60 + "\n  </name></modification>", "whitespace around the text counts"),
        ("<modification><name>X</name><author>" + "A" * 64 + "</author><version>" + "1" * 33 + "</version></modification>", "<version> is 33"),
        ("<modification><name><b>Bold</b> name</name></modification>", None),
        ('<modification><file path="a"><name>Inner</name></file></modification>', "the first <name> is not a child"),
    ],
)
def test_ocmod_fields(xml: str, says: str | None) -> None:
    found = run("OCM005", {"ocmod/x_demo_h.ocmod.xml": xml}, "4.1")
    assert ([m for _p, _l, _s, m in found if says in m] if says else not found), found


@pytest.mark.parametrize(
    "xml, says, severity",
    [
        (mod(), None, None),
        ("<modification><name>X</name>", "not well-formed", Severity.ERROR),
        ("<mod><modification><name>X</name></modification></mod>", "root element is <mod>", Severity.WARNING),
        ("<mod><name>X</name></mod>", "finds no <modification>", Severity.ERROR),
        ('<modification><name>X</name><file path="a"><operation><search>x</search></operation></file></modification>', "without <add>", Severity.ERROR),
        ("<modification><name>X</name><!DOCTYPE x></modification>", "DTD", Severity.ERROR),
    ],
)
def test_ocmod_xml_invalid(xml: str, says: str | None, severity: Severity | None) -> None:
    found = run("OCM006", {"ocmod/x_demo_h.ocmod.xml": xml}, "4.1")
    if says is None:
        assert not found
    else:
        assert [s for _p, _l, s, m in found if says in m] == [severity], found


@pytest.mark.parametrize(
    "path, says",
    [
        ("catalog/view/template/common/header.twig", None),
        ("extension/opencart/admin/view/template/module/account.twig", None),
        ("admin/controller/extension/module.php", None),  # the 4.x type list controller
        ("upload/catalog/view/template/common/header.twig", "write 'catalog/view/template/common/header.twig'"),
        ("/catalog/view/template/common/header.twig", "write 'catalog/view/template/common/header.twig'"),
        ("catalog/view/theme/default/template/common/header.twig", "use the 4.x path: catalog/view/template/common/header.twig"),
        ("admin/controller/extension/module/x_demo.php", "extension/x_demo/admin/controller/module/x_demo.php"),
        ("admin/view/template/extension/module/x_demo.twig", "extension/x_demo/admin/view/template/module/x_demo.twig"),
        ("catalog/language/en-gb/extension/module/x_demo.php", "extension/x_demo/catalog/language/en-gb/module/x_demo.php"),
        ("catalog/view/template/common/header.tpl", "catalog/view/template/common/header.twig"),
        ("catalog/view/template/common/header.twig|image/catalog/x.png", "does not start with"),
    ],
)
def test_ocmod_path_prefix(path: str, says: str | None) -> None:
    found = run("OCM007", {"ocmod/x_demo_h.ocmod.xml": mod(path)}, "4.1")
    if says is None:
        assert not found
    else:
        assert any(says in m or says in h for m, h in _messages_and_hints("OCM007", {"ocmod/x_demo_h.ocmod.xml": mod(path)})), found


def _messages_and_hints(code: str, files: dict[str, str]) -> list[tuple[str, str]]:
    tree = PackageTree(files={p: PackageFile(t.encode()) for p, t in files.items()})
    data = LintInput(tree=tree, target="4.1", package_name="x_demo.ocmod.zip", target_range=Target.of("4.1"))
    return [(d.message, d.hint) for d in lint(data, select=[code]).diagnostics]


@pytest.mark.parametrize(
    "path, early, late, class_file",
    [
        ("admin/view/template/common/header.twig", "yes", "yes", False),
        ("extension/opencart/admin/view/template/module/account.twig", "yes", "yes", False),
        ("extension/opencart/catalog/view/template/module/account.twig", "no", "no", False),
        ("admin/controller/common/header.php", "partly", "yes", True),
        ("extension/opencart/admin/controller/report/customer_order.php", "partly", "no", True),
        ("extension/opencart/catalog/controller/module/account.php", "no", "no", True),
        ("admin/model/catalog/attribute.php", "no", "partly", True),
        ("system/library/cart/cart.php", "no", "yes", True),
        ("system/library/template/template.php", "no", "no", True),
        ("extension/x/system/library/client.php", "no", "partly", True),
        ("admin/language/en-gb/common/header.php", "no", "no", False),
        ("catalog/controller/startup/seo_url.php", "no", "no", False),
        ("system/config/catalog.php", "no", "no", False),
        ("system/helper/general.php", "no", "no", False),
        ("system/engine/loader.php", "no", "no", False),
        ("catalog/view/javascript/common.js", "no", "no", False),
    ],
)
def test_runtime_effect(path: str, early: str, late: str, class_file: bool) -> None:
    eff = effect(path)
    assert eff is not None and (eff.early, eff.late, eff.class_file) == (early, late, class_file)


@pytest.mark.parametrize(
    "path, namespace",
    [
        ("admin/controller/catalog/attribute.php", "Opencart\\Admin\\Controller\\Extension\\Ocmod\\Catalog"),
        ("catalog/model/checkout/order.php", "Opencart\\Catalog\\Model\\Extension\\Ocmod\\Checkout"),
        ("extension/opencart/admin/controller/report/customer_order.php", "Opencart\\Admin\\Controller\\Extension\\Ocmod\\Extension\\Opencart\\Report"),
        ("extension/oc_theme_example/catalog/controller/module/x.php", "Opencart\\Catalog\\Controller\\Extension\\Ocmod\\Extension\\OcThemeExample\\Module"),
        ("system/library/cart/cart.php", "Opencart\\System\\Library\\Extension\\Ocmod\\Cart"),
        ("catalog/controller/*/*.php", None),
    ],
)
def test_expected_namespace(path: str, namespace: str | None) -> None:
    assert expected_namespace(path) == namespace


REWRITE = '<operation><search><![CDATA[Opencart\\Admin\\Controller\\Common;]]></search><add position="replace"><![CDATA[{ns};]]></add></operation>'


@pytest.mark.parametrize(
    "path, rewrite, releases, says",
    [
        ("admin/controller/common/header.php", "", "", "no operation rewrites"),
        ("admin/controller/common/header.php", "Opencart\\Admin\\Controller\\Extension\\Ocmod\\Common", "", None),
        ("admin/controller/common/header.php", "Opencart\\\\Admin\\\\Controller\\\\Extension\\\\Ocmod\\\\Common", "", None),  # PHP-escaped backslashes
        ("admin/controller/common/header.php", "Opencart\\Admin\\Controller\\Extension\\Ocmod\\Catalog", "", "but not Opencart\\Admin\\Controller\\Extension\\Ocmod\\Common"),
        ("system/library/template/template.php", "", "", None),  # never applied: OCM009's
        ("admin/model/catalog/attribute.php", "", "4.1.0.0-4.1.0.3", None),  # never applied before 4.1.0.4
        ("admin/model/catalog/attribute.php", "", "4.1.0.4", "no operation rewrites"),
        ("admin/language/en-gb/common/header.php", "", "", None),  # not a class
    ],
)
def test_namespace_rewrite(path: str, rewrite: str, releases: str, says: str | None) -> None:
    xml = mod(path)
    if rewrite:
        xml = xml.replace("<operation>", REWRITE.format(ns=rewrite) + "<operation>", 1)
    found = run("OCM008", {"ocmod/x_demo_h.ocmod.xml": xml}, "4.1", releases)
    assert ([m for _p, _l, _s, m in found if says in m] if says else not found), found


@pytest.mark.parametrize(
    "path, releases, fires",
    [
        ("admin/view/template/common/header.twig", "", False),
        ("admin/controller/common/header.php", "4.1.0.4", False),
        ("admin/controller/common/header.php", "4.1.0.0-4.1.0.3", True),
        ("extension/opencart/admin/controller/report/customer_order.php", "4.1.0.4", True),
        ("system/library/cart/cart.php", "4.1.0.4", False),
        ("system/library/cart/cart.php", "", True),
        ("admin/language/en-gb/common/header.php", "4.1.0.4", True),
    ],
)
def test_target_without_effect_by_release(path: str, releases: str, fires: bool) -> None:
    assert bool(run("OCM009", {"ocmod/x_demo_h.ocmod.xml": mod(path)}, "4.1", releases)) is fires


def test_code_element_info_only_when_it_differs() -> None:
    same = "<modification><name>X</name><code>x_demo_h</code></modification>"
    other = "<modification><name>X</name><code>x_demo</code></modification>"
    assert not run("OCM004", {"ocmod/x_demo_h.ocmod.xml": same}, "4.1")
    assert [s for _p, _l, s, _m in run("OCM004", {"ocmod/x_demo_h.ocmod.xml": other}, "4.1")] == [Severity.INFO]


@pytest.mark.parametrize("path", ["ocmod/x_demo.ocmod.xml", "x_demo.ocmod.xml", "admin/x.xml", "ocmod/readme.txt"])
def test_any_ocmod_file_in_a_40_package(path: str) -> None:
    xml = mod() if path.endswith(".xml") else "notes"
    assert run("OCM001", {path: xml}, "4.0")
    assert not run("OCM001", {"install.xml": mod()}, "4.0")  # a 3.0 layout: the package rules report it
