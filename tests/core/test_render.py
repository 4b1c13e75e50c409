"""Rendering: delimiters, filters, per-marketplace and conditional files, errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write_tree
from ocmod_forge.api import load_project
from ocmod_forge.errors import RenderError
from ocmod_forge.render import camel, cdata, php_sql, php_str, render_project, sql_ident, to_json, xml_text


def test_mini_project_renders(mini_project: Path) -> None:
    rendered = render_project(load_project(mini_project / "ocmod-forge.yaml"))
    tree = rendered.tree
    assert list(tree) == [
        "install.xml",
        "upload/admin/controller/extension/module/demo_ext.php",
        "upload/admin/view/template/extension/module/demo.twig",
        "upload/system/library/demo/alpha.php",
        "upload/system/library/demo/gamma.php",
    ]
    php = tree.text("upload/admin/controller/extension/module/demo_ext.php")
    assert "class ControllerExtensionModuleDemoExt extends Controller" in php
    assert "$greeting = 'Hello';" in php
    assert "'{{ twig }} {% if x %}'" in php  # Twig passes through untouched
    assert tree.text("upload/system/library/demo/alpha.php") == "<?php\n// Alpha\n$code = 'alpha';\n"
    assert "<name>Demo Extension</name>" in tree.text("install.xml")
    assert list(rendered.sql_files) and "demo" in next(iter(rendered.sql_files.values()))


def test_non_j2_files_are_copied_byte_for_byte(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n[= not rendered =]\xff"
    write_tree(tmp_path, {"ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n", "templates/upload/image/catalog/a.png": data})
    assert render_project(load_project(tmp_path / "ocmod-forge.yaml")).tree["upload/image/catalog/a.png"].data == data


def test_conditional_file_dropped_when_a_segment_renders_empty(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\nvars: {extra: false}\n",
            "templates/upload/[% if vars.extra %]extra[% endif %]/x.txt": "x",
            "templates/upload/kept/[% if not vars.extra %]y.txt[% endif %]": "y",
            "templates/.hidden": "never output",
        },
    )
    assert list(render_project(load_project(tmp_path / "ocmod-forge.yaml")).tree) == ["upload/kept/y.txt"]


@pytest.mark.parametrize("segment", ["..", "a/b", ".", "a\\\\b"])
def test_nothing_rendered_outside_the_package_root(tmp_path: Path, segment: str) -> None:
    project = f"extension: {{name: A, code: a, version: '1'}}\nvars: {{seg: \"{segment}\"}}\n"
    write_tree(tmp_path, {"ocmod-forge.yaml": project, "templates/upload/[= vars.seg =]/x.txt": "x"})
    with pytest.raises(RenderError, match="would leave the package root"):
        render_project(load_project(tmp_path / "ocmod-forge.yaml"))


@pytest.mark.parametrize(
    "files, message, where",
    [
        ({"templates/a.txt.j2": "ok\n[= missing =]\n"}, "undefined variable: 'missing' is undefined", "templates/a.txt.j2:2"),
        ({"templates/a.txt.j2": "x\n\n[% if %]\n"}, "template syntax error", "templates/a.txt.j2:3"),
        ({"templates/a.txt.j2": "[% include 'nope.j2' %]"}, "included template 'nope.j2' not found", "templates/a.txt.j2"),
        ({"templates/a.txt.j2": "[% include 'p.j2' %]", "templates/_partials/p.j2": "\n[= ext.nope =]"}, "has no attribute 'nope'", "templates/_partials/p.j2:2"),
        ({"templates/a.txt.j2": "[% include 'p.j2' %]", "templates/_partials/p.j2": "[% include 'p.j2' %]"}, "recursion", "templates/a.txt.j2"),
        ({"templates/a.txt.j2": b"\xff\xfe"}, "not valid UTF-8", "templates/a.txt.j2:1"),
    ],
)
def test_render_errors_name_template_and_line(tmp_path: Path, files: dict, message: str, where: str) -> None:
    write_tree(tmp_path, {"ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n", **files})
    with pytest.raises(RenderError) as info:
        render_project(load_project(tmp_path / "ocmod-forge.yaml"))
    assert message in str(info.value)
    assert where in str(info.value)


def test_missing_template_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n"})
    with pytest.raises(RenderError, match="template folder not found"):
        render_project(load_project(tmp_path / "ocmod-forge.yaml"))


def test_two_templates_rendering_to_one_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n", "templates/x.txt": "1", "templates/x.txt.j2": "2"})
    with pytest.raises(RenderError, match="also renders to"):
        render_project(load_project(tmp_path / "ocmod-forge.yaml"))


def test_filters() -> None:
    assert php_str("it's a \\ test") == "'it\\'s a \\\\ test'"
    assert php_sql("CREATE TABLE `{DB_PREFIX}x` (a int)") == "'CREATE TABLE `' . DB_PREFIX . 'x` (a int)'"
    assert php_sql("{DB_PREFIX}") == "DB_PREFIX"
    assert xml_text("A & <B> \"c\" 'd'") == "A &amp; &lt;B&gt; &quot;c&quot; &apos;d&apos;"
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
    assert sql_ident("we`ird") == "`we``ird`"
    assert camel("my_dash") == "MyDash" and camel("pttavm") == "Pttavm"
    assert to_json({"a": "</script>"}) == '{"a": "\\u003c/script\\u003e"}'


def test_php_str_round_trips_through_php(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("php") is None:
        pytest.skip("php not installed")
    value = "a'b\\c\\\\d\n\"$x{y}"
    script = tmp_path / "s.php"
    script.write_text(f"<?php echo {php_str(value)};", encoding="utf-8")
    assert subprocess.run(["php", str(script)], capture_output=True, text=True, check=True).stdout == value


@pytest.mark.parametrize("include", ["@project//etc/hostname", "@project/../../outside.txt", "@project/../../../../../../etc/passwd"])
def test_includes_never_leave_the_project_folder(tmp_path: Path, include: str) -> None:
    project = tmp_path / "p"
    write_tree(tmp_path, {"outside.txt": "secret\n"})
    write_tree(project, {
        "ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n",
        "templates/upload/x.txt.j2": "line 1\n[% include '" + include + "' %]\n",
    })
    with pytest.raises(RenderError) as info:
        render_project(load_project(project / "ocmod-forge.yaml"))
    assert "is outside the project and template folders" in str(info.value)
    assert info.value.path is not None and info.value.path.endswith("x.txt.j2") and info.value.line == 2


def test_includes_may_reach_the_project_folder_above_the_templates(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n",
        "LICENSE.txt": "MIT\n",
        "templates/upload/x.txt.j2": "[% include '@project/../LICENSE.txt' %]",
    })
    assert render_project(load_project(tmp_path / "ocmod-forge.yaml")).tree.text("upload/x.txt") == "MIT\n"


def test_missing_project_include_names_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n", "templates/upload/x.txt.j2": "a\nb\n[% include '@project/nope.txt' %]\n"})
    with pytest.raises(RenderError, match=r"x.txt.j2:3: included template '@project/nope.txt' not found in the project folder"):
        render_project(load_project(tmp_path / "ocmod-forge.yaml"))


@pytest.mark.parametrize("expression, suggestion", [("ext.nmae", "'name'"), ("marketplace_list", "'marketplaces'"), ("ext.verison", "'version'")])
def test_jinja_typos_get_a_did_you_mean(tmp_path: Path, expression: str, suggestion: str) -> None:
    write_tree(tmp_path, {"ocmod-forge.yaml": "extension: {name: A, code: a, version: '1'}\n", "templates/upload/x.txt.j2": f"a\n[= {expression} =]\n"})
    with pytest.raises(RenderError, match=rf"x.txt.j2:2: undefined variable: .*\(did you mean {suggestion}\?\)"):
        render_project(load_project(tmp_path / "ocmod-forge.yaml"))
