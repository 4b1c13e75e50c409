"""`ocmod-forge validate` and `ocmod-forge rules` from the command line: exit codes 0/1/2,
--fail-on, --select/--ignore by code, prefix and name (also from the project file), every
--format, --output, and checks reported as skipped when php is missing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from helpers import write_tree
from ocmod_forge.cli import main
from ocmod_forge.rules import RULES, php, twg

XML = '<?xml version="1.0" encoding="utf-8"?>\n<modification>\n  <name>Demo</name>\n  <code>vendor_demo</code>\n</modification>\n'
CLEAN = {
    "install.xml": XML,
    "upload/admin/language/en-gb/extension/module/demo.php": "<?php\n$_['heading_title'] = 'Demo';\n",
}
# One warning only: PTH003 (a file under system/config/ is never removed on uninstall).
WARNING_ONLY = {**CLEAN, "upload/system/config/demo.php": "<?php\n$_['demo_limit'] = 10;\n"}
# One error: error: PTH001 (outside the installer's allowed folders).
WITH_ERROR = {**CLEAN, "upload/admin/view/template/common/header.twig": "<header></header>\n"}


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); click 8.2+ keeps the two streams apart."""
    result = runner.invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tree(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(files: dict[str, str], name: str = "pkg") -> str:
        return str(write_tree(tmp_path / name, files))

    return make


def test_clean_package_exits_0_with_a_summary_line(runner: CliRunner, tree) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(runner, "validate", tree(CLEAN), "--format", "text")
    assert code == 0
    assert out.splitlines()[-1].startswith("0 problems (0 errors, 0 warnings, ")


def test_warning_passes_unless_fail_on_warning(runner: CliRunner, tree) -> None:  # type: ignore[no-untyped-def]
    path = tree(WARNING_ONLY)
    code, out, _ = run(runner, "validate", path, "--format", "text")
    assert code == 0 and "upload/system/config/demo.php: warning: PTH003" in out
    code, _, _ = run(runner, "validate", path, "--format", "text", "--fail-on", "warning")
    assert code == 1


def test_error_exits_1(runner: CliRunner, tree) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(runner, "validate", tree(WITH_ERROR), "--format", "text")
    assert code == 1 and "upload/admin/view/template/common/header.twig: error: PTH001 " in out and "[destination-not-allowed]" in out


@pytest.mark.parametrize("selector", ["PTH003", "PTH", "pth00", "system-config-never-removed", "MAN004,PTH003"])
def test_select_by_code_prefix_or_name(runner: CliRunner, tree, selector: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(runner, "validate", tree(WITH_ERROR | WARNING_ONLY), "--select", selector, "--fail-on", "warning", "--format", "json")
    codes = {d["code"] for d in json.loads(out)["diagnostics"]}
    assert code == 1
    assert "PTH003" in codes and codes <= {"PTH001", "PTH003"}
    assert ("PTH001" in codes) == (selector.upper() in ("PTH", "PTH00"))


@pytest.mark.parametrize("selector", ["PTH001", "PTH", "destination-not-allowed"])
def test_ignore_by_code_prefix_or_name_lists_ignored_rules(runner: CliRunner, tree, selector: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(runner, "validate", tree(WITH_ERROR), "--ignore", selector, "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert all(d["code"] != "PTH001" for d in document["diagnostics"])
    assert document["summary"]["ignored_rules"] >= 1 and "PTH001" in document["ignored"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selector_is_a_usage_error(runner: CliRunner, tree, option: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(runner, "validate", tree(CLEAN), option, "NOPE999")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'NOPE999' matches no rule" in err


def test_missing_path_and_bad_options_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, "validate", str(tmp_path / "missing"))[0] == 2
    assert run(runner, "validate", str(tmp_path), "--format", "xml")[0] == 2
    assert run(runner, "validate", str(tmp_path), "--fail-on", "fatal")[0] == 2


def test_unreadable_zip_is_a_finding_not_a_crash(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "x.ocmod.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = run(runner, "validate", str(bad), "--format", "text")
    assert code == 2 and "PKG101" in out and "Traceback" not in out + err  # unreadable input: exit 2, as the README says


def test_zip_named_wrong_gets_pkg001(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "demo.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in CLEAN.items():
            zf.writestr(name, text)
    code, out, _ = run(runner, "validate", str(path), "--format", "text")
    assert code == 1 and "demo.zip: error: PKG001 " in out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_format_parses_and_output_file(runner: CliRunner, tree, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / f"report.{fmt}"
    code, out, err = run(runner, "validate", tree(WITH_ERROR), "--format", fmt, "--output", str(target))
    assert code == 1 and out == ""
    assert "1 problem" in err  # the summary still reaches the terminal
    text = target.read_text(encoding="utf-8")
    if fmt in ("json", "sarif"):
        document = json.loads(text)
        assert document.get("schema_version") == 2 or document.get("version") == "2.1.0"
    elif fmt == "junit":
        assert ET.fromstring(text.encode("utf-8")).find("testsuite/testcase/failure") is not None
    elif fmt == "github":
        assert text.startswith("::error file=upload/admin/view/template/common/header.twig,title=PTH001 destination-not-allowed::")
    else:
        assert "PTH001" in text and text.splitlines()[-1].startswith("1 problem")


def test_format_auto_is_github_under_actions(runner: CliRunner, tree) -> None:  # type: ignore[no-untyped-def]
    path = tree(WITH_ERROR)
    _, out, _ = run(runner, "validate", path, env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::error file=")
    _, out, _ = run(runner, "validate", path, env={"GITHUB_ACTIONS": ""})
    assert out.startswith("upload/admin/view/template/common/header.twig: error: PTH001")


def test_project_file_ignore_and_fail_on(runner: CliRunner, mini_project: Path) -> None:
    # A warning in the rendered package: an empty language file (TPL002).
    empty = mini_project / "templates" / "upload" / "admin" / "language" / "en-gb" / "extension" / "module" / "empty.php"
    empty.parent.mkdir(parents=True)
    empty.write_text("", encoding="utf-8")
    project_file = mini_project / "ocmod-forge.yaml"
    base = project_file.read_text(encoding="utf-8")
    assert run(runner, "validate", str(mini_project), "--format", "text")[0] == 0
    project_file.write_text(base + "lint:\n  fail_on: warning\n", encoding="utf-8")
    assert run(runner, "validate", str(mini_project), "--format", "text")[0] == 1
    project_file.write_text(base + "lint:\n  fail_on: warning\n  ignore: [empty-file]\n", encoding="utf-8")
    code, out, _ = run(runner, "validate", str(mini_project), "--format", "text")
    assert code == 0 and "1 rule ignored" in out


def test_missing_php_is_reported_as_skipped(runner: CliRunner, tree, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(php.shutil, "which", lambda name: None)
    monkeypatch.setattr(twg.shutil, "which", lambda name: None)
    files = {**CLEAN, "upload/admin/view/template/extension/module/demo.twig": "{{ heading_title }}\n"}
    code, out, _ = run(runner, "validate", tree(files), "--format", "text")
    assert code == 0
    assert "skipped: PHP001 php-syntax-error: php is not on PATH" in out
    assert "3 skipped checks (anchors not checked)" in out.splitlines()[-1]  # php, Twig, and no OpenCart release
    code, out, _ = run(runner, "validate", tree(files, "again"), "--format", "json")
    assert {s["code"] for s in json.loads(out)["skipped"]} == {"PHP001", "TWG002", "ANC"}


def test_rules_lists_and_explains(runner: CliRunner) -> None:
    code, out, _ = run(runner, "rules")
    from ocmod_forge.tryout.codes import TRY_RULES

    entries = [line for line in out.splitlines() if not line.startswith(" ")]
    assert code == 0 and len(entries) == len(RULES) + len(TRY_RULES)  # one entry per rule, `try`'s codes too
    assert entries[-1].startswith("TRY") and run(runner, "rules", "TRY030")[0] == 0
    code, out, _ = run(runner, "rules", "sec001")
    assert code == 0 and out.startswith("SEC001 tls-verification-disabled (error;") and "Fail:" in out
    code, out, _ = run(runner, "rules", "wrapper-folder")
    assert code == 0 and out.startswith("PKG002 wrapper-folder")
    code, _, err = run(runner, "rules", "XYZ001")
    assert code == 2 and "no rule" in err
