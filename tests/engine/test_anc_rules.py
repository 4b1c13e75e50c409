"""ANC rules against small synthetic OpenCart trees, preview, and conflicts with --with."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from helpers import REPO, write_tree
from ocmod_forge.cli import main

COLUMN_LEFT = "<nav id=\"column-left\">\n  <div id=\"profile\">{{ firstname }}</div>\n  <ul id=\"menu\">\n  </ul>\n</nav>\n"
PRODUCT_FORM = (
    "<ul class=\"nav nav-tabs\">\n  <li><a href=\"#tab-general\">{{ tab_general }}</a></li>\n</ul>\n"
    "<div class=\"tab-content\">\n  <ul class=\"nav nav-tabs\" id=\"language\"></ul>\n  <div class=\"tab-content\">x</div>\n"
    "  <div class=\"tab-content\">y</div>\n</div>\n"
)
ORDER_INFO = "<div class=\"panel-body\">a</div>\n<div class=\"panel-body\">b</div>\n<td>{{ date_added }}</td>\n"


def store(tmp_path: Path) -> Path:
    root = tmp_path / "oc" / "upload"
    write_tree(
        root,
        {
            "admin/index.php": "<?php\ndefine('VERSION', '3.0.3.8');\n",
            "admin/view/template/common/column_left.twig": COLUMN_LEFT,
            "admin/view/template/catalog/product_form.twig": PRODUCT_FORM,
            "admin/view/template/sale/order_info.twig": ORDER_INFO,
            "system/startup.php": "<?php\n",
            "catalog/view/theme/default/template/common/header.twig": "<header>\n",
        },
    )
    return tmp_path / "oc"


# The install.xml of the project's original design document (shared/seed/meschain-ocmod-guide.md,
# its only ```xml block), kept in the repository so this test runs everywhere, CI included.
DESIGN_XML = REPO / "tests" / "data" / "design-document-install.xml"


def seed_package(tmp_path: Path) -> Path:
    """The original design document's install.xml, as a package folder."""
    return write_tree(tmp_path / "seedpkg", {"install.xml": DESIGN_XML.read_text(encoding="utf-8")})


def test_the_kept_copy_is_the_design_documents_xml() -> None:
    seed = REPO.parent / "shared" / "seed" / "meschain-ocmod-guide.md"
    if seed.is_file():  # beside the checkout (developers): the copy must not drift from the seed
        xml = re.search(r"```xml\n(.*?)```", seed.read_text(encoding="utf-8"), re.S)
        assert xml is not None and xml.group(1) == DESIGN_XML.read_text(encoding="utf-8")
    assert "<code>meschain_sync_enterprise</code>" in DESIGN_XML.read_text(encoding="utf-8")


def test_design_document_anchors_are_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(seed_package(tmp_path)), "--opencart", str(store(tmp_path)), "--select", "ANC"])
    assert result.exit_code == 1, result.output
    out = result.output
    assert re.search(r"install.xml:16:\d+: error: ANC001 search not found in admin/view/template/common/column_left.twig \(OpenCart 3.0.3.8", out)
    assert re.search(r"install.xml:\d+:\d+: warning: ANC002 search matches 3 lines of admin/view/template/catalog/product_form.twig .*lines 4, 6, 7", out)
    assert re.search(r"install.xml:\d+:\d+: warning: ANC002 search matches 2 lines of admin/view/template/sale/order_info.twig .*lines 1, 2", out)


def _package(tmp_path: Path, name: str, code: str, ops: str, path: str = "admin/view/template/sale/order_info.twig") -> Path:
    xml = f'<modification><name>{name}</name><code>{code}</code><file path="{path}">{ops}</file></modification>'
    return write_tree(tmp_path / name, {"install.xml": xml})


def test_index_missing_path_case_only_and_fatal(tmp_path: Path) -> None:
    oc = store(tmp_path)
    pkg = _package(
        tmp_path,
        "p",
        "p",
        '<operation><search>DATE_ADDED</search><add position="replace">y</add></operation>'
        '<operation><search index="2">panel-body</search><add position="after">x</add></operation>',
        "admin/view/template/sale/order_info.twig|admin/view/template/nope.twig",
    )
    out = CliRunner().invoke(main, ["validate", str(pkg), "--opencart", str(oc), "--select", "ANC"]).output
    assert "ANC003 index 2 out of range: the search matches 2 line(s)" in out
    assert "ANC004 path part 'admin/view/template/nope.twig' matches no file" in out
    assert "ANC005 replace matched admin/view/template/sale/order_info.twig line(s) 3 only by case" in out
    fatal = _package(tmp_path, "f", "f", '<operation><search>date_added</search><add position="after" offset="two">x</add></operation>')
    out = CliRunner().invoke(main, ["validate", str(fatal), "--opencart", str(oc), "--select", "ANC"]).output
    assert "ANC011 Refresh dies with a fatal error" in out


def test_conflicts_with_other_modifications(tmp_path: Path) -> None:
    oc = store(tmp_path)
    ours = _package(tmp_path, "zeta", "shared_code", '<operation><search>{{ date_added }}</search><add position="after">ours</add></operation>')
    other = _package(tmp_path, "alpha", "shared_code", '<operation><search>{{ date_added }}</search><add position="replace">{{ date_modified }}</add></operation>')
    out = CliRunner().invoke(main, ["validate", str(ours), "--opencart", str(oc), "--with", str(other / "install.xml"), "--select", "ANC"]).output
    assert "ANC013 the anchor exists in the original admin/view/template/sale/order_info.twig but another modification applied earlier removed it" in out
    assert "ANC014 <code> 'shared_code' is also used by" in out
    both = _package(tmp_path, "omega", "omega", '<operation><search>panel-body">a</search><add position="after">two</add></operation>')
    first = _package(tmp_path, "beta", "beta", '<operation><search>panel-body">a</search><add position="before">one</add></operation>')
    out = CliRunner().invoke(main, ["validate", str(both), "--opencart", str(oc), "--with", str(first / "install.xml"), "--select", "ANC"]).output
    assert "ANC012" in out and "also changed by 'beta'" in out


def test_abort_cancels_later_modifications(tmp_path: Path) -> None:
    oc = store(tmp_path)
    ours = _package(tmp_path, "aaa", "aaa", '<operation error="abort"><search>not there</search><add>x</add></operation>')
    later = _package(tmp_path, "zzz", "zzz", '<operation><search>date_added</search><add position="after">x</add></operation>')
    out = CliRunner().invoke(main, ["validate", str(ours), "--opencart", str(oc), "--with", str(later / "install.xml"), "--select", "ANC"]).output
    assert "ANC010 abort in admin/view/template/sale/order_info.twig cancels every later modification (OpenCart 3.0.3.8): zzz" in out


def test_preview_diff_and_out(tmp_path: Path) -> None:
    oc = store(tmp_path)
    pkg = _package(tmp_path, "p", "p", '<operation><search>{{ date_added }}</search><add position="after"><![CDATA[<td>x</td>]]></add></operation>')
    result = CliRunner().invoke(main, ["preview", str(pkg), "--opencart", str(oc)])
    assert result.exit_code == 0, result.output
    assert "+++ b/system/storage/modification/admin/view/template/sale/order_info.twig" in result.stdout
    assert "+<td>x</td>" in result.stdout
    out = tmp_path / "cache"
    assert CliRunner().invoke(main, ["preview", str(pkg), "--opencart", str(oc), "--out", str(out), "--no-diff"]).exit_code == 0
    assert (out / "admin/view/template/sale/order_info.twig").read_text() == ORDER_INFO.replace("{{ date_added }}</td>\n", "{{ date_added }}</td>\n<td>x</td>\n")
    assert re.match(r"\d{4}-\d\d-\d\d \d{1,2}:\d\d:\d\d - MOD: p\n", (out / "ocmod.log").read_text())


def test_release_zip_as_tree(tmp_path: Path) -> None:
    import zipfile

    oc = store(tmp_path)
    release = tmp_path / "opencart-3.0.3.8.zip"
    with zipfile.ZipFile(release, "w") as zf:
        for file in sorted((oc / "upload").rglob("*")):
            if file.is_file():
                zf.write(file, "opencart-3.0.3.8/upload/" + file.relative_to(oc / "upload").as_posix())
    pkg = _package(tmp_path, "p", "p", '<operation><search>nothing like this</search><add>x</add></operation>')
    out = CliRunner().invoke(main, ["validate", str(pkg), "--opencart", str(release), "--select", "ANC"]).output
    assert "ANC001 search not found in admin/view/template/sale/order_info.twig (OpenCart 3.0.3.8" in out


def test_bad_opencart_path_is_exit_2(tmp_path: Path) -> None:
    pkg = _package(tmp_path, "p", "p", "")
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["validate", str(pkg), "--opencart", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "not an OpenCart tree" in result.output


def test_matrix_lists_lines_per_version(tmp_path: Path) -> None:
    first = store(tmp_path / "a")
    second = store(tmp_path / "b")
    (second / "upload" / "admin" / "index.php").write_text("<?php\ndefine('VERSION', '3.0.5.1');\n")
    (second / "upload" / "admin/view/template/sale/order_info.twig").write_text("x\n" + ORDER_INFO)
    pkg = _package(tmp_path, "p", "p", '<operation><search>{{ date_added }}</search><add position="after">x</add></operation><operation error="skip"><search>absent</search><add>y</add></operation>')
    result = CliRunner().invoke(main, ["matrix", str(pkg), "--opencart", str(first), "--opencart", str(second)])
    assert result.exit_code == 1  # one operation matches nothing
    lines = result.stdout.splitlines()
    assert lines[0].split()[-2:] == ["3.0.3.8", "3.0.5.1"]
    assert lines[1].split()[-2:] == ["3", "4"] and lines[2].split()[-2:] == ["-", "-"]


def test_anc_selected_without_opencart_is_reported_skipped_not_passed() -> None:
    from ocmod_forge.context import LintInput
    from ocmod_forge.lint import lint
    from ocmod_forge.rules import RULES
    from ocmod_forge.tree import PackageFile, PackageTree

    xml = b'<modification><name>x</name><code>x</code><file path="admin/controller/common/header.php"><operation><search>zzz</search><add><![CDATA[y]]></add></operation></file></modification>'
    ctx = LintInput(tree=PackageTree(files={"install.xml": PackageFile(xml)}))
    report = lint(ctx, select=["ANC"])
    needing = {c for c, r in RULES.items() if c.startswith("ANC") and (r.needs_opencart or r.needs_with)}
    assert not report.diagnostics and {s.code for s in report.skipped} == needing
    assert all("--opencart" in s.reason or "--with" in s.reason for s in report.skipped)
    assert {"ANC008", "ANC009"} <= {c for c in RULES if c.startswith("ANC")} - needing  # they judge paths alone: they ran
    assert not [s for s in lint(LintInput(tree=ctx.tree)).skipped if s.code.startswith("ANC")]  # default run: nothing claimed


def test_operation_not_emulated(tmp_path: Path) -> None:
    """ANC015: a PCRE construct the engine does not emulate (\\K) is reported, not guessed;
    the same intent written with a group is simulated and not reported."""
    oc = store(tmp_path)
    keep = _package(tmp_path, "k", "k", '<operation><search regex="true"><![CDATA[~panel-body">\\Ka~]]></search><add><![CDATA[b]]></add></operation>')
    out = CliRunner().invoke(main, ["validate", str(keep), "--opencart", str(oc), "--select", "ANC"]).output
    assert re.search(r"install.xml:\d+:\d+: (warning: )?ANC015 cannot simulate this operation on admin/view/template/sale/order_info.twig exactly \(OpenCart 3.0.3.8\): \\K", out), out
    assert "ANC001" not in out  # unknown is not "not found"
    group = _package(tmp_path, "g", "g", '<operation><search regex="true"><![CDATA[~(panel-body">)a~]]></search><add><![CDATA[${1}b]]></add></operation>')
    out = CliRunner().invoke(main, ["validate", str(group), "--opencart", str(oc), "--select", "ANC"]).output
    assert "ANC015" not in out and "ANC001" not in out, out
