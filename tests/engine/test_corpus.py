"""The conformance corpus: the engine must write exactly what OpenCart's own refresh wrote.

Each expected-TAG.json is the output (files and ocmod.log) of that release's refresh() code, run
under PHP 8.2 on every corpus case (a scratch harness, not part of this repository). Running it
for all fifteen 3.0 releases from 3.0.2.0 to 3.0.5.1 gave three distinct outcomes; OUTCOMES maps
each release to the file holding its outcome, and the engine is checked against every release.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ocmod_forge.engine import apply, flags_for
from ocmod_forge.manifest import parse_manifest
from ocmod_forge.opencart import load_tree

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))["cases"]
OUTCOMES = {
    **dict.fromkeys(("3.0.2.0", "3.0.3.0", "3.0.3.1", "3.0.3.2", "3.0.3.3", "3.0.3.4", "3.0.3.5", "3.0.3.6"), "3.0.2.0"),
    "3.0.3.7": "3.0.3.7",  # backslashes in paths become '/'
    **dict.fromkeys(("3.0.3.8", "3.0.3.9", "3.0.4.0", "3.0.4.1", "3.0.5.0", "3.0.5.1"), "3.0.3.8"),  # + "(sub modification)" log lines
}
EXPECTED = {tag: json.loads((HERE / f"expected-{tag}.json").read_text(encoding="utf-8")) for tag in sorted(set(OUTCOMES.values()))}


def run_case(tmp_path: Path, case: dict, version: str = "3.0.3.8") -> tuple[dict[str, str], str]:
    root = tmp_path / "upload"
    for folder in ("admin", "catalog", "system"):
        (root / folder).mkdir(parents=True)
    for rel, text in case["files"].items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    manifests = [parse_manifest(xml.encode("utf-8"), f"m{i}.xml") for i, xml in enumerate(case["mods"])]
    result = apply(manifests, load_tree(root), flags_for(version))
    return result.files, result.log_text()


def test_corpus_and_expectations_match() -> None:
    assert len(CASES) >= 40 and all(set(CASES) == set(expected) for expected in EXPECTED.values())
    assert len(OUTCOMES) == 15


def test_the_versions_really_differ() -> None:
    """The three outcomes are different (else the version flags would be untested)."""
    old, mid, new = EXPECTED["3.0.2.0"], EXPECTED["3.0.3.7"], EXPECTED["3.0.3.8"]
    assert old["path-backslashes"] != mid["path-backslashes"]
    assert mid["sub-modification-sees-earlier-output"]["log"] != new["sub-modification-sees-earlier-output"]["log"]
    assert "(sub modification)" not in mid["sub-modification-sees-earlier-output"]["log"]


@pytest.mark.parametrize("version", sorted(OUTCOMES))
@pytest.mark.parametrize("name", sorted(CASES))
def test_case(tmp_path: Path, name: str, version: str) -> None:
    files, log = run_case(tmp_path, CASES[name], version)
    expected = EXPECTED[OUTCOMES[version]][name]
    assert files == expected["files"]
    assert log == expected["log"]
