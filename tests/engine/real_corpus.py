#!/usr/bin/env python3
"""Real public modifications through the engine and through OpenCart's own refresh.

    python tests/engine/real_corpus.py --corpus /work/corpus/ocmod-real --trees /path/to/releases \\
        [--write tests/engine/real/references.json]

The corpus (kept outside the repository) has ``references.json`` (repo, commit, path, sha256,
``version_dir``) and the files. Each modification of the 3.0 and 4.1 folders is applied alone
to the real release trees (``<trees>/<tag>/upload``) — after 3.0's core system/modification.xml,
as in a store — by the engine and by tools/opencart-refresh (``--tree`` mode). Results are
compared by digest. ``--write`` stores only references and OpenCart's digests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ocmod_forge.engine import Fatal, apply, flags_for, order_modifications
from ocmod_forge.manifest import Manifest, ManifestError, parse_manifest
from ocmod_forge.opencart import OpenCartTree, load_tree

HERE = Path(__file__).resolve().parent
# The corpus folder a modification sits in (its claimed version) -> the releases it is run on.
# 2.x and unclaimed files are run on 3.0.3.8 too: OpenCart loads them, so the engine must not fail.
TAGS = {"3.0": ("3.0.2.0", "3.0.3.8", "3.0.5.1"), "4.1": ("4.1.0.0", "4.1.0.4"), "2.x": ("3.0.3.8",), "unknown": ("3.0.3.8",)}
_NO_MODIFICATION = parse_manifest(b"<x/>", "unparsable")


def corpus_files(corpus: Path) -> dict[str, Path]:
    """Every file of the corpus by sha256."""
    out: dict[str, Path] = {}
    for path in sorted(corpus.rglob("*.xml")):
        out.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return out


def digest(answer: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(answer, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogateescape")).hexdigest()


def _json_text(text: str) -> Any:
    sys.path.insert(0, str(HERE))
    from replay import json_text

    return json_text(text)


def engine_answer(data: bytes, tree: OpenCartTree, version: str) -> tuple[dict[str, Any], bool, str]:
    """(answer in the harness's shape, exact, note) for one modification alone on a tree."""
    flags = flags_for(version)
    note = ""
    try:
        manifest: Manifest = parse_manifest(data, "install.xml")
    except ManifestError as exc:
        if exc.kind == "dtd":
            return {}, False, "refused by ocmod-forge's parser (DTD)"
        manifest = _NO_MODIFICATION  # libxml2 fails too: DOM without a <modification>
        note = "does not parse"
    core: list[Manifest] = []
    if flags.core_modification and tree.exists("system/modification.xml"):
        core.append(parse_manifest(tree.read("system/modification.xml").encode("utf-8", "surrogateescape"), "system/modification.xml"))
    try:
        result = apply(order_modifications(core, [], [manifest]), tree, flags)
    except Fatal as exc:
        return {"fatal": True, "files": {}, "log": ""}, exc.exact, note
    answer = {"fatal": False, "files": {k: _json_text(v) for k, v in result.files.items()}, "log": result.log_text()}
    return answer, result.exact, note


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--trees", type=Path, required=True)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent.parent / "tools" / "opencart-refresh"))
    from opencart_refresh import run

    references = json.loads((args.corpus / "references.json").read_text(encoding="utf-8"))
    files = corpus_files(args.corpus)
    chosen = [r for r in references if r.get("version_dir") in TAGS and r.get("kind") == "ocmod" and r["sha256"] in files]
    chosen = list({r["sha256"]: r for r in chosen}.values())
    out = []
    totals: dict[str, int] = {}
    for version_dir, tags in TAGS.items():
        group = [r for r in chosen if r["version_dir"] == version_dir]
        cases = {r["sha256"]: {"files": {}, "mods": [files[r["sha256"]].read_bytes().decode("utf-8", "surrogateescape")]} for r in group}
        for tag in tags:
            php = run(args.trees / tag, cases, tree=True)
            tree = load_tree(args.trees / tag)
            counts = {"modifications": len(group), "mismatches": 0, "internal errors": 0, "unsupported": 0, "refused": 0, "fatal": 0}
            for ref in group:
                sha = ref["sha256"]
                expected = php[sha]
                ref.setdefault("expected", {})[tag] = digest(expected)
                counts["fatal"] += expected["fatal"]
                try:
                    answer, exact, note = engine_answer(files[sha].read_bytes(), tree, tag)
                except Exception as exc:
                    counts["internal errors"] += 1
                    print(f"{tag} {files[sha]}: internal error {exc!r}")
                    continue
                if not answer:
                    counts["refused"] += 1
                    print(f"{tag} {files[sha]}: {note}")
                elif not exact:
                    counts["unsupported"] += 1
                elif answer != expected:
                    counts["mismatches"] += 1
                    print(f"{tag} {files[sha]}: MISMATCH {note}")
            print(tag, counts)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
        out.extend(group)
    print("total", totals)
    if args.write:
        keep = ("repo", "commit", "path", "sha256", "version_dir", "expected")
        rows = sorted(({k: r[k] for k in keep if k in r} for r in out), key=lambda r: (r["version_dir"], r["repo"], r["path"], r["sha256"]))
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
