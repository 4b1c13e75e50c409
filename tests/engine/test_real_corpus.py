"""Real public modifications: the engine must give OpenCart's own result for each of them.

real/references.json lists each modification (repo, commit, path, sha256; no third-party text
is kept here) with the digest of what OpenCart's refresh() produced for it alone on the real
release trees (real_corpus.py, through tools/opencart-refresh). The files themselves come from
a corpus folder outside the repository:

    OCMOD_FORGE_CORPUS=/path/to/ocmod-real OCMOD_FORGE_TREES=/path/to/releases pytest tests/engine

``OCMOD_FORGE_TREES`` holds one folder per release tag (``3.0.3.8/upload/…``). Without both the
test skips.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from real_corpus import corpus_files, digest, engine_answer

from ocmod_forge.opencart import load_tree

REFERENCES = json.loads((Path(__file__).parent / "real" / "references.json").read_text(encoding="utf-8"))
CORPUS = os.environ.get("OCMOD_FORGE_CORPUS")
TREES = os.environ.get("OCMOD_FORGE_TREES")
TAGS = sorted({tag for ref in REFERENCES for tag in ref["expected"]})


def test_references_are_complete() -> None:
    assert len(REFERENCES) >= 500
    assert all(len(ref["sha256"]) == 64 and ref["repo"] and ref["path"] and ref["expected"] for ref in REFERENCES)


@pytest.mark.parametrize("tag", TAGS)
def test_real_modifications(tag: str) -> None:
    if not CORPUS or not Path(CORPUS, "references.json").is_file():
        pytest.skip("OCMOD_FORGE_CORPUS is not set to a corpus folder with references.json")
    if not TREES or not (Path(TREES) / tag / "upload").is_dir():
        pytest.skip(f"OCMOD_FORGE_TREES has no {tag}/upload release tree")
    files = corpus_files(Path(CORPUS))
    tree = load_tree(Path(TREES) / tag)
    wanted = [ref for ref in REFERENCES if tag in ref["expected"]]
    missing = [ref["sha256"] for ref in wanted if ref["sha256"] not in files]
    assert not missing, f"{len(missing)} referenced files are not in the corpus, e.g. {missing[:3]}"
    mismatches = []
    for ref in wanted:
        answer, exact, note = engine_answer(files[ref["sha256"]].read_bytes(), tree, tag)
        assert exact and answer, f"{ref['repo']}:{ref['path']}: not emulated ({note})"
        if digest(answer) != ref["expected"][tag]:
            mismatches.append(f"{ref['repo']}:{ref['path']}")
    assert not mismatches, f"{len(mismatches)} of {len(wanted)} differ from OpenCart {tag}: {mismatches[:5]}"
