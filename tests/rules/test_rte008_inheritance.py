"""RTE008 follows a modify check the package's base class makes for its actions (a false finding
is the second worst thing a validator can do)."""

from __future__ import annotations

from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.tree import PackageFile, PackageTree

BASE = """<?php
namespace Opencart\\Admin\\Controller\\Extension\\Shop;
abstract class Page extends \\Opencart\\System\\Engine\\Controller {
    protected function mayModify(): bool {
        return $this->user->hasPermission('modify', 'extension/shop/tool/' . $this->page);
    }
}
"""
PAGE = """<?php
namespace Opencart\\Admin\\Controller\\Extension\\Shop\\Tool;
class Notes extends \\Opencart\\Admin\\Controller\\Extension\\Shop\\Page {
    public function save(): void {
        {guard}
        $this->model_extension_shop_tool_notes->edit($this->request->post);
    }
}
"""


def _findings(guard: str) -> list[int]:
    files = {
        "install.json": '{"name": "Shop", "version": "1", "author": "V", "link": "https://example.com"}',
        "admin/controller/page.php": BASE,
        "admin/controller/tool/notes.php": PAGE.replace("{guard}", guard),
    }
    tree = PackageTree(files={k: PackageFile(v.encode()) for k, v in files.items()})
    report = lint(LintInput(tree=tree, target="4.1", package_name="shop.ocmod.zip"), select=["RTE008"])
    return [d.line for d in report.diagnostics if d.path == "admin/controller/tool/notes.php"]


def test_a_base_class_check_counts() -> None:
    assert _findings("if (!$this->mayModify()) { return; }") == []


def test_no_check_at_all_is_still_reported() -> None:
    assert _findings("// nothing") == [6]
