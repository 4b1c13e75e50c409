"""The conformance corpus: the engine must write exactly what OpenCart 3.0.3.8's refresh wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ocmod_forge.engine import Flags, apply
from ocmod_forge.manifest import parse_manifest
from ocmod_forge.opencart import load_tree

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))["cases"]
EXPECTED = json.loads((HERE / "expected-3.0.3.8.json").read_text(encoding="utf-8"))


def run_case(tmp_path: Path, case: dict) -> tuple[dict[str, str], str]:
    root = tmp_path / "upload"
    for folder in ("admin", "catalog", "system"):
        (root / folder).mkdir(parents=True)
    for rel, text in case["files"].items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    manifests = [parse_manifest(xml.encode("utf-8"), f"m{i}.xml") for i, xml in enumerate(case["mods"])]
    result = apply(manifests, load_tree(root), Flags(version="3.0.3.8"))
    return result.files, result.log_text()


def test_corpus_and_expectations_match() -> None:
    assert set(CASES) == set(EXPECTED) and len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(tmp_path: Path, name: str) -> None:
    files, log = run_case(tmp_path, CASES[name])
    expected = EXPECTED[name]
    assert files == expected["files"]
    assert log == expected["log"]
