#!/usr/bin/env python3
# ruff: noqa: E501  (generated file contents are written out as one-line strings)
"""Generate minimal OpenCart 4 packages, each planting one defect from opencart4-facts §4.

All content is written here (our own test data). Output: broken/<case>/<zip name> and broken/expected.json.
Deterministic: fixed timestamps, sorted entries (except where entry order is the point of the case).
Usage: python3 make_broken.py [outdir]   (default: the directory of this script)
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import zipfile

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
T402 = ["4.0.2.3", "4.1.0.4"]


def camel(code: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in code.split("_"))


def install_json(name: str) -> bytes:
    return (json.dumps({"name": name, "version": "1.0.0", "author": "ocmod-forge tests",
                        "link": "https://example.invalid/"}, indent=2) + "\n").encode()


def controller(code: str, sep: str = ".", ns: str | None = None, cls: str | None = None, extra: str = "") -> bytes:
    ns = ns or f"Opencart\\Admin\\Controller\\Extension\\{camel(code)}\\Module"
    cls = cls or camel(code)
    route = f"extension/{code}/module/{code}"
    return f"""<?php
namespace {ns};
class {cls} extends \\Opencart\\System\\Engine\\Controller {{
	public function index(): void {{
		$this->load->language('{route}');
		$data['save'] = $this->url->link('{route}{sep}save', 'user_token=' . $this->session->data['user_token']);
		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');
		$this->response->setOutput($this->load->view('{route}', $data));
	}}

	public function save(): void {{
		$this->load->language('{route}');
		$json = [];
		if (!$this->user->hasPermission('modify', '{route}')) {{
			$json['error'] = $this->language->get('error_permission');
		}}
		if (!$json) {{
			$this->load->model('setting/setting');
			$this->model_setting_setting->editSetting('module_{code}', $this->request->post);
			$json['success'] = $this->language->get('text_success');
		}}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}}
{extra}}}
""".encode()


def language(title: str) -> bytes:
    return f"""<?php
$_['heading_title']    = '{title}';
$_['text_success']     = 'Saved.';
$_['error_permission'] = 'No permission.';
""".encode()


def view(code: str, body: str = "") -> bytes:
    body = body or f"""<form id="form-{code}" action="{{{{ save }}}}" method="post" data-oc-toggle="ajax">
        <input type="hidden" name="module_{code}_status" value="0"/>
        <input type="checkbox" name="module_{code}_status" value="1" class="form-check-input"/>
        <button type="submit" class="btn btn-primary">{{{{ button_save }}}}</button>
      </form>"""
    return f"""{{{{ header }}}}{{{{ column_left }}}}
<div id="content">
  <div class="container-fluid">
    <div class="card">
      <div class="card-body">
      {body}
      </div>
    </div>
  </div>
</div>
{{{{ footer }}}}
""".encode()


def module(code: str, sep: str = ".", **kw: object) -> dict[str, bytes]:
    return {
        "install.json": install_json(f"Forge test {code}"),
        f"admin/controller/module/{code}.php": controller(code, sep, **kw),  # type: ignore[arg-type]
        f"admin/language/en-gb/module/{code}.php": language(f"Forge {code}"),
        f"admin/view/template/module/{code}.twig": view(code),
    }


def ocmod(name: str, files: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<modification>
  <name>{name}</name>
  <version>1.0.0</version>
  <author>ocmod-forge tests</author>
  <link>https://example.invalid/</link>
{files}</modification>
""".encode()


def ex(rid: str, sev: str, where: str, reason: str, applies: list[str] | None = None) -> dict:
    d = {"id": rid, "severity": sev, "where": where, "reason": reason}
    if applies:
        d["applies_to"] = applies
    return d


CASES: list[dict] = []


def case(cid: str, zipname: str, files: dict[str, bytes] | list[tuple[str, bytes]], targets: list[str],
         expected: list[dict], must_not: list[str] | None = None, note: str = "") -> None:
    CASES.append({"case": cid, "zip": zipname, "files": files, "targets": targets, "expected": expected,
                  "must_not": must_not or ["any finding not listed in expected"], "note": note})


# 0. control: a clean package must give no findings
case("clean", "forge_clean.ocmod.zip", module("forge_clean"), T402, [], note="control: validates clean")

# Z1 / Z2: archive names
case("z1_suffix_case", "forge_suffix.OCMOD.ZIP", module("forge_suffix"), T402,
     [ex("Z1", "E", "(file name)", "suffix must be exactly '.ocmod.zip' (substr(-10) is case-sensitive)")])
case("z2_versioned_name", "forge_ver_v1.2.ocmod.zip", module("forge_ver_v1.2"), T402,
     [ex("Z2", "E", "(file name)", "code 'forge_ver_v1.2' contains '.': it is the method separator in routes, and the namespace segment 'ForgeVerV1.2' is invalid")],
     must_not=["C1 may accompany Z2 (the namespace cannot be right); anything else"])
case("z2_double_underscore", "forge__dup.ocmod.zip", module("forge__dup"), T402,
     [ex("Z2", "E", "(file name)", "'__' in the code: forge__dup and forge_dup map to the same namespace segment ForgeDup")])

# Z3
case("z3_traversal", "forge_slip.ocmod.zip",
     {**module("forge_slip"), "../forge_slip_evil.php": b"<?php // planted traversal entry\n"}, T402,
     [ex("Z3", "E", "../forge_slip_evil.php", "'..' entry: written outside extension/ on <=4.1.0.3, skipped on 4.1.0.4")])
case("z3_duplicate", "forge_dupentry.ocmod.zip",
     [*module("forge_dupentry").items(),
      ("admin/controller/module/forge_dupentry.php", b"<?php // second entry with the same name\n")], T402,
     [ex("Z3", "E", "admin/controller/module/forge_dupentry.php", "duplicate entry name: only the first one in central-directory order is extracted")])
case("z3_absolute", "forge_abs.ocmod.zip",
     {**module("forge_abs"), "/forge_abs_readme.txt": b"absolute entry\n"}, T402,
     [ex("Z3", "E", "/forge_abs_readme.txt", "absolute entry name")])

# Z4
m = module("forge_bom")
m["install.json"] = b"\xef\xbb\xbf" + m["install.json"]
case("z4_bom", "forge_bom.ocmod.zip", m, T402,
     [ex("Z4", "E", "install.json:1", "UTF-8 BOM: json_decode returns NULL -> 'Could not find install.json!'")])
m = module("forge_comma")
m["install.json"] = b'{\n  "name": "Forge comma",\n  "version": "1.0.0",\n  "author": "ocmod-forge tests",\n  "link": "https://example.invalid/",\n}\n'
case("z4_trailing_comma", "forge_comma.ocmod.zip", m, T402,
     [ex("Z4", "E", "install.json:{line:example.invalid/\",}", "trailing comma: json_decode returns NULL")])
m = module("forge_list")
m["install.json"] = b"[]\n"
case("z4_empty_array", "forge_list.ocmod.zip", m, T402,
     [ex("Z4", "E", "install.json:1", "'[]' decodes to an empty (falsy) array -> 'Could not find install.json!'")])
m = module("forge_noinstall")
del m["install.json"]
case("z4_missing", "forge_noinstall.ocmod.zip", m, T402,
     [ex("Z4", "E", "install.json", "no install.json at the zip root")])

# Z5 (4.0.1.0-4.0.2.3 only)
m = module("forge_noauthor")
m["install.json"] = b'{\n  "name": "Forge no author",\n  "version": "1.0.0",\n  "link": "https://example.invalid/"\n}\n'
case("z5_missing_author", "forge_noauthor.ocmod.zip", m, T402,
     [ex("Z5", "E", "install.json", "'author' missing: 4.0.1.0-4.0.2.3 require name, version, author, link", ["4.0.2.3"])],
     must_not=["Z5 for target 4.1.0.4 (all keys optional there)", "anything else"])

# Z6
m = module("forge_html")
m["install.json"] = install_json('<b onmouseover="alert(1)">Forge html</b>')
case("z6_html_name", "forge_html.ocmod.zip", m, T402,
     [ex("Z6", "W", "install.json", "HTML in name: stored raw by upload() and rendered with autoescape off")])

# Z7
m = module("forge_extrakey")
m["install.json"] = b'{\n  "name": "Forge extra key",\n  "code": "something_else",\n  "version": "1.0.0",\n  "author": "ocmod-forge tests",\n  "link": "https://example.invalid/"\n}\n'
case("z7_code_key", "forge_extrakey.ocmod.zip", m, T402,
     [ex("Z7", "I", "install.json:{line:\"code\"}", "'code' in install.json is ignored: the code is the file name")])

# Z8
case("z8_upload_folder", "forge_upload.ocmod.zip",
     {"install.json": install_json("Forge upload"),
      **{"upload/" + k: v for k, v in module("forge_upload").items() if k != "install.json"}}, T402,
     [ex("Z8", "E", "upload/", "3.0 layout: installs to extension/forge_upload/upload/admin/... where nothing loads it")])
case("z8_wrapper_folder", "forge_wrap.ocmod.zip",
     {"install.json": install_json("Forge wrap"),
      **{"forge_wrap/" + k: v for k, v in module("forge_wrap").items() if k != "install.json"}}, T402,
     [ex("Z8", "E", "forge_wrap/", "wrapper folder around admin/: installs to extension/forge_wrap/forge_wrap/admin/...")])

# Z9
case("z9_junk", "forge_junk.ocmod.zip",
     {**module("forge_junk"), ".DS_Store": b"\x00\x00\x00\x01Bud1", "__MACOSX/._install.json": b"\x00\x05\x16\x07"}, T402,
     [ex("Z9", "W", ".DS_Store", "dot file copied into extension/forge_junk/ (web-served)"),
      ex("Z9", "W", "__MACOSX/", "macOS resource folder copied into extension/forge_junk/")])

# Z11
case("z11_storage_vendor", "forge_vendor.ocmod.zip",
     {**module("forge_vendor"),
      "system/storage/vendor/forgetest/util/composer.json": b'{"name": "forgetest/util", "autoload": {"psr-4": {"Forgetest\\\\Util\\\\": "src/"}}}\n',
      "system/storage/vendor/forgetest/util/src/Greeter.php": b"<?php\nnamespace Forgetest\\Util;\nclass Greeter {\n}\n"},
     ["4.1.0.3", "4.1.0.4"],
     [ex("Z11", "W", "system/storage/vendor/forgetest/util/composer.json", "4.1.0.4 has no vendor step: the library is not autoloaded", ["4.1.0.4"])],
     must_not=["Z11 for 4.1.0.3 (oc_generate_vendor() still runs there)", "anything else"])

# C1
case("c1_namespace_mismatch", "forge_ns.ocmod.zip",
     module("forge_ns", ns="Opencart\\Admin\\Controller\\Extension\\ForgeOther\\Module"), T402,
     [ex("C1", "E", "admin/controller/module/forge_ns.php:{line:namespace}", "namespace segment ForgeOther but the code forge_ns registers ForgeNs")])
m = module("forge_seg")
m["admin/controller/module/forge_seg_tab2.php"] = controller("forge_seg_tab2", ns="Opencart\\Admin\\Controller\\Extension\\ForgeSeg\\Module", cls="ForgeSegTab2").replace(b"extension/forge_seg_tab2/", b"extension/forge_seg/")
m["admin/language/en-gb/module/forge_seg_tab2.php"] = language("Forge seg tab2")
m["admin/view/template/module/forge_seg_tab2.twig"] = view("forge_seg_tab2")
case("c1_segment_roundtrip", "forge_seg.ocmod.zip", m, T402,
     [ex("C1", "E", "admin/controller/module/forge_seg_tab2.php", "file segment forge_seg_tab2 -> class ForgeSegTab2 -> autoloader file forge_seg_tab_2.php: not found")])

# C2
m = module("forge_libold")
m["system/library/forge_helper.php"] = b"<?php\nnamespace Opencart\\System\\Extension\\ForgeLibold;\nclass ForgeHelper {\n}\n"
case("c2_library_namespace_40", "forge_libold.ocmod.zip", m, T402,
     [ex("C2", "E", "system/library/forge_helper.php:{line:namespace}", "4.0.0.0-style namespace Opencart\\System\\Extension\\...; 4.0.1.0+ autoload Opencart\\System\\Library\\Extension\\ForgeLibold from system/library/")])

# C3 / C4
m = module("forge_legacy")
m["admin/controller/extension/module/forge_legacy.php"] = b"<?php\nclass ControllerExtensionModuleForgeLegacy extends Controller {\n\tpublic function index() {\n\t}\n}\n"
case("c4_legacy_30_controller", "forge_legacy.ocmod.zip", m, T402,
     [ex("C4", "E", "admin/controller/extension/module/forge_legacy.php", "3.0 path admin/controller/extension/<type>/"),
      ex("C3", "E", "admin/controller/extension/module/forge_legacy.php:{line:class }", "3.0 global class name ControllerExtensionModuleForgeLegacy extending global Controller")],
     must_not=["C1 may also be reported for the same file (no namespace); anything else"])

# C5
m = module("forge_nolang")
del m["admin/language/en-gb/module/forge_nolang.php"]
case("c5_missing_language", "forge_nolang.ocmod.zip", m, T402,
     [ex("C5", "W", "admin/controller/module/forge_nolang.php", "no admin/language/en-gb/module/forge_nolang.php: Extensions > Modules shows 'forge_nolang_heading_title'")])

# C7
case("c7_catalog_only", "forge_catonly.ocmod.zip",
     {"install.json": install_json("Forge catalog only"),
      "catalog/controller/module/forge_catonly.php": b"<?php\nnamespace Opencart\\Catalog\\Controller\\Extension\\ForgeCatonly\\Module;\nclass ForgeCatonly extends \\Opencart\\System\\Engine\\Controller {\n\tpublic function index(): string {\n\t\treturn '';\n\t}\n}\n"},
     T402,
     [ex("C7", "W", "catalog/", "catalog code but no installable admin type controller: catalog registers only packages with an oc_extension row")])

# C8
m = module("forge_route")
m["admin/controller/module/forge_route.php"] = m["admin/controller/module/forge_route.php"].replace(
    b"$this->load->language('extension/forge_route/module/forge_route');\n\t\t$data['save']",
    b"$this->load->language('extension/module/forge_route');\n\t\t$data['save']", 1)
case("c8_route_without_code", "forge_route.ocmod.zip", m, T402,
     [ex("C8", "W", "admin/controller/module/forge_route.php:{line:extension/module/forge_route}", "load->language('extension/module/forge_route') misses the package code: resolves to a 'module' package")])

# R1 (4.0.0.0-4.0.1.1 use '|')
case("r1_dot_on_4011", "forge_dot.ocmod.zip", module("forge_dot", sep="."), ["4.0.1.1"],
     [ex("R1", "E", "admin/controller/module/forge_dot.php:{line:.save}", "'.save' in a route: 4.0.0.0-4.0.1.1 sanitisers strip '.', so the save URL calls a non-existent method")])

# R2 (event action with '|')
events = """
	public function install(): void {
		$this->load->model('setting/event');
		$this->model_setting_event->addEvent([
			'code'        => 'forge_pipe',
			'description' => 'Forge pipe test',
			'trigger'     => 'catalog/view/common/header/before',
			'action'      => 'extension/forge_pipe/module/forge_pipe|onHeader',
			'status'      => 1,
			'sort_order'  => 0
		]);
	}
"""
case("r2_pipe_event_action", "forge_pipe.ocmod.zip", module("forge_pipe", extra=events), T402,
     [ex("R2", "E", "admin/controller/module/forge_pipe.php:{line:|onHeader}", "event action with '|': built with new Action(), class '...ForgePipe|onHeader' never found on 4.0.2.0+, the event silently never runs")])

# W1 control: '|' in a startup action is tolerated (startup/startup.php runs it through load->controller)
startup = """
	public function install(): void {
		$this->load->model('setting/startup');
		$this->model_setting_startup->addStartup([
			'code'        => 'forge_pipestart',
			'description' => 'Forge startup test',
			'action'      => 'catalog/extension/forge_pipestart/startup/forge_pipestart|boot',
			'status'      => 1,
			'sort_order'  => 0
		]);
	}
"""
m = module("forge_pipestart", extra=startup)
m["catalog/controller/startup/forge_pipestart.php"] = b"<?php\nnamespace Opencart\\Catalog\\Controller\\Extension\\ForgePipestart\\Startup;\nclass ForgePipestart extends \\Opencart\\System\\Engine\\Controller {\n\tpublic function boot(): void {\n\t}\n}\n"
case("r2_control_pipe_startup", "forge_pipestart.ocmod.zip", m, T402,
     [ex("R2", "W", "admin/controller/module/forge_pipestart.php:{line:|boot}", "at most a warning: startup actions run through load->controller(), which converts '|' to '.' on 4.0.2.0+ (fact-check W1)")],
     must_not=["R2 with severity E for the startup action", "anything else"],
     note="documents the correction W1: only oc_event actions are dead with '|'")

# R3 positional addEvent
positional = """
	public function install(): void {
		$this->load->model('setting/event');
		$this->model_setting_event->addEvent('forge_posargs', 'Forge positional', 'catalog/view/common/header/before', 'extension/forge_posargs/module/forge_posargs.onHeader');
	}
"""
case("r3_positional_addevent", "forge_posargs.ocmod.zip", module("forge_posargs", extra=positional), T402,
     [ex("R3", "E", "admin/controller/module/forge_posargs.php:{line:addEvent(}", "positional addEvent(): 4.0.1.0+ take one array -> TypeError")])

# R4 4.0 model trigger on 4.1
trig = """
	public function install(): void {
		$this->load->model('setting/event');
		$this->model_setting_event->addEvent([
			'code'        => 'forge_trigger',
			'description' => 'Forge trigger test',
			'trigger'     => 'catalog/model/checkout/order/addHistory/after',
			'action'      => 'extension/forge_trigger/module/forge_trigger.onHistory',
			'status'      => 1,
			'sort_order'  => 0
		]);
	}
"""
case("r4_model_trigger_40_form", "forge_trigger.ocmod.zip", module("forge_trigger", extra=trig), ["4.1.0.4"],
     [ex("R4", "E", "admin/controller/module/forge_trigger.php:{line:addHistory/after}", "4.0-form model trigger; 4.1 fires 'catalog/model/checkout/order.addHistory/after', so the event never runs")])

# R6
m = module("forge_page")
m["admin/controller/tool/forge_page.php"] = b"<?php\nnamespace Opencart\\Admin\\Controller\\Extension\\ForgePage\\Tool;\nclass ForgePage extends \\Opencart\\System\\Engine\\Controller {\n\tpublic function index(): void {\n\t\t$this->response->setOutput('ok');\n\t}\n}\n"
case("r6_page_outside_type", "forge_page.ocmod.zip", m, T402,
     [ex("R6", "W", "admin/controller/tool/forge_page.php", "admin page outside the type directories: needs a manual 'access' permission in User Groups")])

# T1
m = module("forge_bsthree")
m["admin/view/template/module/forge_bsthree.twig"] = view("forge_bsthree", '<div class="panel panel-default"><div class="panel-body"><a class="btn btn-default">x</a></div></div>')
case("t1_bootstrap3", "forge_bsthree.ocmod.zip", m, T402,
     [ex("T1", "W", "admin/view/template/module/forge_bsthree.twig:{line:panel-default}", "Bootstrap 3 classes (panel, panel-default, panel-body, btn-default) in a Bootstrap 5 admin")])
m = module("forge_fa", sep="|")
m["admin/view/template/module/forge_fa.twig"] = view("forge_fa", '<i class="fa-solid fa-save"></i>')
case("t1_fa_solid_on_4000", "forge_fa.ocmod.zip", m, ["4.0.0.0"],
     [ex("T1", "W", "admin/view/template/module/forge_fa.twig:{line:fa-solid}", "fa-solid does not exist in Font Awesome 5.15.4 shipped by 4.0.0.0")],
     must_not=["T1 if the target were 4.0.1.0+", "anything else"])

# O-rules (4.1)
def o_pkg(code: str, xml: bytes, path: str | None = None) -> dict[str, bytes]:
    m = module(code)
    m[path or f"ocmod/{code}.ocmod.xml"] = xml
    return m


twig_ok = """  <file path="admin/view/template/common/header.twig">
    <operation>
      <search><![CDATA[<title>{{ title }}</title>]]></search>
      <add position="after"><![CDATA[  <meta name="forge" content="1"/>]]></add>
    </operation>
  </file>
"""
case("o1_ocmod_on_40", "forge_ocmodold.ocmod.zip", o_pkg("forge_ocmodold", ocmod("Forge ocmod on 4.0", twig_ok)), ["4.0.2.3"],
     [ex("O1", "E", "ocmod/forge_ocmodold.ocmod.xml", "4.0.x has no OCMOD: the file is just copied into extension/forge_ocmodold/ocmod/")])
case("o2_root_ocmod_xml", "forge_rootxml.ocmod.zip", o_pkg("forge_rootxml", ocmod("Forge root xml", twig_ok), "forge_rootxml.ocmod.xml"), ["4.1.0.4"],
     [ex("O2", "E", "forge_rootxml.ocmod.xml", "OCMOD XML at the zip root is never registered (xml() reads ocmod/*.ocmod.xml only)"),
      ex("Z9", "W", "forge_rootxml.ocmod.xml", "root entry copied into extension/forge_rootxml/")])
case("o4_malformed_xml", "forge_badxml.ocmod.zip",
     o_pkg("forge_badxml", ocmod("Forge bad xml", twig_ok.replace("</operation>", "</operaton>", 1))), ["4.1.0.4"],
     [ex("O4", "E", "ocmod/forge_badxml.ocmod.xml:{line:</operaton>}", "not well-formed: xml() still stores the row (warnings only) and Refresh later fails on it")])
case("o4_operation_without_search", "forge_nosearch.ocmod.zip",
     o_pkg("forge_nosearch", ocmod("Forge no search", twig_ok.replace("      <search><![CDATA[<title>{{ title }}</title>]]></search>\n", ""))), ["4.1.0.4"],
     [ex("O4", "E", "ocmod/forge_nosearch.ocmod.xml:{line:<operation>}", "<operation> without <search>: method call on null, Refresh dies with maintenance mode left on")])
case("o5_30_path", "forge_oldpath.ocmod.zip",
     o_pkg("forge_oldpath", ocmod("Forge old path", twig_ok.replace("admin/view/template/common/header.twig", "catalog/view/theme/default/template/common/header.twig"))), ["4.1.0.4"],
     [ex("O5", "E", "ocmod/forge_oldpath.ocmod.xml:{line:<file path}", "3.0 path catalog/view/theme/<theme>/template/...: no such file in 4.x")],
     must_not=["O6 for the same <file> may be reported as well (glob matches nothing); anything else"])
case("o6_search_not_found", "forge_miss.ocmod.zip",
     o_pkg("forge_miss", ocmod("Forge miss", twig_ok.replace("<title>{{ title }}</title>", "<title>{{ heading }}</title>"))), ["4.1.0.4"],
     [ex("O6", "E", "ocmod/forge_miss.ocmod.xml:{line:<search>}", "search text matches 0 lines of admin/view/template/common/header.twig in 4.1.0.4")])
php_nons = """  <file path="admin/controller/common/header.php">
    <operation>
      <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
      <add position="after"><![CDATA[		$data['title'] .= ' | forge';]]></add>
    </operation>
  </file>
"""
case("o7_php_without_namespace_rewrite", "forge_nons.ocmod.zip", o_pkg("forge_nons", ocmod("Forge no namespace", php_nons)), ["4.1.0.4"],
     [ex("O7", "E", "ocmod/forge_nons.ocmod.xml:{line:<file path}", "PHP target without an operation rewriting 'namespace Opencart\\Admin\\Controller\\Common;' to the ...\\Extension\\Ocmod\\Common form")])
lang_target = """  <file path="admin/language/en-gb/common/header.php">
    <operation>
      <search><![CDATA[$_['text_logout']]]></search>
      <add position="after"><![CDATA[$_['text_forge'] = 'Forge';]]></add>
    </operation>
  </file>
"""
case("o8_language_target", "forge_langmod.ocmod.zip", o_pkg("forge_langmod", ocmod("Forge language target", lang_target)), ["4.1.0.4"],
     [ex("O8", "W", "ocmod/forge_langmod.ocmod.xml:{line:<file path}", "language files are never read from the OCMOD cache in 4.1 (language/*/before points at a method that does not exist)")],
     must_not=["O7 (a language file declares no namespace/class)", "anything else"])
case("o2_generic_code", "forge_generic.ocmod.zip", o_pkg("forge_generic", ocmod("Forge generic name", twig_ok), "ocmod/header.ocmod.xml"), ["4.1.0.4"],
     [ex("O2", "W", "ocmod/header.ocmod.xml", "modification code 'header' (file name) is not vendor-prefixed: another package's header.ocmod.xml makes this one skipped silently"),
      ex("O9", "I", "ocmod/header.ocmod.xml", "installed disabled: enable + Refresh")],
     note="O9 info is expected for every 4.1 package with a registered modification")


def resolve(where: str, files: dict[str, bytes]) -> str:
    """Turn 'path:{line:needle}' into 'path:N' (first line containing needle)."""
    if ":{line:" not in where:
        return where
    path, rest = where.split(":{line:", 1)
    needle = rest[:-1]
    for i, line in enumerate(files[path].decode().split("\n"), 1):
        if needle in line:
            return f"{path}:{i}"
    raise ValueError(f"needle {needle!r} not in {path}")


def write(c: dict) -> dict:
    d = os.path.join(OUT, c["case"])
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    p = os.path.join(d, c["zip"])
    items = list(c["files"].items()) if isinstance(c["files"], dict) else list(c["files"])
    if isinstance(c["files"], dict):
        items.sort()
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        import warnings
        warnings.simplefilter("ignore")
        for name, data in items:
            zi = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o100644 << 16
            z.writestr(zi, data)
    fdict = dict(items)
    for x in c["expected"]:
        x["where"] = resolve(x["where"], fdict)
    return {"case": c["case"], "zip": f"{c['case']}/{c['zip']}", "sha256": hashlib.sha256(open(p, "rb").read()).hexdigest(),
            "targets": c["targets"], "expected": c["expected"], "must_not": c["must_not"], **({"note": c["note"]} if c["note"] else {})}


def main() -> None:
    out = [write(c) for c in CASES]
    # the O9 info applies to every 4.1 case with a registered ocmod/ file; list it explicitly
    for o in out:
        if any(t.startswith("4.1") for t in o["targets"]) and o["case"].startswith("o") and o["case"] not in ("o2_root_ocmod_xml", "o1_ocmod_on_40", "o2_generic_code"):
            name = o["zip"].split("/")[1].replace(".ocmod.zip", "")
            o["expected"].append({"id": "O9", "severity": "I", "where": f"ocmod/{name}.ocmod.xml", "reason": "installed disabled: enable + Refresh"})
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"about": "Our own minimal packages, one planted §4 defect each (plus the clean control and the W1 control). "
                            "'where' = entry in the zip[:line]; 'applies_to' limits a finding to some of the case's targets.",
                   "cases": out}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(len(out), "cases")


if __name__ == "__main__":
    main()
