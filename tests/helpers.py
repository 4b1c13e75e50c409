"""Helpers shared by the test modules (importable as `helpers`: tests/ is on pythonpath)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


MINI_PROJECT = {
    "ocmod-forge.yaml": (
        "extension:\n"
        "  name: Demo Extension\n"
        "  code: demo_ext\n"
        "  version: 1.2.0\n"
        "  author: Demo Co\n"
        "  link: https://example.com/demo\n"
        "marketplaces:\n"
        "  alpha: {label: Alpha}\n"
        "  beta: {label: Beta, enabled: false}\n"
        "  gamma: {label: Gamma}\n"
        "vars:\n"
        "  greeting: Hello\n"
    ),
    "templates/install.xml.j2": (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<modification>\n"
        "  <name>[= ext.name|xml_text =]</name>\n"
        "  <code>[= ext.code =]</code>\n"
        "  <version>[= ext.version =]</version>\n"
        "  <author>[= ext.author|xml_text =]</author>\n"
        "  <link>[= ext.link|xml_text =]</link>\n"
        "</modification>\n"
    ),
    "templates/upload/admin/controller/extension/module/[= ext.code =].php.j2": (
        "<?php\n"
        "class ControllerExtensionModule[= ext.code|camel =] extends Controller {\n"
        "    public function index() {\n"
        "        $greeting = [= vars.greeting|php_str =];\n"
        "        return '{{ twig }} {% if x %}';\n"
        "    }\n"
        "}\n"
    ),
    "templates/upload/admin/view/template/extension/module/demo.twig": "{{ header }}{% if a %}{{ a }}{% endif %}\n",
    "templates/upload/system/library/demo/__marketplace__.php.j2": "<?php\n// [= marketplace.label =]\n[% include 'body.j2' %]\n",
    "templates/_partials/body.j2": "$code = [= marketplace.code|php_str =];\n",
    "sql/install.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}demo` (`id` int NOT NULL, `v` varchar(8) DEFAULT ';') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n",
    "sql/uninstall.sql": "DROP TABLE IF EXISTS `{DB_PREFIX}demo`;\n",
}
