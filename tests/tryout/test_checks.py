"""The checks of a try run, fed with text as real stores produce it."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write_tree
from ocmod_forge.manifest import parse_manifest
from ocmod_forge.tree import PackageFile, PackageTree
from ocmod_forge.tryout import checks
from ocmod_forge.tryout.package import TryPackage
from ocmod_forge.tryout.snapshot import Leftover

XML = b"""<?xml version="1.0" encoding="utf-8"?>
<modification>
  <name>Acme Try</name>
  <code>acme_try</code>
  <file path="admin/view/template/catalog/product_form.twig">
    <operation>
      <search><![CDATA[<li><a href="#tab-design" data-toggle="tab">{{ tab_designs }}</a></li>]]></search>
      <add position="after"><![CDATA[<li><a href="#tab-acme" id="acme-tab-link">Acme</a></li>]]></add>
    </operation>
    <operation>
      <search><![CDATA[<div class="tab-pane" id="tab-design">]]></search>
      <add position="before"><![CDATA[<div class="tab-pane" id="tab-acme"><p>Acme</p></div>]]></add>
    </operation>
  </file>
  <file path="admin/view/template/sale/order_info.twig">
    <operation>
      <search><![CDATA[<td>{{ date_added }}</td>]]></search>
      <add position="after"><![CDATA[{% if acme_order %}<tr><td class="acme-order-row">{{ acme_order }}</td></tr>{% endif %}]]></add>
    </operation>
  </file>
</modification>
"""

# ocmod.log as OpenCart 3.0.3.8 writes it (a core modification, then the package's).
LOG = """2026-12-03 8:27:02 - MOD: Modification Default
FILE: system/engine/action.php
REGEX: ~(require|include)(_once)?\\(([^)]+)~
LINE: 69
----------------------------------------------------------------
MOD: Acme Try
FILE: admin/view/template/catalog/product_form.twig
CODE: <li><a href="#tab-design" data-toggle="tab">{{ tab_designs }}</a></li>
NOT FOUND - OPERATIONS ABORTED!
----------------------------------------------------------------
"""


def _manifests() -> list[tuple[str, object]]:
    return [("install.xml", parse_manifest(XML))]


@pytest.mark.parametrize(
    ("text", "error", "table"),
    [
        ("Uncaught mysqli_sql_exception: Table 'db.oc_acme_try_log' doesn't exist", "Table 'db.oc_acme_try_log' doesn't exist", "oc_acme_try_log"),
        ("Error: Unknown column 'x' in 'field list'<br />Error No: 1054<br />SELECT x FROM t", "Unknown column 'x' in 'field list'", ""),
        ("Error: Table 'db.oc_y' doesn't exist<br/>Error No: 1146<br/>SELECT 1", "Table 'db.oc_y' doesn't exist", "oc_y"),
    ],
)
def test_sql_failure(text: str, error: str, table: str) -> None:
    failure = checks.sql_failure(text)
    assert failure is not None and failure.error == error and failure.missing_table == table


def test_not_a_sql_failure() -> None:
    assert checks.sql_failure('Undefined array key "x"') is None


def test_ocmod_log_not_found_maps_to_the_operation() -> None:
    manifests = _manifests()
    misses = checks.ocmod_not_found(LOG, manifests)  # type: ignore[arg-type]
    assert len(misses) == 1
    miss = misses[0]
    assert (miss.manifest, miss.key, miss.status) == ("install.xml", "admin/view/template/catalog/product_form.twig", "NOT FOUND - OPERATIONS ABORTED!")
    assert miss.operation is not None and miss.operation.line == 6
    # The core modification's entries are never the package's.
    assert checks.ocmod_not_found(LOG.replace("MOD: Acme Try", "MOD: Someone Else"), manifests) == []  # type: ignore[arg-type]


def test_change_counts_ids_conditions_and_skips() -> None:
    manifests = _manifests()
    before = {"product_form": '<li id="tab-design">', "order_info": "<td>1</td>"}
    after = {"product_form": '<li id="tab-design"><a id="acme-tab-link"></a><div id="tab-acme"></div><div id="tab-acme"></div>', "order_info": "<td>1</td>"}
    counts = checks.change_counts(manifests, set(), after, before)  # type: ignore[arg-type]
    seen = {(c.page, c.what): (c.count, c.conditional) for c in counts}
    assert seen == {
        ("product_form", "element id 'acme-tab-link'"): (1, False),
        ("product_form", "element id 'tab-acme'"): (2, False),
        ("order_info", "text '<tr><td class=\"acme-order-row\">'"): (0, True),
    }
    # With the first search not found (default error mode), the rest of that <file> is skipped.
    skipped = checks.change_counts(manifests, {("install.xml", 6)}, after, before)  # type: ignore[arg-type]
    assert [c.page for c in skipped] == ["order_info"]


def test_menu_counts_only_look_at_the_menu() -> None:
    then = '<nav id="column-left"><a href="index.php?route=catalog/product&amp;user_token=x">P</a></nav>'
    now = (
        '<nav id="column-left"><a href="index.php?route=catalog/product&amp;user_token=x">P</a>'
        '<a href="index.php?route=extension/acme/report&amp;user_token=x">A</a><a href="index.php?route=extension/acme/report&user_token=x">A</a></nav>'
        '<div><a href="index.php?route=extension/acme/settings&user_token=x">in the page, not the menu</a></div>'
    )
    assert checks.menu_counts(now, then, ["extension/acme/report", "extension/acme/settings", "extension/acme/report2"]) == {
        "extension/acme/report": 2,
        "extension/acme/settings": 0,
        "extension/acme/report2": 0,
    }


def test_permission_key() -> None:
    startup = "$extension = array('extension/module', 'extension/payment', 'extension/dashboard');"
    assert checks.permission_key("extension/mestech/dashboard", "3.0", startup) == "extension/mestech"
    assert checks.permission_key("extension/module/acme_try", "3.0", startup) == "extension/module/acme_try"
    assert checks.permission_key("extension/module", "3.0", startup) == "extension/module"
    assert checks.permission_key("extension/acme_try/tool/report.list", "4", "") == "extension/acme_try/tool/report"


def test_event_problems(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "admin/controller/extension/module/acme_try.php": "<?php class X { public function menu(&$r, &$d) {} }",
            "extension/acme_try/admin/controller/module/acme_try.php": "<?php class Y { public function menu(string &$r, array &$a): void {} }",
        },
    )
    events30 = [
        ("ok", "admin/view/common/column_left/before", "extension/module/acme_try/menu"),
        ("no-method", "admin/view/common/column_left/before", "extension/module/acme_try/nope"),
        ("no-file", "admin/view/common/column_left/before", "extension/module/gone/menu"),
        ("index", "admin/view/common/column_left/before", "extension/module/acme_try"),
    ]
    problems = {p.code: p.reason for p in checks.event_problems(events30, root, "3.0", (3, 0, 3, 8))}
    assert problems == {
        "no-method": "extension/module/acme_try has no method nope()",
        "no-file": "no controller file for extension/module/gone",
        "index": "extension/module/acme_try has no method index()",
    }
    events4 = [
        ("ok", "admin/view/common/column_left/before", "extension/acme_try/module/acme_try.menu"),
        ("pipe", "admin/view/common/column_left/before", "extension/acme_try/module/acme_try|menu"),
    ]
    problems4 = {p.code: p.reason for p in checks.event_problems(events4, root, "4", (4, 0, 2, 3))}
    assert problems4 == {"pipe": "the method separator is '.' in this release: the action never runs"}
    old = {p.code for p in checks.event_problems(events4, root, "4", (4, 0, 1, 1))}
    assert old == {"ok"}  # 4.0.0.0–4.0.1.1 need '|'


def test_unmatched_paths(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"admin/view/template/catalog/product_form.twig": "x"})
    missing = checks.unmatched_paths(_manifests(), root, "3.0")  # type: ignore[arg-type]
    assert [part for _m, _b, part in missing] == ["admin/view/template/sale/order_info.twig"]


def _package() -> TryPackage:
    files = {
        "upload/admin/model/extension/module/acme_try.php": b'<?php\n$this->db->query("DROP TABLE x");\n$this->db->query("CREATE TABLE IF NOT EXISTS `" . DB_PREFIX . "acme_try_log` (id INT)");\n'
        b'$this->db->query("ALTER TABLE `" . DB_PREFIX . "product` ADD `acme_flag` INT");\n',
        "upload/admin/controller/extension/module/acme_try.php": b"<?php\n$this->model_setting_event->addEvent('acme_try_menu', 'admin/view/common/column_left/before', 'x');\n"
        b"$this->model_user_user_group->addPermission(1, 'access', 'extension/acme');\n$this->model_setting_setting->editSetting('module_acme_try', []);\n",
        "upload/system/library/acme/cache.json": b"{}",
    }
    tree = PackageTree(files={k: PackageFile(v) for k, v in files.items()}, kind="zip")
    return TryPackage("acme.ocmod.zip", b"", tree, "3.0")


@pytest.mark.parametrize(
    ("left", "code", "path", "line"),
    [
        (Leftover("table", "acme_try_log"), "TRY041", "upload/admin/model/extension/module/acme_try.php", 3),
        (Leftover("column", "product.acme_flag"), "TRY041", "upload/admin/model/extension/module/acme_try.php", 4),
        (Leftover("table", "oc_acme_try_log", "outside the store's table prefix"), "TRY017", "", 0),
        (Leftover("event", "acme_try_menu", "admin/view/... → x"), "TRY042", "upload/admin/controller/extension/module/acme_try.php", 2),
        (Leftover("setting", "module_acme_try_status", "code module_acme_try, store 0"), "TRY043", "upload/admin/controller/extension/module/acme_try.php", 4),
        (Leftover("permission", "extension/acme", "access, user group 1"), "TRY044", "upload/admin/controller/extension/module/acme_try.php", 3),
        (Leftover("modification", "acme_try", "Acme Try"), "TRY045", "install.xml", 0),
        (Leftover("rows", "layout_module", "1 more rows than before install"), "TRY047", "", 0),
        (Leftover("file", "system/library/acme/cache.json"), "TRY046", "upload/system/library/acme/cache.json", 0),
        (Leftover("core-file", "admin/language/en-gb/en-gb.php", "deleted"), "TRY048", "", 0),
    ],
)
def test_leftover_findings_are_located(left: Leftover, code: str, path: str, line: int) -> None:
    finding = checks.leftover_finding(left, _package(), "forge_", "install.xml")
    assert (finding.code, finding.path, finding.line) == (code, path, line)


def test_table_location_prefers_a_query() -> None:
    assert checks.table_location(_package(), "acme_try_log") == ("upload/admin/model/extension/module/acme_try.php", 3)
    assert checks.table_location(_package(), "nowhere") is None


def test_small_helpers() -> None:
    assert checks.class_line("<?php\n/** doc */\nabstract class X {}\n") == 3
    assert checks.has_index("public function Index() {") and not checks.has_index("function indexes()")
    assert checks.alert_text('<div class="alert alert-danger alert-dismissible"><i class="fa"></i> Warning: no! <button>x</button></div>') == "Warning: no!"
    assert checks.plain("<b>a</b>\n  b") == "a b"
    assert checks.plain("OpenCart &gt;= 4.1.0.0") == "OpenCart >= 4.1.0.0"
