"""What a new user meets on the command line: one-line errors, options where they are typed,
help with examples, a readable rule list, honest exit codes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MINI_PROJECT, write_tree
from ocmod_forge.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["preview"],
        ["import"],
        ["init", "--template", "nope"],
        ["build", "-o"],
        ["validate", "--format", "xml"],
        ["nosuchcommand"],
        ["validate", "--nosuchoption"],
        ["matrix", "."],
    ],
    ids=lambda a: " ".join(a),
)
def test_usage_errors_are_one_line(args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("ocmod-forge: error: "), err


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_global_flags_work_after_the_command(tmp_path: Path, flag: str) -> None:
    project = write_tree(tmp_path / "p", MINI_PROJECT)
    code, out, _ = run("build", str(project), flag)
    assert code == 0 and "built " not in out and "sha256" not in out


def test_verbose_after_the_command_shows_hints(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", {**MINI_PROJECT, "templates/upload/system/config/x.php": "<?php\n"})
    assert run("validate", str(project), "--format", "text")[1].count("hint:") == 0
    _code, out, _ = run("validate", str(project), "--format", "text", "-v")
    assert "PTH003" in out  # the finding, and with -v its hint when the rule has one
    assert run("validate", str(project), "-q", "-v")[0] == 2  # --quiet and --verbose together: usage error


def test_ctrl_c_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ocmod_forge.api as api

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "open_source", interrupted)
    code, _out, err = run("validate", str(tmp_path))
    assert code == 130 and err.strip() == "ocmod-forge: interrupted"


def test_build_of_a_package_names_the_mistake(tmp_path: Path) -> None:
    package = tmp_path / "x.ocmod.zip"
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("install.xml", "<modification/>")
    code, _, err = run("build", str(package))
    assert code == 2 and "this is a package, not a project" in err and "validate" in err and "UTF-8" not in err


def test_bundled_example_is_announced_even_when_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run("-q", "build")
    assert code == 0 and "building the bundled MesChain-Sync Enterprise example" in err
    assert run("build", "--require-project")[0] == 2


def test_every_command_help_has_examples_and_the_command_list_is_not_cut() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "..." not in out.split("Commands:")[1]
    for command in ("build", "validate", "preview", "matrix", "rules", "init", "import", "cache"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Examples:" in out and f"ocmod-forge {command}" in out, command


def test_rules_list_is_whole_aligned_and_plain() -> None:
    code, out, _ = run("rules")
    lines = out.splitlines()
    assert code == 0 and "``" not in out
    import re

    heads = [re.match(r"([A-Z]{3}\d{3})  (\S+) +(error|warning|info)  ", line) for line in lines if line[:3].isupper() and line[3:6].isdigit()]
    assert heads and all(heads) and len({m.start(3) for m in heads if m}) == 1  # one severity column
    joined = " ".join(x.strip() for x in lines)
    assert "backticks, or base64_decode fed to eval." in joined  # SEC002's summary is not cut


def test_rules_did_you_mean_and_json() -> None:
    code, _, err = run("rules", "tls-verification")
    assert code == 2 and "did you mean 'tls-verification-disabled'?" in err
    records = json.loads(run("rules", "--format", "json")[1])
    assert {"code", "name", "severity", "targets", "needs_opencart", "needs_with", "summary", "doc"} <= set(records[0])
    assert any(r["code"] == "ANC001" and r["needs_opencart"] for r in records)


def test_twig_structure_findings_have_their_real_column(tmp_path: Path) -> None:
    write_tree(tmp_path / "pkg", {
        "install.xml": "<modification><name>x</name><code>vendor_x</code></modification>",
        "upload/admin/view/template/extension/module/x.twig": "<p>\n  <b>{% if a %}</b>\n</p>\n<i>{{ b }</i>\n",
    })
    out = run("validate", str(tmp_path / "pkg"), "--select", "TWG001", "--format", "text")[1]
    assert "x.twig:4:4: error: TWG001 '{{' is never closed" in out or "x.twig:2:6: error: TWG001" in out
