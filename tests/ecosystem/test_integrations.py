"""pre-commit hook file, the GitHub Action's shell steps, docs/rules.md, shell completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import MINI_PROJECT, REPO, write_tree
from ocmod_forge.rules import reference_markdown as rules_markdown


def test_pre_commit_hooks_file() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"]: h for h in hooks}
    assert "ocmod-forge-validate" in ids
    hook = ids["ocmod-forge-validate"]
    assert hook["entry"].startswith("ocmod-forge ") and hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("ocmod-forge.yaml") and pattern.search("templates/upload/x.php.j2") and not pattern.search("README.md")


def _steps(inputs: dict[str, str]) -> list[tuple[str, str]]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        script = step["run"].replace("${{ github.action_path }}", str(REPO))
        script = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], script)
        steps.append((step["name"], script))
    return steps


def _run_action(project: Path, tmp_path: Path) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    inputs = {"project": str(project), "fail-on": "error", "python-version": "3.11", "sarif": str(tmp_path / "out.sarif"), "build": "true"}
    env = dict(os.environ, GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(tmp_path), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    results = []
    for name, script in _steps(inputs):
        if name == "Install ocmod-forge":
            continue  # the suite runs against the installed checkout; installing again needs the network
        results.append((name, subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)))
        if results[-1][1].returncode != 0:
            break
    return results


def test_action_passes_on_a_clean_project(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "proj", MINI_PROJECT)
    results = _run_action(project, tmp_path)
    assert [r.returncode for _, r in results] == [0, 0], [r.stdout + r.stderr for _, r in results]
    assert (tmp_path / "out.sarif").is_file()
    assert '"version": "2.1.0"' in (tmp_path / "out.sarif").read_text()
    assert (project / "dist" / "demo_ext-v1.2.0.ocmod.zip").is_file()


def test_action_keeps_the_cache_between_runs() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    caches = [s for s in action["runs"]["steps"] if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(caches) == 1
    with_ = caches[0]["with"]
    # The folder ocmod-forge uses when neither XDG_CACHE_HOME nor OCMOD_FORGE_CACHE is set.
    assert with_["path"] == "~/.cache/ocmod-forge"
    assert with_["restore-keys"] and with_["key"].startswith(with_["restore-keys"])


def test_action_fails_the_job_with_annotations(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "proj", {**MINI_PROJECT, "templates/install.xml.j2": "<modification><name>x</name>\n"})
    results = _run_action(project, tmp_path)
    name, last = results[-1]
    assert name.startswith("Validate") and last.returncode == 1
    assert "::error file=install.xml,line=2" in last.stdout
    assert (tmp_path / "out.sarif").is_file()


def test_rules_reference_is_up_to_date() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(), "docs/rules.md is stale: run `ocmod-forge rules --format markdown > docs/rules.md`"


def test_shell_completion_script() -> None:
    env = dict(os.environ, _OCMOD_FORGE_COMPLETE="bash_source")
    out = subprocess.run([sys.executable, "-c", "from ocmod_forge.cli import main; main(prog_name='ocmod-forge')"], env=env, capture_output=True, text=True)
    assert "_ocmod_forge_completion" in out.stdout and "complete " in out.stdout
