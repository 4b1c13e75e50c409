"""The verdict cache: keyed by content and checker, never stale, never required."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ocmod_forge import cache
from ocmod_forge.cache import Verdicts
from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.rules import man, php, twg
from ocmod_forge.tree import PackageFile, PackageTree

needs_php = pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
needs_twig = pytest.mark.skipif(shutil.which("php") is None or not os.path.isfile(twg.TWIG_AUTOLOAD), reason="php-twig is not installed")


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OCMOD_FORGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("OCMOD_FORGE_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_verdicts_round_trip_and_invalidation(own_cache: Path) -> None:
    first = Verdicts("unit", "checker 1")
    known, todo = first.split({"a.php": "one", "b.php": "two"})
    assert known == {} and todo == {"a.php": "one", "b.php": "two"}
    first.store(todo, {"a.php": None, "b.php": [3, "syntax error"]})

    again = Verdicts("unit", "checker 1")
    # Same content under another path is the same verdict; edited content is checked again.
    known, todo = again.split({"renamed.php": "two", "a.php": "one (edited)"})
    assert known == {"renamed.php": [3, "syntax error"]} and todo == {"a.php": "one (edited)"}
    # Another checker (a PHP upgrade, another script) starts afresh.
    assert Verdicts("unit", "checker 2").split({"a.php": "one"}) == ({}, {"a.php": "one"})


def test_checkers_sharing_a_name_keep_their_own_verdicts(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PHP006 keeps one store per PHP version under one name: storing 8.4's answers must not
    evict 7.4's (they once shared a file, so every build re-linted all but the last version)."""
    folder = own_cache / "verdicts"
    for age, version, verdict in ((1000, "7.4", None), (2000, "8.4", [1, "E", "m"])):
        Verdicts("php-version-lint", f"php {version}").store({"a.php": "x"}, {"a.php": verdict})
        newest = max(folder.glob("php-version-lint-*.json"), key=lambda p: p.stat().st_mtime_ns if p.stat().st_mtime_ns > 10**12 else 0)
        os.utime(newest, (age, age))  # distinct ages, whatever the clock's resolution
    assert Verdicts("php-version-lint", "php 7.4").split({"a.php": "x"}) == ({"a.php": None}, {})
    assert Verdicts("php-version-lint", "php 8.4").split({"a.php": "x"}) == ({"a.php": [1, "E", "m"]}, {})
    monkeypatch.setattr(cache, "_KEEP_SALTS", 2)
    Verdicts("php-version-lint", "php 8.1").store({"a.php": "x"}, {"a.php": None})
    assert len(list((own_cache / "verdicts").glob("php-version-lint-*.json"))) == 2
    assert Verdicts("php-version-lint", "php 7.4").split({"a.php": "x"}) == ({}, {"a.php": "x"})  # the oldest went


def test_damaged_cache_file_is_ignored_and_rewritten(own_cache: Path) -> None:
    Verdicts("unit", "s").store({"a": "x"}, {"a": None})
    (path,) = (own_cache / "verdicts").glob("unit-*.json")
    path.write_text("{not json", encoding="utf-8")
    verdicts = Verdicts("unit", "s")
    assert verdicts.split({"a": "x"}) == ({}, {"a": "x"})
    verdicts.store({"a": "x"}, {"a": [1, "m"]})
    assert json.loads(path.read_text(encoding="utf-8"))["entries"]


def test_no_cache_and_unwritable_cache_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCMOD_FORGE_CACHE", str(tmp_path / "c"))
    monkeypatch.setenv("OCMOD_FORGE_NO_CACHE", "1")
    Verdicts("unit", "s").store({"a": "x"}, {"a": None})
    assert not (tmp_path / "c").exists()
    monkeypatch.delenv("OCMOD_FORGE_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("OCMOD_FORGE_CACHE", str(blocker))  # a file, so no folder can be made
    assert cache.cache_dir("verdicts") is None
    Verdicts("unit", "s").store({"a": "x"}, {"a": None})  # silently not cached


def test_cache_is_bounded(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    v = Verdicts("unit", "s")
    texts = {str(i): f"text {i}" for i in range(5)}
    v.store(texts, dict.fromkeys(texts))
    (path,) = (own_cache / "verdicts").glob("unit-*.json")
    stored = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert len(stored) == 3
    assert Verdicts("unit", "s").split({"4": "text 4", "0": "text 0"})[1] == {"0": "text 0"}  # oldest dropped


def _no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("php must not run")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)


BROKEN = "<?php\nfunction a() { return 1 }\n"
REDECLARED = "<?php\nfunction a() {}\nfunction a() {}\n"
FINE = "<?php\necho 1;\n"


@needs_php
def test_php_lint_answers_from_the_cache_and_rechecks_edits(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"upload/a.php": BROKEN, "upload/b.php": REDECLARED, "upload/c.php": FINE}
    first = php.php_parse_errors(files, Verdicts)
    assert first is not None and set(first) == {"upload/a.php", "upload/b.php"}
    assert first["upload/a.php"][0] == 2 and first["upload/b.php"][0] == 3

    _no_processes(monkeypatch)
    assert php.php_parse_errors(dict(files), Verdicts) == first  # every verdict from the cache
    # An edited file needs php again: with php failing, the check cannot claim a verdict.
    assert php.php_parse_errors({**files, "upload/c.php": FINE + "echo 2;\n"}, Verdicts) is None


@needs_twig
def test_twig_and_pcre_verdicts_are_cached(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = LintInput(tree=PackageTree(files={"upload/x.twig": PackageFile(b"{% if %}\n"), "upload/y.twig": PackageFile(b"{{ a }}\n")}))
    found = [d.path for d in lint(ctx, select=["TWG002"]).diagnostics]
    assert found == ["upload/x.twig"]
    assert man.php_pattern_errors(["~a~Z", "~a~"], Verdicts) == {"~a~Z": man.php_pattern_errors(["~a~Z"], Verdicts)["~a~Z"], "~a~": None}

    _no_processes(monkeypatch)
    report = lint(LintInput(tree=ctx.tree), select=["TWG002"])
    assert [d.path for d in report.diagnostics] == ["upload/x.twig"] and not report.skipped
    assert "Twig 3" in report.diagnostics[0].message
    assert man.php_pattern_errors(["~a~"], Verdicts) == {"~a~": None}
    assert man.php_pattern_errors(["~b~Z"], Verdicts) is None  # new pattern, php unavailable: no verdict


def test_sql_split_comes_back_from_the_disk_cache(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocmod_forge import sql

    text = "-- tables\nCREATE TABLE IF NOT EXISTS `{DB_PREFIX}a` (id INT);\nINSERT INTO b VALUES (';');\nSELECT 'open\n"
    sql._split_memo.cache_clear()
    first = sql.split_sql(text, Verdicts(sql.SQL_SPLIT, sql.split_salt()))
    assert [s.line for s in first[0]] == [2, 3, 4] and first[1]

    def must_not_split(_: str) -> None:
        raise AssertionError("split again although cached")

    monkeypatch.setattr(sql, "_split", must_not_split)
    sql._split_memo.cache_clear()
    assert sql.split_sql(text, Verdicts(sql.SQL_SPLIT, sql.split_salt())) == first
    with pytest.raises(AssertionError):
        sql._split_memo.cache_clear()
        sql.split_sql(text + "\n", Verdicts(sql.SQL_SPLIT, sql.split_salt()))  # edited text is split for real
    with pytest.raises(AssertionError):
        sql.split_sql(text, Verdicts(sql.SQL_SPLIT, "another sqlparse"))  # another salt: split for real
    sql._split_memo.cache_clear()


# --------------------------------------------------------------------------- render and report caches


def _build(runner: object, project: Path) -> tuple[int, str]:
    from click.testing import CliRunner

    from ocmod_forge.cli import main

    assert isinstance(runner, CliRunner)
    result = runner.invoke(main, ["build", str(project)])
    return result.exit_code, result.output


def test_render_cache_serves_identical_trees_and_misses_on_any_input(own_cache: Path, mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocmod_forge import jinja_render
    from ocmod_forge.api import load_project
    from ocmod_forge.render import render_project

    logo = bytes(range(256)) * 4  # not UTF-8: an image copied verbatim
    (mini_project / "templates/upload/image/catalog/demo/logo.png").parent.mkdir(parents=True)
    (mini_project / "templates/upload/image/catalog/demo/logo.png").write_bytes(logo)
    project = load_project(mini_project / "ocmod-forge.yaml")
    first = render_project(project)
    assert list((own_cache / "render").glob("*.json"))
    assert first.tree["upload/image/catalog/demo/logo.png"].data == logo
    calls: list[str] = []
    real = jinja_render.render_uncached
    monkeypatch.setattr(jinja_render, "render_uncached", lambda p, t=None, e=None: calls.append("render") or real(p, t, e))

    again = render_project(project)
    assert calls == [] and again.sql_files == first.sql_files
    assert again.tree["upload/image/catalog/demo/logo.png"].data == logo
    assert {p: (f.data, f.source) for p, f in again.tree.files.items()} == {p: (f.data, f.source) for p, f in first.tree.files.items()}

    edits = [
        ("templates/_partials/body.j2", "$code = [= marketplace.code|upper|php_str =];\n"),  # a partial
        ("sql/install.sql", "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}demo2` (`id` int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"),
        ("ocmod-forge.yaml", (mini_project / "ocmod-forge.yaml").read_text(encoding="utf-8").replace("Hello", "Merhaba")),
    ]
    for rel, text in edits:
        (mini_project / rel).write_text(text, encoding="utf-8")
        project = load_project(mini_project / "ocmod-forge.yaml")
        before = len(calls)
        tree = render_project(project).tree
        assert len(calls) == before + 1, rel
    assert b"ALPHA" in tree["upload/system/library/demo/alpha.php"].data
    assert b"Merhaba" in tree["upload/admin/controller/extension/module/demo_ext.php"].data
    # A damaged entry is re-rendered, not trusted.
    for entry in (own_cache / "render").glob("*.json"):
        entry.write_text('{"files": [[1]]}', encoding="utf-8")
    before = len(calls)
    render_project(project)
    assert len(calls) == before + 1


def test_report_cache_never_hides_a_new_finding(own_cache: Path, runner: object, mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocmod_forge import lint as lint_module

    assert _build(runner, mini_project)[0] == 0
    assert list((own_cache / "reports").glob("*.json"))
    runs: list[int] = []
    real = lint_module.lint
    monkeypatch.setattr(lint_module, "lint", lambda *a, **k: runs.append(1) or real(*a, **k))

    assert _build(runner, mini_project)[0] == 0 and runs == []  # unchanged: from the cache
    php = mini_project / "templates/upload/admin/controller/extension/module/[= ext.code =].php.j2"
    php.write_text(php.read_text(encoding="utf-8").replace("$greeting =", "$_GET['x']; $greeting ="), encoding="utf-8")
    _code, output = _build(runner, mini_project)
    assert runs == [1] and "SEC003" in output  # edited: linted again, the finding is there
    _code, output = _build(runner, mini_project)
    assert runs == [1] and "SEC003" in output  # and the cached report keeps it


def test_report_cache_key_covers_selection_checkers_and_opencart(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocmod_forge.reportcache import report_key

    ctx = LintInput(tree=PackageTree(files={"install.xml": PackageFile(b"<modification/>")}))
    base = report_key(ctx, (), ())
    assert base is not None and report_key(ctx, (), ()) == base
    assert report_key(ctx, ("MAN",), ()) != base and report_key(ctx, (), ("SEC",)) != base
    assert report_key(LintInput(tree=ctx.tree, target="4.0"), (), ()) != base
    assert report_key(LintInput(tree=PackageTree(files={"install.xml": PackageFile(b"<modification/>", executable=True)})), (), ()) != base
    assert report_key(LintInput(tree=ctx.tree, opencart_paths=(Path("/store"),)), (), ()) is None
    monkeypatch.setattr(shutil, "which", lambda name: None)  # php gone: skipped checks instead
    assert report_key(ctx, (), ()) != base


def test_render_cache_is_not_used_with_linked_folders(own_cache: Path, mini_project: Path, tmp_path: Path) -> None:
    from ocmod_forge.api import load_project
    from ocmod_forge.render import _render_key

    project = load_project(mini_project / "ocmod-forge.yaml")
    assert _render_key(project, project.templates, project.targets[0]) is not None
    outside = tmp_path / "shared-partials"
    outside.mkdir()
    (outside / "x.j2").write_text("x", encoding="utf-8")
    (project.templates / "_partials" / "shared").symlink_to(outside, target_is_directory=True)
    assert _render_key(project, project.templates, project.targets[0]) is None


def test_cache_command_shows_and_clears_only_its_own_folders(own_cache: Path, runner: object, mini_project: Path) -> None:
    from click.testing import CliRunner

    from ocmod_forge.cli import main

    assert isinstance(runner, CliRunner)
    assert _build(runner, mini_project)[0] == 0
    shown = runner.invoke(main, ["cache"])
    assert shown.exit_code == 0 and f"cache: {own_cache} (on)" in shown.output
    counts = {line.split()[0]: int(line.split()[1]) for line in shown.output.splitlines()[1:]}
    assert set(counts) == {"jinja", "verdicts", "render", "reports"} and counts["render"] == 1 and counts["reports"] == 1
    (own_cache / "not-ours.txt").write_text("keep me", encoding="utf-8")  # OCMOD_FORGE_CACHE may be shared
    cleared = runner.invoke(main, ["cache", "--clear"])
    assert cleared.exit_code == 0 and "removed" in cleared.output
    assert (own_cache / "not-ours.txt").read_text(encoding="utf-8") == "keep me"
    assert not any((own_cache / kind).exists() for kind in counts)
    assert _build(runner, mini_project)[0] == 0  # and builds refill it


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for i in range(5):
        path = tmp_path / f"{i}.cache"
        path.write_text(str(i), encoding="utf-8")
        os.utime(path, ns=(i * 10**9, i * 10**9))
    (tmp_path / "other.txt").write_text("x", encoding="utf-8")
    cache.prune(str(tmp_path), 2, ".cache")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["3.cache", "4.cache", "other.txt"]
