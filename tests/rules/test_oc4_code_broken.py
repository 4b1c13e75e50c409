"""Our own broken OpenCart 4 packages (tests/data/oc4/code-*): each planted route, event, template
or OCMOD defect is reported by the RTE/TWG1/OCM rules at its place for each listed release, and
nothing else of those families is (the clean package and the other families' cases stay silent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO
from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.versions import Target, generation_of
from ocmod_forge.zipread import read_zip

DATA = REPO / "tests" / "data" / "oc4"
CASES = json.loads((DATA / "code-expected.json").read_text(encoding="utf-8"))["cases"]
FAMILIES = ("RTE", "TWG1", "OCM")
RUNS = [(case, release) for case in CASES for release in case["targets"]]


def findings(zip_path: Path, release: str) -> list[tuple[str, str, int]]:
    """(code, path, line) of the RTE/TWG1/OCM findings for a package on one release."""
    generation = generation_of(release)
    data = LintInput(tree=read_zip(zip_path), target=generation, package_name=zip_path.name, target_range=Target(generation, release, release))
    return [(d.code, d.path, d.line) for d in lint(data, select=FAMILIES).diagnostics]


def matches(expected: dict[str, str], found: tuple[str, str, int]) -> bool:
    """``where`` is ``path`` (any line) or ``path:line``."""
    code, path, line = found
    where = expected["where"]
    want_path, _, want_line = where.rpartition(":") if where.rpartition(":")[2].isdigit() else (where, "", "")
    return code == expected["code"] and path == want_path and (not want_line or line == int(want_line))


@pytest.mark.parametrize("case, release", RUNS, ids=[f"{c['case']}@{r}" for c, r in RUNS])
def test_broken_package_reports_exactly_its_defect(case: dict[str, object], release: str) -> None:
    found = findings(DATA / str(case["zip"]), release)
    expected = case["expected"]
    assert isinstance(expected, list)
    missed = [e for e in expected if not any(matches(e, f) for f in found)]
    extra = [f for f in found if not any(matches(e, f) for e in expected)]
    assert not missed, f"not reported: {missed}; found: {found}"
    assert not extra, f"reported but not planted: {extra}"


def test_every_family_has_a_broken_case() -> None:
    """The data covers each §4 row of this work that a package can show without an OpenCart tree."""
    codes = {e["code"] for case in CASES for e in case["expected"]}
    assert {"RTE001", "RTE002", "RTE003", "RTE004", "RTE005", "RTE007", "TWG101", "TWG102", "OCM001", "OCM002", "OCM003", "OCM006", "OCM007", "OCM008", "OCM009", "OCM010"} <= codes


@pytest.mark.parametrize("release", ["4.0.2.0", "4.0.2.3", "4.1.0.0", "4.1.0.3", "4.1.0.4"])
def test_clean_package_is_clean_on_every_release_with_the_dot_separator(release: str) -> None:
    assert findings(DATA / "code-clean" / "forge_clean.ocmod.zip", release) == []


@pytest.mark.parametrize("release", ["4.0.0.0", "4.0.1.0", "4.0.1.1"])
def test_clean_package_breaks_before_4020(release: str) -> None:
    """The same package supports 4.0.0.0–4.0.1.1 only with '|': its '.save' link is reported there."""
    found = findings(DATA / "code-clean" / "forge_clean.ocmod.zip", release)
    assert found == [("RTE001", "admin/controller/module/forge_clean.php", 6)]
