"""``ocmod-forge try`` on the command line: options, exit codes, formats, the summary table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from acme import ACME30, make_package
from click.testing import CliRunner

import ocmod_forge.tryout as tryout
from helpers import write_tree
from ocmod_forge.cli import main
from ocmod_forge.cli.try_cmd import summary_table
from ocmod_forge.diagnostics import Diagnostic, Report, Severity
from ocmod_forge.tryout import KeptStore, ReleaseRun, TryOptions, TryResult


def _result(*severities: Severity, kept: bool = False) -> TryResult:
    diagnostics = tuple(Diagnostic("upload/admin/x.php", 3, 0, "TRY011", "php-warning", s, f"OpenCart 3.0.3.8: finding {i}") for i, s in enumerate(severities))
    runs = (ReleaseRun("3.0.3.8", True, 13, 1, 3357, 0, 4.21, len(diagnostics), ("repaired something",)),)
    stores = (KeptStore("3.0.3.8", "http://127.0.0.1:5000/", "http://127.0.0.1:5000/admin/", "admin", "pw", Path("/tmp/x"), (11, 12)),) if kept else ()
    return TryResult(Report(diagnostics=diagnostics, files_checked=9), runs, stores, "acme.ocmod.zip")


def test_release_is_required(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["try", str(tmp_path)])
    assert result.exit_code == 2 and "--opencart" in result.output


@pytest.mark.parametrize(("severities", "fail_on", "code"), [((Severity.ERROR,), "error", 1), ((Severity.WARNING,), "error", 0), ((Severity.WARNING,), "warning", 1), ((), "info", 0)])
def test_exit_codes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, severities: tuple[Severity, ...], fail_on: str, code: int) -> None:
    monkeypatch.setattr(tryout, "run_try", lambda path, options: _result(*severities))
    result = CliRunner().invoke(main, ["try", str(tmp_path), "--opencart", "3.0.3.8", "--fail-on", fail_on, "--format", "text"])
    assert result.exit_code == code, result.output


def test_text_report_then_summary_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[TryOptions] = []

    def run(path: Path, options: TryOptions) -> TryResult:
        seen.append(options)
        return _result(Severity.WARNING, kept=True)

    monkeypatch.setattr(tryout, "run_try", run)
    result = CliRunner().invoke(main, ["try", str(tmp_path), "--opencart", "/a", "--opencart", "/b", "--keep", "--db", "mysql://u@127.0.0.1:3306", "--format", "text"])
    assert result.exit_code == 0
    assert seen[0].releases == ("/a", "/b") and seen[0].keep and seen[0].db_dsn == "mysql://u@127.0.0.1:3306"
    assert "upload/admin/x.php:3:0: warning: TRY011 OpenCart 3.0.3.8: finding 0 [php-warning]" in result.stdout
    assert "release  installed  pages  messages pkg/core  leftovers  findings  seconds" in result.stderr
    assert "3.0.3.8  yes        13     1/3357             0          1         4.2" in result.stderr
    assert "kept OpenCart 3.0.3.8: http://127.0.0.1:5000/ (admin http://127.0.0.1:5000/admin/, user admin, password pw)" in result.stderr
    assert "kill 11 12" in result.stderr


def test_json_to_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tryout, "run_try", lambda path, options: _result(Severity.ERROR))
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["try", str(tmp_path), "--opencart", "x", "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    assert json.loads(out.read_text())["diagnostics"][0]["code"] == "TRY011"
    assert result.stdout == ""


def test_quiet_hides_the_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tryout, "run_try", lambda path, options: _result())
    result = CliRunner().invoke(main, ["-q", "try", str(tmp_path), "--opencart", "x", "--format", "text"])
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_library_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["try", str(tmp_path), "--opencart", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert f"ocmod-forge: error: --opencart {tmp_path / 'missing'}: no such file or folder" in result.stderr and "Traceback" not in result.output


def test_release_names_come_from_the_release_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCMOD_FORGE_RELEASES", str(tmp_path / "cache"))
    result = CliRunner().invoke(main, ["try", str(tmp_path), "--opencart", "3.0.3.8"])
    assert result.exit_code == 2
    assert "release 3.0.3.8 is not in the release cache; add it with `ocmod-forge opencart add 3.0.3.8`" in result.stderr


def test_a_30_package_is_refused_by_a_4x_release(tmp_path: Path) -> None:
    release = write_tree(tmp_path / "oc41", {"upload/admin/index.php": "<?php define('VERSION', '4.1.0.4');", "upload/system/startup.php": "<?php"})
    package = make_package(ACME30, tmp_path / "pkg" / "acme")
    result = CliRunner().invoke(main, ["try", str(package), "--opencart", str(release)])
    assert result.exit_code == 2
    assert "is an OpenCart 3.0 package" in result.stderr


def test_summary_table_columns_line_up() -> None:
    table = summary_table(_result(Severity.ERROR)).splitlines()
    assert table[0].index("pages") == table[1].index("13")
    assert table[-1] == "note (3.0.3.8): repaired something"
