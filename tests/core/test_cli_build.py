"""`ocmod-forge build`: exit codes, messages, reproducibility, the bundled project."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import REPO, write_tree
from ocmod_forge.cli import main


def test_build_mini_project(runner: CliRunner, mini_project: Path) -> None:
    result = runner.invoke(main, ["build", str(mini_project)])
    assert result.exit_code == 0, result.output
    zip_path = mini_project / "dist" / "demo_ext-v1.2.0.ocmod.zip"
    assert "0 problems" in result.output
    assert f"built {os.path.relpath(zip_path)}" in result.output
    with zipfile.ZipFile(zip_path) as zf:
        roots = {name.split("/")[0] for name in zf.namelist()}
    assert roots == {"install.xml", "upload"}


def test_rebuild_is_byte_identical_despite_mtimes_and_umask(runner: CliRunner, mini_project: Path, tmp_path: Path) -> None:
    first = tmp_path / "one"
    second = tmp_path / "two"
    assert runner.invoke(main, ["build", str(mini_project), "-o", str(first)]).exit_code == 0
    for path in (mini_project / "templates").rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    old = os.umask(0o027)
    try:
        assert runner.invoke(main, ["build", str(mini_project), "-o", str(second)]).exit_code == 0
    finally:
        os.umask(old)
    name = "demo_ext-v1.2.0.ocmod.zip"
    assert (first / name).read_bytes() == (second / name).read_bytes()


def test_findings_exit_1_and_no_zip(runner: CliRunner, mini_project: Path) -> None:
    (mini_project / "templates" / "install.xml.j2").write_text("<modification><name>x</name>\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(mini_project)])
    assert result.exit_code == 1
    assert "templates/install.xml.j2:2:1: error: MAN001" in result.output and "(built: install.xml:2)" in result.output
    assert not (mini_project / "dist").exists()


def test_findings_keep_the_previous_zip(runner: CliRunner, mini_project: Path) -> None:
    assert runner.invoke(main, ["build", str(mini_project)]).exit_code == 0
    zip_path = mini_project / "dist" / "demo_ext-v1.2.0.ocmod.zip"
    before = zip_path.read_bytes()
    (mini_project / "sql" / "install.sql").write_text("INSERT INTO t VALUES ('a;b);\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(mini_project)])
    assert result.exit_code == 1
    assert "sql/install.sql:1:1: error: SQL001" in result.output.replace(str(mini_project) + "/", "")
    assert zip_path.read_bytes() == before


@pytest.mark.parametrize(
    "change, expected",
    [
        (("ocmod-forge.yaml", "extension: [\n"), "ocmod-forge.yaml:2: malformed YAML"),
        (("templates/upload/x.txt.j2", "a\n[= nope =]\n"), "x.txt.j2:2: undefined variable: 'nope' is undefined"),
        (("templates/upload/x.txt.j2", "[% for %]"), "x.txt.j2:1: template syntax error"),
    ],
)
def test_user_errors_are_one_line_exit_2(runner: CliRunner, mini_project: Path, change: tuple[str, str], expected: str) -> None:
    write_tree(mini_project, {change[0]: change[1]})
    result = runner.invoke(main, ["build", str(mini_project)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ocmod-forge: error: ") and expected in lines[0], result.output
    assert "Traceback" not in result.output


def test_unwritable_output_is_exit_2(runner: CliRunner, mini_project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = runner.invoke(main, ["build", str(mini_project), "-o", str(blocker / "sub")])
    assert result.exit_code == 2
    assert "ocmod-forge: error:" in result.output


def test_missing_project_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such file or folder" in result.output
    result = runner.invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2 and "no ocmod-forge.yaml in this folder" in result.output


def test_bundled_project_in_an_empty_folder(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "no ocmod-forge.yaml here; building the bundled MesChain-Sync Enterprise example" in result.stderr
    assert "GittiGidiyor (disabled)" in result.stderr
    assert (tmp_path / "dist" / "meschain-sync-enterprise-v3.1.1.ocmod.zip").is_file()
    assert (tmp_path / "dist" / "meschain-sync-enterprise-v3.1.1.ocmod.zip.sha256").is_file()


def test_unknown_selector_is_exit_2(runner: CliRunner, mini_project: Path) -> None:
    result = runner.invoke(main, ["build", str(mini_project), "--ignore", "NOPE999"])
    assert result.exit_code == 2 and "matches no rule" in result.output


def test_version_and_module_entry_point() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "ocmod_forge", "--version"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0 and out.stdout.startswith("ocmod-forge, version ")


def test_quiet_prints_nothing_on_a_clean_build(runner: CliRunner, mini_project: Path) -> None:
    result = runner.invoke(main, ["-q", "build", str(mini_project)])
    assert result.exit_code == 0 and result.output == ""


def test_quiet_still_prints_findings(runner: CliRunner, mini_project: Path) -> None:
    (mini_project / "templates" / "install.xml.j2").write_text("<modification><name>x</name>\n", encoding="utf-8")
    result = runner.invoke(main, ["-q", "build", str(mini_project)])
    assert result.exit_code == 1 and "MAN001" in result.output


def test_quiet_and_verbose_conflict(runner: CliRunner, mini_project: Path) -> None:
    assert runner.invoke(main, ["-q", "-v", "build", str(mini_project)]).exit_code == 2


def test_no_color_and_pipes_get_plain_text(mini_project: Path) -> None:
    import subprocess
    import sys

    (mini_project / "templates" / "install.xml.j2").write_text("<modification><name>x</name>\n", encoding="utf-8")
    env = dict(os.environ, NO_COLOR="1")
    out = subprocess.run([sys.executable, "-m", "ocmod_forge", "build", str(mini_project)], capture_output=True, text=True, env=env)
    assert out.returncode == 1 and "\033[" not in out.stdout and "MAN001" in out.stdout
