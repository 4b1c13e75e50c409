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


ACTION_INPUTS = {
    "project": ".", "build": "true", "fail-on": "error", "opencart": "", "select": "", "ignore": "", "args": "", "sarif": "ocmod-forge.sarif",
    "php": "true", "python-version": "3.11", "try": "", "try-db": "",
}
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _expression(expr: str, inputs: dict[str, str]) -> str:
    """What GitHub substitutes for ``${{ expr }}`` (the few forms action.yml uses)."""
    m = re.fullmatch(r"inputs\.([\w-]+)", expr)
    if m:
        return inputs[m.group(1)]
    if expr == "github.action_path":
        return str(REPO)
    raise AssertionError(f"unexpected expression {expr!r} in action.yml")


def _steps(inputs: dict[str, str]) -> list[tuple[dict[str, object], str, dict[str, str]]]:
    """The action's shell steps as a runner sees them: expressions in ``run`` pasted into the
    script text (that is how GitHub does it, and why inputs must never appear there), and
    expressions in ``env`` set as environment values."""
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == set(ACTION_INPUTS)
    steps = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        script = _EXPR.sub(lambda m: _expression(m.group(1), inputs), step["run"])
        env = {k: _EXPR.sub(lambda m: _expression(m.group(1), inputs), str(v)) for k, v in (step.get("env") or {}).items()}
        steps.append((step, script, env))
    return steps


def _run_action(tmp_path: Path, **overrides: str) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    inputs = {**ACTION_INPUTS, **{k.replace("_", "-"): v for k, v in overrides.items()}}
    base = dict(os.environ, GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(tmp_path), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    results = []
    for step, script, env in _steps(inputs):
        if step["name"] in ("Install ocmod-forge", "Install php-cli and php-twig"):
            continue  # the suite runs against the installed checkout and php; installing needs the network
        if step.get("if") == "inputs.try != ''" and not inputs["try"]:
            continue
        results.append((str(step["name"]), subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env={**base, **env}, capture_output=True, text=True)))
        if results[-1][1].returncode != 0:
            break
    return results


def test_no_input_is_pasted_into_a_script() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    for step in action["runs"]["steps"]:
        assert "inputs." not in step.get("run", ""), f"step {step.get('name')!r} pastes an input into its script"


def test_action_passes_on_a_clean_project(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "proj", MINI_PROJECT)
    results = _run_action(tmp_path, project=str(project), sarif=str(tmp_path / "out.sarif"))
    assert [r.returncode for _, r in results] == [0], [r.stdout + r.stderr for _, r in results]
    assert (tmp_path / "out.sarif").is_file()
    assert '"version": "2.1.0"' in (tmp_path / "out.sarif").read_text()
    assert (project / "dist" / "demo_ext-v1.2.0.ocmod.zip").is_file()


def test_action_checks_once_and_passes_releases_rules_and_args(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "proj", {**MINI_PROJECT, "templates/upload/system/config/x.php": "<?php\n"})
    store = write_tree(tmp_path / "store", {"admin/index.php": "<?php define('VERSION', '3.0.3.8');\n", "system/x.php": "", "catalog/x.php": ""})
    results = _run_action(tmp_path, project=str(project), opencart=f"{store}\n", select="PTH,ANC", ignore="PTH001", args="--fail-on warning -v", sarif=str(tmp_path / "o.sarif"))
    ((_name, last),) = results
    assert last.returncode == 1  # PTH003 is a warning; the extra args raised the fail level
    # One check, one annotation, on the file in the repository (the template), not the built one.
    assert last.stdout.count("::warning file=proj/templates/upload/system/config/x.php,") == 1
    assert "PTH001" not in last.stdout and "SEC" not in last.stdout


def test_hostile_input_values_are_never_executed(tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    project = write_tree(tmp_path / "proj", MINI_PROJECT)
    hostile = f'"; touch {pwned}; echo "$(touch {pwned})`touch {pwned}`'
    for key in ("project", "fail-on", "opencart", "select", "ignore", "args", "sarif", "try", "try-db"):
        value = hostile if key != "project" else str(project) + hostile
        _run_action(tmp_path, **{"project": str(project), key: value})
        assert not pwned.exists(), f"input {key!r} ran a command"


def test_action_keeps_the_cache_between_runs() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    caches = [s for s in action["runs"]["steps"] if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(caches) == 1
    with_ = caches[0]["with"]
    # The folder ocmod-forge uses when neither XDG_CACHE_HOME nor OCMOD_FORGE_CACHE is set.
    assert with_["path"] == "~/.cache/ocmod-forge"
    assert with_["restore-keys"] and with_["key"].startswith(with_["restore-keys"])
    assert "github.sha" not in with_["key"] and "hashFiles(" in with_["key"]  # a new entry only when the project changes


def test_action_fails_the_job_with_annotations(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "proj", {**MINI_PROJECT, "templates/install.xml.j2": "<modification><name>x</name>\n"})
    results = _run_action(tmp_path, project=str(project), sarif=str(tmp_path / "out.sarif"))
    name, last = results[-1]
    assert name.startswith("Check") and last.returncode == 1
    assert last.stdout.count("::error file=proj/templates/install.xml.j2,line=2") == 1
    assert (tmp_path / "proj/templates/install.xml.j2").is_file()  # an annotation on a file that exists
    assert (tmp_path / "out.sarif").is_file()


def test_action_never_builds_the_bundled_example(tmp_path: Path) -> None:
    empty = tmp_path / "repo"
    empty.mkdir()
    results = _run_action(tmp_path, project=str(empty))
    _name, last = results[-1]
    assert last.returncode == 2 and "no ocmod-forge.yaml" in last.stderr
    assert not (empty / "dist").exists() and not (tmp_path / "dist").exists()


def test_rules_reference_is_up_to_date() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(), "docs/rules.md is stale: run `ocmod-forge rules --format markdown > docs/rules.md`"


def test_shell_completion_script() -> None:
    env = dict(os.environ, _OCMOD_FORGE_COMPLETE="bash_source")
    out = subprocess.run([sys.executable, "-c", "from ocmod_forge.cli import main; main(prog_name='ocmod-forge')"], env=env, capture_output=True, text=True)
    assert "_ocmod_forge_completion" in out.stdout and "complete " in out.stdout


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"))


def test_pre_commit_hooks_with_the_project_in_a_subfolder(tmp_path: Path) -> None:
    """The real pre-commit runs our hook definitions (as local system hooks: installing them from
    a repository would need the network) in a repository whose project lives in ext/."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        import pytest

        pytest.fail("pre-commit is part of the test extra (pip install -e '.[test]')")
    repo = tmp_path / "repo"
    write_tree(repo / "ext", MINI_PROJECT)
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    def config(args: list[str]) -> str:
        local = [{**h, "language": "system", "entry": str(Path(sys.executable).parent / h["entry"]), "args": args} for h in hooks]
        return yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]})

    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config(["ext"]), encoding="utf-8")
    _git(repo, "add", "-A")
    ok = subprocess.run([str(pre_commit), "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert (repo / "ext" / "dist" / "demo_ext-v1.2.0.ocmod.zip").is_file()
    assert not (repo / "dist").exists()  # never the bundled example in the repository root
    (repo / ".pre-commit-config.yaml").write_text(config([]), encoding="utf-8")  # forgot args: [ext]
    missing = subprocess.run([str(pre_commit), "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "no ocmod-forge.yaml" in missing.stdout
    assert "PKG004" not in missing.stdout and not (repo / "dist").exists()
