"""php work started before the rules run: the answers are the same, nothing is left behind."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

from ocmod_forge.context import Context, LintInput
from ocmod_forge.lint import lint
from ocmod_forge.rules import RULES, php, twg
from ocmod_forge.rules.background import PhpJob
from ocmod_forge.rules.base import PREFETCH, Skip
from ocmod_forge.tree import PackageFile, PackageTree

needs_php = pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCMOD_FORGE_NO_CACHE", "1")  # every answer from a php process


def test_php_and_twig_rules_are_prefetched() -> None:
    assert {"PHP001", "TWG002"} <= set(PREFETCH)


@needs_php
def test_prefetched_answers_equal_direct_ones_and_are_collected() -> None:
    files = {
        "upload/system/library/a.php": "<?php\nfunction a() { return 1 }\n",
        "upload/system/library/b.php": "<?php\necho 1;\n",
    }
    if os.path.isfile(twg.TWIG_AUTOLOAD):
        files["upload/admin/view/template/extension/module/x.twig"] = "<p>\n{{ a|nosuchfilter }}</p>"
    data = LintInput(tree=PackageTree(files={k: PackageFile(v.encode()) for k, v in files.items()}))
    ctx = Context(data)
    for code in ("PHP001", "TWG002"):
        PREFETCH[code](ctx)
    direct = {(code, f.path, f.line) for code in ("PHP001", "TWG002") for f in RULES[code].run(ctx) if not isinstance(f, Skip)}
    assert ctx.background == {}  # every started job was taken by its rule
    report = lint(data, select=["PHP001", "TWG002"])
    found = {(d.code, d.path, d.line) for d in report.diagnostics}
    assert found == direct
    assert ("PHP001", "upload/system/library/a.php", 2) in found
    assert php.php_parse_errors({p: t for p, t in files.items() if p.endswith(".php")}) == {"upload/system/library/a.php": (2, 'syntax error, unexpected token "}", expecting ";"')}
    if os.path.isfile(twg.TWIG_AUTOLOAD):
        assert ("TWG002", "upload/admin/view/template/extension/module/x.twig", 2) in found


@needs_php
def test_an_uncollected_job_leaves_no_process_or_folder() -> None:
    job = PhpJob(shutil.which("php") or "php", (), "sleep(30);", [])
    folder, proc = Path(job.folder), job.proc
    assert folder.is_dir() and proc is not None and proc.poll() is None
    del job
    gc.collect()
    assert not folder.exists()
    assert proc.poll() is not None  # killed, not left running


def test_a_job_whose_php_cannot_start_answers_none(tmp_path: Path) -> None:
    job = PhpJob(str(tmp_path / "no-such-php"), (), "echo 1;", [])
    assert job.answer() is None
    job.close()
    assert not Path(job.folder).exists()

