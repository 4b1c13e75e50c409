"""The Acme Try test packages (our own, in tests/tryout/data) and their planted defects.

``make_package(base, dest, defects)`` copies a package folder and applies the named defects;
each defect is a set of exact text replacements, and each must apply exactly once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).parent / "data"
ACME30 = DATA / "acme30"
ACME4 = DATA / "acme_try"

_C30 = "upload/admin/controller/extension/module/acme_try.php"
_GRANT30 = (
    "\t\t$this->model_user_user_group->addPermission($this->user->getGroupId(), 'access', 'extension/acme');\n"
    "\t\t$this->model_user_user_group->addPermission($this->user->getGroupId(), 'modify', 'extension/acme');\n"
)

DEFECTS_30: dict[str, list[tuple[str, str, str]]] = {
    # A PHP warning on the report page: an unchecked request value.
    "php-warning": [
        (
            "upload/admin/controller/extension/acme/report.php",
            "$data['filter'] = isset($this->request->get['filter']) ? (string)$this->request->get['filter'] : '';",
            "$data['filter'] = (string)$this->request->get['filter'];",
        )
    ],
    # A hard-coded oc_ table name in the report's query.
    "oc-prefix": [("upload/admin/model/extension/module/acme_try.php", 'SELECT * FROM `" . DB_PREFIX . "acme_try_log`', "SELECT * FROM `oc_acme_try_log`")],
    # An OCMOD search that is not in OpenCart's product form.
    "search-not-found": [("install.xml", "{{ tab_design }}</a></li>]]></search>", "{{ tab_designs }}</a></li>]]></search>")],
    # install() forgets the permission of the report page.
    "permission-missing": [(_C30, _GRANT30, "")],
    # uninstall() forgets to drop the table.
    "table-left": [(_C30, "\t\t$this->model_extension_module_acme_try->dropTable();\n", "")],
}

_C4 = "admin/controller/module/acme_try.php"
DEFECTS_4: dict[str, list[tuple[str, str, str]]] = {
    "php-warning": [
        (
            "admin/controller/tool/report.php",
            "$data['filter'] = (string)($this->request->get['filter'] ?? '');",
            "$data['filter'] = (string)$this->request->get['filter'];",
        )
    ],
    "oc-prefix": [("admin/model/module/acme_try.php", 'SELECT * FROM `" . DB_PREFIX . "acme_try_log`', "SELECT * FROM `oc_acme_try_log`")],
    "search-not-found": [("ocmod/acme_try.ocmod.xml", "<![CDATA[{{ tab_design }}]]>", "<![CDATA[{{ tab_designs }}]]>")],
    "permission-missing": [
        (
            _C4,
            "\t\t$this->model_user_user_group->addPermission($this->user->getGroupId(), 'access', 'extension/acme_try/tool/report');\n"
            "\t\t$this->model_user_user_group->addPermission($this->user->getGroupId(), 'modify', 'extension/acme_try/tool/report');\n",
            "",
        )
    ],
    "table-left": [(_C4, "\t\t$this->model_extension_acme_try_module_acme_try->dropTable();\n", "")],
}


def make_package(base: Path, dest: Path, defects: list[str] | tuple[str, ...] = ()) -> Path:
    """Copy ``base`` to ``dest`` and plant ``defects``; returns ``dest``."""
    table = DEFECTS_30 if base == ACME30 else DEFECTS_4
    shutil.copytree(base, dest)
    for name in defects:
        for rel, old, new in table[name]:
            path = dest / rel
            text = path.read_text(encoding="utf-8")
            if text.count(old) != 1:
                raise AssertionError(f"defect {name}: {old!r} occurs {text.count(old)} times in {rel}")
            path.write_text(text.replace(old, new), encoding="utf-8")
    return dest
