"""Checks that need php say so when it is missing: skipped (never passed), or an approximation
named in the message; and with php present, the exact answer comes from PHP itself."""

from __future__ import annotations

import shutil

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.rules import man, php, twg
from ocmod_forge.tree import PackageFile, PackageTree

XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<modification>\n  <name>X</name>\n  <code>x</code>\n'
    '  <file path="admin/controller/common/header.php">\n    <operation>\n'
    '      <search regex="true"><![CDATA[{pattern}]]></search>\n      <add><![CDATA[y]]></add>\n'
    "    </operation>\n  </file>\n</modification>\n"
)


def _ctx(files: dict[str, str]) -> LintInput:
    return LintInput(tree=PackageTree(files={k: PackageFile(v.encode("utf-8")) for k, v in files.items()}))


@pytest.fixture
def no_php(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (man, php, twg):
        monkeypatch.setattr(module.shutil, "which", lambda name: None)


def test_php_lint_and_twig_parse_are_skipped_not_passed(no_php: None) -> None:
    ctx = _ctx({"upload/system/library/x.php": "<?php\n$a = ;\n", "upload/admin/view/template/extension/module/x.twig": "{{ a|nosuchfilter }}"})
    report = lint(ctx, select=["PHP001", "TWG002"])
    assert report.diagnostics == ()
    assert {s.code for s in report.skipped} == {"PHP001", "TWG002"}
    assert "2 skipped checks" in report.summary()


def test_regex_check_names_its_approximation_without_php(no_php: None) -> None:
    report = lint(_ctx({"install.xml": XML.format(pattern="foo(bar")}), select=["MAN014"])
    (d,) = report.diagnostics
    assert d.line == 7 and "Python approximation" in d.message


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
@pytest.mark.parametrize(
    "pattern, valid",
    [
        ("/a(?|b|c)/", True),  # PCRE branch reset: Python's re has no such group, PHP accepts it
        ("/\\h+/", True),
        ("~\\x{1F600}~u", True),
        ("/a(?R)?b/", True),
        ("~a~e", False),  # /e is gone since PHP 7
        ("/(a/", False),
        ("foo", False),
    ],
)
def test_regex_check_uses_php_when_present(pattern: str, valid: bool) -> None:
    report = lint(_ctx({"install.xml": XML.format(pattern=pattern)}), select=["MAN014"])
    assert (len(report.diagnostics) == 0) is valid, report.diagnostics
    for d in report.diagnostics:
        assert d.message.startswith("PHP rejects the pattern (")
