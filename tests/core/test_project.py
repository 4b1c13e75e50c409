"""Project file loading: values, defaults, and every problem reported with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from ocmod_forge.api import load_project
from ocmod_forge.errors import ProjectError


def _load(tmp_path: Path, text: str):
    path = tmp_path / "ocmod-forge.yaml"
    path.write_text(text, encoding="utf-8")
    return load_project(path)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ProjectError) as info:
        _load(tmp_path, text)
    return str(info.value).splitlines()


MIN = "extension:\n  name: X\n  code: x_1\n  version: 1.0.0\n"


def test_meschain_project_loads() -> None:
    project = load_project(REPO / "ocmod-forge.yaml")
    assert project.zip_name == "meschain-sync-enterprise-v3.1.1.ocmod.zip"
    assert project.identity.code == "meschain_sync_enterprise"
    assert project.target == "3.0"
    gg = next(m for m in project.marketplaces if m.code == "gittigidiyor")
    assert not gg.enabled and "2022" in gg.notice
    assert len(project.marketplaces) == 8
    assert "gittigidiyor" not in [m.code for m in project.enabled_marketplaces]


def test_lint_selectors_by_code_prefix_and_name(tmp_path: Path) -> None:
    project = _load(tmp_path, MIN + "lint:\n  select: [MAN, SEC001, php-syntax-error, all]\n  ignore: [sql00]\n")
    assert project.lint.select == ("MAN", "SEC001", "php-syntax-error", "all") and project.lint.ignore == ("sql00",)


def test_defaults(tmp_path: Path) -> None:
    project = _load(tmp_path, MIN)
    assert project.stem == "x_1-v1.0.0"
    assert project.templates == (tmp_path / "templates").resolve()
    assert project.output == (tmp_path / "dist").resolve()
    assert project.lint.fail_on == "error"


def test_targets_and_releases(tmp_path: Path) -> None:
    project = _load(tmp_path, MIN + "opencart:\n  targets: {'4.1': '', '3.0': '3.0.2.0 - 3.0.5.1', '4.0': '4.0.2.0+'}\n  releases: [3.0.3.8, 4.1.0.4]\n")
    assert [str(t) for t in project.targets] == ["3.0", "4.0", "4.1"]
    assert project.targets[1].first == "4.0.2.0" and project.targets[1].last == "4.0.2.3" and project.targets[1].separator == "."
    assert project.releases == ("3.0.3.8", "4.1.0.4")
    assert project.zip_name_for(project.targets[0]) == "x_1-v1.0.0.ocmod.zip" and project.zip_name_for(project.targets[2]) == "x_1.ocmod.zip"
    assert project.output_for(project.targets[2]) == (tmp_path / "dist" / "opencart-4.1").resolve()
    assert _load(tmp_path, MIN + "opencart: {target: '4.1'}\n").target == "4.1"


def test_numeric_version_keeps_source_text(tmp_path: Path) -> None:
    assert _load(tmp_path, MIN.replace("1.0.0", "3.10")).identity.version == "3.10"


@pytest.mark.parametrize(
    "text, expected",
    [
        (MIN + "extnsion: {}\n", "ocmod-forge.yaml:5: project file: unknown key 'extnsion' (did you mean 'extension'?)"),
        (MIN.replace("code: x_1", "code: My-Code"), "ocmod-forge.yaml:3: extension.code 'My-Code' must match [a-z0-9_]+"),
        (MIN.replace("1.0.0", "v1.x"), "ocmod-forge.yaml:4: extension.version 'v1.x' is not a version"),
        (MIN.replace("name: X", "name: [a, b]"), "ocmod-forge.yaml:2: extension.name must be a string, not a list"),
        (MIN + "marketplaces:\n  amazon: {enabled: yes please}\n", "ocmod-forge.yaml:6: marketplaces.amazon.enabled must be true or false"),
        (MIN + "package:\n  templtes: t\n", "ocmod-forge.yaml:6: package: unknown key 'templtes' (did you mean 'templates'?)"),
        (MIN + "opencart:\n  targets: ['3.0', '5.0']\n", "ocmod-forge.yaml:6: opencart.targets: '5.0' is not an OpenCart generation"),
        (MIN + "opencart:\n  targets: {'4.0': '4.1.0.0 - 4.1.0.4'}\n", "ocmod-forge.yaml:6: opencart.targets.4.0: '4.1.0.0' is not an OpenCart 4.0 release"),
        (MIN + "opencart:\n  target: '3.0'\n  targets: ['3.0']\n", "opencart: give either target or targets, not both"),
        (MIN + "opencart:\n  target: '9'\n", "ocmod-forge.yaml:6: opencart.target '9' is unknown"),
        (MIN + "lint:\n  fail_on: fatal\n", "ocmod-forge.yaml:6: lint.fail_on 'fatal' must be one of"),
        ("extension:\n  name: X\n  version: 1.0.0\n", "ocmod-forge.yaml:1: extension.code is required"),
        (MIN + "extension: {}\n", "ocmod-forge.yaml:5: project file: duplicate key 'extension'"),
        (MIN + "x: &a [1]\ny: *a\n", "ocmod-forge.yaml:6: YAML aliases (*name) are not allowed"),
        (MIN + "vars: !!python/object:os.system {}\n", "ocmod-forge.yaml:5: YAML tag"),
        (MIN + "vars: {a: [1, 2}\n", "ocmod-forge.yaml:5: malformed YAML"),
        ("", "ocmod-forge.yaml:1: project file is empty"),
        (MIN.replace("name: X", "name: " + "n" * 65), "ocmod-forge.yaml:2: extension.name is longer than 64 characters"),
        (MIN + "  link: ftp://x\n", "ocmod-forge.yaml:5: extension.link 'ftp://x' must be an http(s) URL"),
        (MIN + "package:\n  stem: '{nope}'\n", "ocmod-forge.yaml:6: package.stem '{nope}': bad placeholder"),
        # A selector typo would silently run no rule at all (select) or hide nothing (ignore).
        (MIN + "lint:\n  select:\n    - MAN\n    - SECURITY\n", "ocmod-forge.yaml:8: lint.select: 'SECURITY' matches no rule code, prefix or name"),
        (MIN + "lint:\n  ignore: PHP9\n", "ocmod-forge.yaml:6: lint.ignore: 'PHP9' matches no rule code, prefix or name"),
    ],
)
def test_problems_name_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    lines = _problems(tmp_path, text)
    assert any(line.endswith(expected) or expected in line for line in lines), lines
    assert all(str(tmp_path / "ocmod-forge.yaml") in line for line in lines)


def test_every_problem_is_reported(tmp_path: Path) -> None:
    lines = _problems(tmp_path, "extension:\n  name: 1\n  code: BAD\n  version: x\n  colour: red\n")
    assert len(lines) == 3  # code, version, unknown key (a number is accepted as a name)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="project file not found"):
        load_project(tmp_path / "nope.yaml")
    (tmp_path / "bin.yaml").write_bytes(b"extension:\n  name: \xff\n")
    with pytest.raises(ProjectError, match=r"bin.yaml:2: project file is not valid UTF-8"):
        load_project(tmp_path / "bin.yaml")


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    assert "aliases" in _problems(tmp_path, bomb)[0]
