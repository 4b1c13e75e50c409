"""The conformance corpus: the engine must write exactly what OpenCart's own refresh wrote.

Each expected-TAG.json is the output (files, ocmod.log, fatal or not) of that release's own
refresh() code, run under PHP 8.2 on every corpus case by tools/opencart-refresh:

    python tools/opencart-refresh/expectations.py --trees DIR --cases tests/engine/corpus.yaml --out tests/engine

Releases with identical results share one file; groups.json maps each of the twenty releases
(3.0.2.0–3.0.5.1, 4.1.0.0–4.1.0.4) to it, and the engine is checked against every release.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from replay import json_text

from ocmod_forge.engine import Fatal, apply, flags_for
from ocmod_forge.manifest import parse_manifest
from ocmod_forge.opencart import load_tree

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))["cases"]
# 3.0.3.7: backslashes in paths become '/'; 3.0.3.8: "(sub modification)" log lines; 3.0.5.1: skips
# documents without <modification>; 4.1: int casts, abort scope, extension/ prefix; 4.1.0.4: oc_glob.
OUTCOMES: dict[str, str] = json.loads((HERE / "groups.json").read_text(encoding="utf-8"))
EXPECTED = {tag: json.loads((HERE / f"expected-{tag}.json").read_text(encoding="utf-8")) for tag in sorted(set(OUTCOMES.values()))}


def run_case(tmp_path: Path, case: dict, version: str = "3.0.3.8") -> dict[str, object]:
    """The engine's answer in the harness's shape, on a real folder (FolderTree)."""
    root = tmp_path / "upload"
    for folder in ("admin", "catalog", "extension", "system"):
        (root / folder).mkdir(parents=True)
    for rel, text in case["files"].items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    manifests = [parse_manifest(xml.encode("utf-8"), f"m{i}.xml") for i, xml in enumerate(case["mods"])]
    try:
        result = apply(manifests, load_tree(root), flags_for(version))
    except Fatal as exc:
        assert exc.exact
        return {"fatal": True, "files": {}, "log": ""}
    assert result.exact, [o.message for o in result.unsupported]
    return {"fatal": False, "files": {k: json_text(v) for k, v in result.files.items()}, "log": result.log_text()}


def test_corpus_and_expectations_match() -> None:
    assert len(CASES) >= 60 and all(set(CASES) == set(expected) for expected in EXPECTED.values())
    assert len(OUTCOMES) == 20


def test_the_versions_really_differ() -> None:
    """The outcomes differ where the releases' code differs (else the version flags would be untested)."""
    old, mid, new = EXPECTED["3.0.2.0"], EXPECTED["3.0.3.7"], EXPECTED["3.0.3.8"]
    assert old["path-backslashes"] != mid["path-backslashes"]
    assert mid["sub-modification-sees-earlier-output"]["log"] != new["sub-modification-sees-earlier-output"]["log"]
    assert "(sub modification)" not in mid["sub-modification-sees-earlier-output"]["log"]
    assert new["no-modification-element"]["fatal"] and not EXPECTED["3.0.5.1"]["no-modification-element"]["fatal"]
    assert new["abort-scope"]["log"].count("MOD:") == 1 and EXPECTED["4.1.0.0"]["abort-scope"]["log"].count("MOD:") == 2
    assert EXPECTED["4.1.0.0"]["path-glob-braces-twice"] != EXPECTED["4.1.0.4"]["path-glob-braces-twice"]
    assert new["offset-non-numeric-matched-is-fatal"]["fatal"] and not EXPECTED["4.1.0.0"]["offset-non-numeric-matched-is-fatal"]["fatal"]


@pytest.mark.parametrize("version", sorted(OUTCOMES))
@pytest.mark.parametrize("name", sorted(CASES))
def test_case(tmp_path: Path, name: str, version: str) -> None:
    got = run_case(tmp_path, CASES[name], version)
    assert got == EXPECTED[OUTCOMES[version]][name]
