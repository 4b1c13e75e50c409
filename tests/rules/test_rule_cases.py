"""Truth tables: for every rule, packages that must trigger it (at the given place) and packages
that must not. The registry test checks that every rule has both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.rules import RULES
from ocmod_forge.sql import split_sql  # noqa: F401  (SQL rules read project SQL through Context.sql)
from ocmod_forge.tree import PackageFile, PackageTree

XML = '<?xml version="1.0" encoding="utf-8"?>\n<modification>\n  <name>X</name>\n  <code>vendor_x</code>\n{body}</modification>\n'
CTRL = "upload/admin/controller/extension/module/x.php"
GOOD_CTRL = (
    "<?php\nclass ControllerExtensionModuleX extends Controller {\n"
    "\tpublic function index() {\n"
    "\t\tif ($this->request->server['REQUEST_METHOD'] == 'POST' && $this->user->hasPermission('modify', 'extension/module/x')) {\n"
    "\t\t\t$this->db->query(\"UPDATE `\" . DB_PREFIX . \"x` SET a = '\" . (int)$this->request->post['a'] . \"'\");\n"
    "\t\t}\n"
    "\t\t$data['back'] = $this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'], true);\n"
    "\t}\n}\n"
)


def op(body: str, path: str = "admin/view/template/common/header.twig", attrs: str = "") -> str:
    return XML.format(body=f'  <file path="{path}">\n    <operation{attrs}>\n{body}\n    </operation>\n  </file>\n')


def pkg(**files: str | bytes) -> dict[str, str | bytes]:
    base: dict[str, str | bytes] = {"install.xml": XML.format(body=""), CTRL: GOOD_CTRL}
    base.update({k.replace("__", "/"): v for k, v in files.items()})
    return {k: v for k, v in base.items() if v is not None}


S = '      <search><![CDATA[<ul id="menu">]]></search>\n      <add position="after"><![CDATA[<li>x</li>]]></add>'

# (code, files, extra context, expected [(path, line)]) — line None means "any line".
CASES: list[tuple[str, dict[str, str | bytes], dict[str, object], list[tuple[str, int | None]]]] = [
    ("PKG001", pkg(), {"package_name": "x.zip"}, [("x.zip", None)]),
    ("PKG001", pkg(), {"package_name": "x.ocmod.zip"}, []),
    ("PKG002", {"w/install.xml": XML.format(body=""), "w/upload/admin/language/en-gb/extension/module/x.php": "<?php\n"}, {}, [("w/install.xml", None)]),
    ("PKG002", pkg(), {}, []),
    ("PKG003", {"admin/controller/x.php": "<?php\n"}, {}, [("package", None)]),
    ("PKG003", pkg(), {}, []),
    ("PKG004", pkg(**{"install.sql": "SELECT 1;", "docs__readme.md": "x"}), {}, [("install.sql", None), ("docs/", None)]),
    ("PKG004", pkg(), {}, []),
    ("PTH001", pkg(**{"upload__admin__view__template__common__header.twig": "x"}), {}, [("upload/admin/view/template/common/header.twig", None)]),
    ("PTH001", pkg(**{"upload__admin__view__template__extension__module__x.twig": "x"}), {}, []),
    ("PTH002", pkg(**{"upload__admin__language__en-gb__en-gb.php": "<?php\n"}), {}, [("upload/admin/language/en-gb/en-gb.php", None)]),
    ("PTH002", pkg(), {}, []),
    ("PTH003", pkg(**{"upload__system__config__x.php": "<?php\n"}), {}, [("upload/system/config/x.php", None)]),
    ("PTH003", pkg(), {}, []),
    ("PTH004", pkg(**{"upload__system__library__x__.htaccess": "deny"}), {}, [("upload/system/library/x/.htaccess", None)]),
    ("PTH004", pkg(), {}, []),
    ("PTH005", pkg(**{"upload__image__catalog__[old]__a.png": b"png"}), {}, [("upload/image/catalog/[old]/a.png", None)]),
    ("PTH005", pkg(**{"upload__image__catalog__old__a.png": b"png"}), {}, []),
    ("PTH006", pkg(**{"upload__system__library__X.php": "<?php\n", "upload__system__library__x.php": "<?php\n"}), {}, [("upload/system/library/x.php", None)]),
    ("PTH006", pkg(**{"upload__system__library__x.php": "<?php\n"}), {}, []),
    ("MAN001", pkg(**{"install.xml": "<modification><name>A & B</name>\n"}), {}, [("install.xml", 1)]),
    ("MAN001", pkg(), {}, []),
    ("MAN002", pkg(**{"install.xml": '<!DOCTYPE m [<!ENTITY a "x">]><modification>&a;</modification>'}), {}, [("install.xml", 1)]),
    ("MAN002", pkg(), {}, []),
    ("MAN003", pkg(**{"install.xml": "<Modification><code>x</code><name>n</name></Modification>"}), {}, [("install.xml", 1)]),
    ("MAN003", pkg(), {}, []),
    ("MAN004", pkg(**{"install.xml": "<modification>\n<name>n</name>\n<code></code>\n</modification>"}), {}, [("install.xml", 3)]),
    ("MAN004", pkg(), {}, []),
    ("MAN005", pkg(**{"install.xml": "<modification><code>x</code></modification>"}), {}, [("install.xml", 1)]),
    ("MAN005", pkg(), {}, []),
    ("MAN006", pkg(**{"install.xml": "<modification><name>n</name>\n<code> x </code></modification>"}), {}, [("install.xml", 2)]),
    ("MAN006", pkg(), {}, []),
    ("MAN007", pkg(**{"install.xml": f"<modification><code>x</code>\n<name>{'n' * 65}</name></modification>"}), {}, [("install.xml", 2)]),
    ("MAN007", pkg(), {}, []),
    ("MAN008", pkg(**{"install.xml": op(S, "admin/a.twig | admin/b.twig")}), {}, [("install.xml", 5), ("install.xml", 5)]),
    ("MAN008", pkg(**{"install.xml": op(S)}), {}, []),
    ("MAN008", pkg(**{"install.xml": XML.format(body='  <file>\n    <operation>\n' + S + "\n    </operation>\n  </file>\n")}), {}, [("install.xml", 5)]),
    ("MAN008", pkg(**{"install.xml": XML.format(body='  <file name="catalog/x.php">\n    <operation>\n' + S + "\n    </operation>\n  </file>\n")}), {}, []),  # MAN011's
    ("MAN009", pkg(**{"install.xml": op('      <add position="after">x</add>')}), {}, [("install.xml", 6)]),
    ("MAN009", pkg(**{"install.xml": op(S)}), {}, []),
    ("MAN010", pkg(**{"install.xml": op('      <search>a</search>\n      <add position="bottom">x</add>')}), {}, [("install.xml", 8)]),
    ("MAN010", pkg(**{"install.xml": op(S)}), {}, []),
    ("MAN011", pkg(**{"install.xml": op('      <search position="after">a</search>\n      <add>x</add>')}), {}, [("install.xml", 7)]),
    ("MAN011", pkg(**{"install.xml": op(S)}), {}, []),
    ("MAN012", pkg(**{"install.xml": op('      <search index="1-2">a</search>\n      <add position="after" offset="two">x</add>', attrs=' error="ignore"')}), {}, [("install.xml", 6), ("install.xml", 7), ("install.xml", 8)]),
    ("MAN012", pkg(**{"install.xml": op('      <search index="0,2">a</search>\n      <add position="after" offset="-1">x</add>', attrs=' error="skip"')}), {}, []),
    ("MAN013", pkg(**{"install.xml": op('      <search><![CDATA[a\n b]]></search>\n      <add position="after">x</add>')}), {}, [("install.xml", 7)]),
    ("MAN013", pkg(**{"install.xml": op(S)}), {}, []),
    ("MAN014", pkg(**{"install.xml": op('      <search regex="true">foo(bar</search>\n      <add>x</add>')}), {}, [("install.xml", 7)]),
    ("MAN014", pkg(**{"install.xml": op('      <search regex="true"><![CDATA[~foo\\((\\w+)\\)~i]]></search>\n      <add>x</add>')}), {}, []),
    ("MAN015", pkg(**{"install.xml": op(S, attrs=' error="abort"')}), {}, [("install.xml", 6)]),
    ("MAN015", pkg(**{"install.xml": op(S, attrs=' error="skip"')}), {}, []),
    ("MAN016", pkg(**{"install.xml": op('      <search>a</search>\n      <add position="after">\n        x\n      </add>')}), {}, [("install.xml", 8)]),
    ("MAN016", pkg(**{"install.xml": op(S)}), {}, []),
    ("MAN011", pkg(**{"install.xml": XML.format(body='  <file name="catalog/controller/common/header.php">\n    <operation>\n' + S + "\n    </operation>\n  </file>\n")}), {}, [("install.xml", 5)]),
    ("MAN014", pkg(**{"install.xml": op('      <search regex="true"><![CDATA[~a~e]]></search>\n      <add>x</add>')}), {}, [("install.xml", 7)]),
    ("MAN014", pkg(**{"install.xml": op('      <search regex="true"><![CDATA[/(a/]]></search>\n      <add>x</add>')}), {}, [("install.xml", 7)]),
    ("MAN017", pkg(**{"install.xml": "<modification>\n<code>x</code>\n<name>MesChain \U0001F680 Sync</name>\n</modification>\n"}), {}, [("install.xml", 3)]),
    ("MAN017", pkg(**{"install.xml": "<modification>\n<code>x</code>\n<name>MesChain &#128640; Sync \u00e7\u011f\u20ac</name>\n</modification>\n"}), {}, []),
    ("PTH007", pkg(**{"upload/admin/controller/extension/module\\y.php": "<?php\n"}), {}, [("upload/admin/controller/extension/module\\y.php", None)]),
    ("PTH007", pkg(), {}, []),
    ("SQL001", pkg(), {"sql_files": {"sql/install.sql": "INSERT INTO t VALUES ('a;b);\n"}}, [("sql/install.sql", 1)]),
    ("SQL001", pkg(), {"sql_files": {"sql/install.sql": "INSERT INTO t VALUES ('a;b');\n"}}, []),
    ("SQL001", pkg(**{"SQL__install.sql": "SELECT 1;\nINSERT INTO t VALUES ('a;b);\n"}), {}, [("SQL/install.sql", 2)]),
    ("SQL002", pkg(), {"sql_files": {"sql/i.sql": "\nCREATE TABLE `{DB_PREFIX}x` (a int) ENGINE=InnoDB;\nDROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, [("sql/i.sql", 2)]),
    ("SQL002", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int);\nDROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, []),
    ("SQL003", pkg(), {"sql_files": {"sql/u.sql": "DROP TABLE `{DB_PREFIX}x`;"}}, [("sql/u.sql", 1)]),
    ("SQL003", pkg(), {"sql_files": {"sql/u.sql": "DROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, []),
    ("SQL004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\nclass ModelExtensionModuleX extends Model {\n function a() {\n  $this->db->query(\"SELECT * FROM oc_product\");\n }\n}\n"}), {}, [("upload/admin/model/extension/module/x.php", 4)]),
    ("SQL004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\nclass ModelExtensionModuleX extends Model {\n function a() {\n  $this->db->query(\"SELECT * FROM \" . DB_PREFIX . \"product\");\n }\n}\n"}), {}, []),
    ("SQL005", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int) ENGINE=MyISAM;\nDROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, [("sql/i.sql", 1)]),
    ("SQL005", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int) ENGINE=InnoDB;\nDROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, []),
    ("SQL006", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int) DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci;\nDROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, [("sql/i.sql", 1)]),
    ("SQL006", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int) DEFAULT CHARSET=utf8mb4;\nDROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, []),
    ("SQL007", pkg(), {"sql_files": {"sql/i.sql": "ALTER TABLE `{DB_PREFIX}product` ADD `x` int;"}}, [("sql/i.sql", 1)]),
    ("SQL007", pkg(), {"sql_files": {"sql/i.sql": "ALTER TABLE `{DB_PREFIX}meschain_x` ADD `x` int;"}}, []),
    ("SQL008", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int);"}}, [("sql/i.sql", 1)]),
    ("SQL008", pkg(), {"sql_files": {"sql/i.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (a int);", "sql/u.sql": "DROP TABLE IF EXISTS `{DB_PREFIX}x`;"}}, []),
    ("PHP002", pkg(**{"upload__system__library__x.php": "\n<?php\n"}), {}, [("upload/system/library/x.php", 1)]),
    ("PHP002", pkg(**{"upload__system__library__x.php": "<?php\n"}), {}, []),
    ("PHP002", pkg(**{"upload__system__library__x.php": ""}), {}, []),  # empty: warning: TPL002 says it once
    ("PHP003", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerModuleX extends Controller {}\n"}), {}, [(CTRL, 2)]),
    ("PHP003", pkg(), {}, []),
    ("PHP004", pkg(**{"upload__system__library__x.php": "<?php\n// str_contains() in a comment is fine\n$a = 'str_contains(';\nif (str_contains($a, 'b')) {}\n$b = $c?->d;\n"}), {}, [("upload/system/library/x.php", 4), ("upload/system/library/x.php", 5)]),
    ("PHP004", pkg(**{"upload__system__library__x.php": "<?php\nif (strpos($a, 'b') !== false) { $x = isset($y) ? $y : 1; }\n"}), {}, []),
    ("TWG001", pkg(**{"upload__admin__view__template__extension__module__x.twig": "{% for a in b %}\n{% if a %}\n{% endfor %}\n"}), {}, [("upload/admin/view/template/extension/module/x.twig", 3)]),
    ("TWG001", pkg(**{"upload__admin__view__template__extension__module__x.twig": "{% for a in b %}{% if a %}{{ a }}{% else %}-{% endif %}{% endfor %}{# c #}"}), {}, []),
    ("TWG001", pkg(**{"upload__admin__view__template__extension__module__x.twig": "{% verbatim %}{{ a {% if %}\n{% endverbatim %}\n{% set b %}x{% endset %}{% apply upper %}y{% endapply %}"}), {}, []),
    ("TWG001", pkg(**{"upload__admin__view__template__extension__module__x.twig": "<p>\n{{ a }\n</p>\n"}), {}, [("upload/admin/view/template/extension/module/x.twig", 2)]),
    ("TPL001", pkg(**{"upload__system__library__x.php": "<?php\necho '[= ext.version =]';\n"}), {}, [("upload/system/library/x.php", 2)]),
    ("TPL001", pkg(**{"upload__system__library__x.php": "<?php\n$a[0] = $b[$c];\n"}), {}, []),
    ("TPL002", pkg(**{"upload__system__library__x.php": ""}), {}, [("upload/system/library/x.php", None)]),
    ("TPL002", pkg(), {}, []),
    ("SEC001", pkg(**{"upload__system__library__x.php": "<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n"}), {}, [("upload/system/library/x.php", 2)]),
    ("SEC001", pkg(**{"upload__system__library__x.php": "<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);\ncurl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);\n"}), {}, []),
    ("SEC001", pkg(**{"upload__system__library__x.php": "<?php\ncurl_setopt_array($ch, array(\n    CURLOPT_SSL_VERIFYHOST => 0,\n));\n"}), {}, [("upload/system/library/x.php", 3)]),
    ("SEC001", pkg(**{"upload__system__library__x.php": "<?php\n// never: curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n$doc = 'CURLOPT_SSL_VERIFYPEER, false';\n"}), {}, []),
    ("SEC002", pkg(**{"upload__system__library__x.php": "<?php\neval(base64_decode($x));\n"}), {}, [("upload/system/library/x.php", 2)]),
    ("SEC002", pkg(**{"upload__system__library__x.php": "<?php\n$r = curl_exec($ch); // exec( in a comment\n"}), {}, []),
    ("SEC002", pkg(**{"upload__system__library__x.php": "<?php\n$a = 1;\n  Shell_Exec('ls');\n$b = `id`;\n"}), {}, [("upload/system/library/x.php", 3), ("upload/system/library/x.php", 4)]),
    ("SEC002", pkg(**{"upload__system__library__x.php": "<?php\n$this->system($a);\nFoo::exec();\n$q = 'ls `x`';\n$eval(1);\n"}), {}, []),
    ("SEC003", pkg(**{"upload__system__library__x.php": "<?php\n$id = $_GET['id'];\n"}), {}, [("upload/system/library/x.php", 2)]),
    ("SEC003", pkg(**{"upload__system__library__x.php": "<?php\n$id = (int)$this->request->get['id'];\n"}), {}, []),
    ("SEC004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\nclass ModelExtensionModuleX extends Model {\n function a() {\n  $this->db->query(\"SELECT * FROM \" . DB_PREFIX . \"x WHERE n = '\" . $this->request->get['n'] . \"'\");\n }\n}\n"}), {}, [("upload/admin/model/extension/module/x.php", 4)]),
    ("SEC004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\nclass ModelExtensionModuleX extends Model {\n function a() {\n  $this->db->query(\"SELECT * FROM \" . DB_PREFIX . \"x WHERE n = '\" . $this->db->escape($this->request->get['n']) . \"'\");\n }\n}\n"}), {}, []),
    ("SEC004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\n$this->db->query(\"SELECT * FROM x WHERE a = '\" . (int) $this->request->get['a'] . \"' AND b = \" . intval($this->request->post['b']));\n// $this->db->query(\"DELETE FROM x WHERE a = \" . $this->request->get['a']);\n"}), {}, []),
    ("SEC004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\n$this->db->query(\"UPDATE x SET a = 1 WHERE s = ');' AND\n  b = '\" . $this->request->post['b'] . \"'\");\n"}), {}, [("upload/admin/model/extension/module/x.php", 3)]),
    ("SEC004", pkg(**{"upload__admin__model__extension__module__x.php": "<?php\n$row = $this->db->query(\"SELECT * FROM x\")->row;\n$a = $this->request->post['a'];\nfoo($a);\n"}), {}, []),  # the call ends at its own ')'
    # PHP005: the MesChain Automation bug (an action named like a helper the base class calls).
    ("PHP005", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends \\X\\Base {\n public function index() { parent::index(); }\n\n public function token() {\n  $this->response->setOutput(\'new\');\n }\n}\n", "upload__system__library__x__base.php": "<?php\nnamespace X;\nabstract class Base extends \\Controller {\n protected function token() { return $this->session->data['user_token']; }\n protected function title() { return ''; }\n public function index() { $this->response->setOutput($this->title() . $this->token()); }\n}\n"}), {}, [(CTRL, 5)]),
    ("PHP005", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends \\X\\Base {\n public function regenerate() { $this->response->setOutput($this->token()); }\n protected function title() { return \'X\'; }\n}\n", "upload__system__library__x__base.php": "<?php\nnamespace X;\nabstract class Base extends \\Controller {\n protected function token() { return $this->session->data['user_token']; }\n protected function title() { return ''; }\n public function index() { $this->response->setOutput($this->title() . $this->token()); }\n}\n"}), {}, []),
    ("SEC005", pkg(**{"upload__catalog__view__theme__default__template__extension__x.twig": "<p>{{ q|raw }}</p>"}), {}, [("upload/catalog/view/theme/default/template/extension/x.twig", 1)]),
    ("SEC005", pkg(**{"upload__catalog__view__theme__default__template__extension__x.twig": "<p>{{ q }}</p>"}), {}, []),
    ("SEC006", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends Controller {\n function index() {\n  if ($this->request->server['REQUEST_METHOD'] == 'POST') { $this->model_setting_setting->editSetting('x', $this->request->post); }\n }\n}\n"}), {}, [(CTRL, 4)]),
    ("SEC006", pkg(), {}, []),
    # Per action: one guarded action does not cover another that saves POST data.
    ("SEC006", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends Controller {\n public function index() {\n  if ($this->request->server['REQUEST_METHOD'] == 'POST' && $this->validate()) { $this->model_setting_setting->editSetting('x', $this->request->post); }\n }\n public function save() {\n  $this->model_extension_x->edit($this->request->post['id']);\n }\n private function validate() {\n  return $this->user->hasPermission('modify', 'extension/module/x');\n }\n}\n"}), {}, [(CTRL, 7)]),
    # Guarded through a chain of $this->…() calls, and by a helper of a base class in system/library.
    ("SEC006", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends \\X\\Base {\n public function save() {\n  if (!$this->check()) { return; }\n  $this->model_extension_x->edit($this->request->post);\n }\n private function check() { return $this->mayChange(); }\n public function status() { if ($this->isPost()) { $this->response->setOutput('ok'); } }\n private function isPost() { return $this->request->server['REQUEST_METHOD'] === 'POST'; }\n public function push() { $this->client->post('https://x', $data); }\n}\n", "upload__system__library__x__base.php": "<?php\nnamespace X;\nclass Base extends \\Controller {\n protected function mayChange() { return $this->user->hasPermission('modify', 'extension/module/x'); }\n}\n"}), {}, []),
    # The class's own validate() decides, not a same-named method of another controller.
    ("SEC006", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends Controller {\n public function save() {\n  if ($this->validate()) { $this->model_extension_x->edit($this->request->post); }\n }\n private function validate() { return !empty($this->request->post['name']); }\n}\n", "upload__admin__controller__extension__module__y.php": "<?php\nclass ControllerExtensionModuleY extends Controller {\n private function validate() { return $this->user->hasPermission('modify', 'extension/module/y'); }\n}\n"}), {}, [(CTRL, 4)]),
    ("SEC007", pkg(**{CTRL.replace("/", "__"): "<?php\nclass ControllerExtensionModuleX extends Controller {\n function index() {\n  $a = $this->url->link('common/dashboard', '', true);\n }\n}\n"}), {}, [(CTRL, 4)]),
    ("SEC007", pkg(), {}, []),
]

# PHP004: constructs newer than PHP 7.3 (each on line 2), and look-alikes that are legal on 7.3.
NEWER_THAN_73 = [
    "$a = match ($b) { 1 => 2, default => 3 };",
    "function f(): int|string { return 1; }",
    "function f(mixed $a) {}",
    "function f($a = new B()) {}",
    "$f = strlen(...);",
    "function f(): never { exit; }",
    "class A { public static int $x = 1; }",
    "$f = fn($x) => $x;",
    "$a ??= 1;",
    "enum Suit { case Hearts; }",
    "class A { public function __construct(private $a) {} }",
    "f(name: 1);",
    "$x = 1_000;",
    "$v = $a ?? throw new Exception();",
    "#[Attribute]",
    "$f = function (int|string $a) { return $a; };",
    "abstract class A { abstract function f(?A|B $a); }",
    "$r = foo(1, name: $x);",
    "$total = 12_500 + $a;",
]
LEGAL_ON_73 = [
    "class A { public function match($a) { return 1; } }",
    "if ($r->match($x)) { }",
    "if (Router::match($x)) { echo 1; }",
    "try { f(); } catch (A | B $e) { }",
    "try { f(); } catch(A|B|C $e) { }",
    "$x->fn($a);",
    "if (!function_exists('str_contains')) { function str_contains($h, $n) { return strpos($h, $n) !== false; } }",
    "$x = $a ? foo($b) : FLAG_A | FLAG_B;",
    "f(...$args);",
    "f(A | B, $c);",
    "class A { public static $x = 1; private $y; }",
    "switch ($a) { case 'x': $b = $c ? 1 : 2; break; }",
    "$s = 'match ($b) { str_contains( ?-> fn( }';",
    "$var1_2 = $x1_000;",
    "$a = ($b ? 1 : 2);",
    "if ($a | $b) { $c = $d || $e; }",
]
LIB = "upload/system/library/x.php"
CASES += [("PHP004", pkg(**{LIB: "<?php\n" + code + "\n"}), {}, [(LIB, 2)]) for code in NEWER_THAN_73]
CASES += [("PHP004", pkg(**{LIB: "<?php\n" + code + "\n"}), {}, []) for code in LEGAL_ON_73]

if shutil.which("php"):
    CASES += [
        ("PHP001", pkg(**{"upload__system__library__x.php": "<?php\nclass A {\n function x() { return 1 }\n}\n"}), {}, [("upload/system/library/x.php", 3)]),
        ("PHP001", pkg(**{"upload__system__library__y.php": "<?php\nfunction a() {}\nfunction a() {}\n"}), {}, [("upload/system/library/y.php", 3)]),
        ("PHP001", pkg(), {}, []),
        ("TWG002", pkg(**{"upload__admin__view__template__extension__module__x.twig": "<p>\n{{ a|nosuchfilter }}</p>"}), {}, [("upload/admin/view/template/extension/module/x.twig", 2)]),
        ("TWG002", pkg(**{"upload__admin__view__template__extension__module__x.twig": "<p>{{ a|upper }}</p>"}), {}, []),
        ("TWG002", pkg(**{"upload__admin__view__template__extension__module__x.twig": "<p>\n\n{% spaceless %}<b>x</b>{% endspaceless %}</p>"}), {}, [("upload/admin/view/template/extension/module/x.twig", 3)]),  # gone in Twig 3 (OpenCart 3.0.3.9+)
        ("TWG002", pkg(**{"upload__admin__view__template__extension__module__x.twig": "{% apply spaceless %}<b>{{ a|default('') }}</b>{% endapply %}"}), {}, []),
    ]


def context(files: dict[str, str | bytes], extra: dict[str, object]) -> LintInput:
    tree = PackageTree(files={k: PackageFile(v.encode("utf-8") if isinstance(v, str) else v) for k, v in files.items()})
    return LintInput(tree=tree, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize("code, files, extra, expected", CASES, ids=[f"{c[0]}-{'fail' if c[3] else 'pass'}-{i}" for i, c in enumerate(CASES)])
def test_rule_case(code: str, files: dict[str, str | bytes], extra: dict[str, object], expected: list[tuple[str, int | None]]) -> None:
    report = lint(context(files, extra), select=[code])
    found = [(d.path, d.line) for d in report.diagnostics if d.code == code]
    assert len(found) == len(expected), [str(d) for d in report.diagnostics]
    for (path, line), (got_path, got_line) in zip(sorted(expected, key=lambda e: (e[0], e[1] or 0)), sorted(found), strict=False):
        assert got_path == path
        if line is not None:
            assert got_line == line


def test_every_rule_has_docs_and_cases() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))
    covered_fail = {c[0] for c in CASES if c[3]}
    covered_pass = {c[0] for c in CASES if not c[3]}
    # Rules with their own test modules: ANC (tests/engine), PKG1xx (tests/hostile), TWG003
    # (tests/rules/test_release_twig.py: it needs OpenCart trees), PHP006 (tests/php/test_php_versions.py),
    # and the OpenCart 4 rules: PKG2xx, JSN, NSP, EXT (tests/rules/test_oc4_rules.py), RTE, TWG1xx, OCM (test_oc4_code_*.py).
    elsewhere = {code for code in RULES if code.startswith(("ANC", "PKG1", "PKG2", "JSN", "NSP", "EXT", "RTE", "TWG1", "OCM"))} | {"TWG003", "PHP006"}
    if not shutil.which("php"):
        elsewhere |= {"PHP001", "TWG002"}
    for code, rule in RULES.items():
        assert rule.summary, code
        assert "Fail:" in rule.doc and "Pass:" in rule.doc, f"{code} docstring needs Fail:/Pass: examples"
        if code not in elsewhere:
            assert code in covered_fail, f"{code} has no failing case"
            assert code in covered_pass, f"{code} has no passing case"


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
def test_php_lint_message_names_the_earlier_line_not_a_temporary_file() -> None:
    """`php -l` says "previously declared in /tmp/…/f0.php:2": the message once stopped at the
    first " in " and the temporary path must never reach a finding (nor the verdict cache)."""
    files = {"upload/system/library/y.php": "<?php\nfunction a() {}\nfunction a() {}\n"}
    report = lint(context(files, {}), select=["PHP001"])
    messages = [d.message for d in report.diagnostics]
    assert messages == ["php -l: Cannot redeclare a() (previously declared on line 2)"], messages


# ANC006 with index: OpenCart counts re-matched inserted lines in $i, but inserts again only when
# that count is listed in index, so "the insertion repeats" was wrong there (found writing the
# rule's examples). Both cases still warn; the message says what happens.
_TABS = '<ul class="nav nav-tabs">\n  <li class="active"><a href="#tab-general" data-toggle="tab">{{ tab_general }}</a></li>\n  <li><a href="#tab-data" data-toggle="tab">{{ tab_data }}</a></li>\n</ul>\n'
_REPEATING = (
    '<modification><name>T</name><code>t</code><file path="admin/view/template/catalog/product_form.twig"><operation>'
    '<search{index}><![CDATA[data-toggle="tab">{{{{ tab_general }}}}]]></search>'
    '<add position="after" offset="1"><![CDATA[<li><a href="#tab-vendor" data-toggle="tab">{{{{ tab_general }}}} (Vendor)</a></li>]]></add>'
    "</operation></file></modification>"
)


@pytest.mark.parametrize("index, says", [("", "the insertion repeats"), (' index="0"', "inserted lines are counted as matches")])
def test_anc006_message_with_and_without_index(index: str, says: str, tmp_path: Path) -> None:
    from examples import write_opencart

    tree = write_opencart(tmp_path, "3.0.3.8", {"admin/view/template/catalog/product_form.twig": _TABS})
    files = {"install.xml": _REPEATING.format(index=index)}
    report = lint(LintInput(tree=context(files, {}).tree, opencart_paths=(tree,)), select=["ANC006"])
    assert [says in d.message for d in report.diagnostics] == [True], [d.message for d in report.diagnostics]


def test_every_newer_php_construct_has_its_php_73_form() -> None:
    from ocmod_forge.rules import php

    default = php.older_php("no such construct", "", "")
    for _pattern, label, kind, needles in php._NEWER:
        names = needles if kind == "function" else ("",)
        for name in names:
            assert php.older_php(label, "1_000", name) != default, label
