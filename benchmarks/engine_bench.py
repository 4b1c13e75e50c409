#!/usr/bin/env python3
"""Speed of anchor simulation. Usage: python benchmarks/engine_bench.py [--opencart PATH]

1. `ocmod-forge validate` of the bundled MesChain project with and without --opencart PATH (a full
   OpenCart 3.0 store root, upload/ folder or release zip), in fresh processes: best of 5.
2. A synthetic package of 500 operations over 200 target files against a synthetic tree,
   in-process: build time of the tree excluded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ocmod_forge.engine import Flags, apply
from ocmod_forge.manifest import parse_manifest
from ocmod_forge.opencart import load_tree

REPO = Path(__file__).resolve().parent.parent


def best(cmd: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(root: Path, files: int = 200, operations: int = 500) -> bytes:
    (root / "admin").mkdir(parents=True)
    (root / "system").mkdir()
    (root / "catalog").mkdir()
    for f in range(files):
        folder = root / "admin" / "view" / "template" / f"d{f % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"t{f}.twig").write_text("".join(f"<div class=\"row-{i}\">{{{{ v{i} }}}}</div>\n" for i in range(300)), encoding="utf-8")
    parts = ['<modification><name>bench</name><code>bench</code>']
    for f in range(files):
        parts.append(f'<file path="admin/view/template/d{f % 10}/t{f}.twig">')
        for k in range(operations * (f + 1) // files - operations * f // files):  # spread evenly
            parts.append(f'<operation><search><![CDATA[<div class="row-{(k * 37) % 300}">]]></search><add position="after"><![CDATA[<p>x</p>]]></add></operation>')
        parts.append("</file>")
    parts.append("</modification>")
    return "".join(parts).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opencart", type=Path, help="OpenCart 3.0 tree for the MesChain measurement")
    args = parser.parse_args()
    base = [sys.executable, "-m", "ocmod_forge", "validate", str(REPO)]
    plain = best(base)
    print(f"validate MesChain, no --opencart:        {plain * 1000:7.1f} ms")
    if args.opencart:
        with_tree = best([*base, "--opencart", str(args.opencart)])
        print(f"validate MesChain, --opencart {args.opencart.name}: {with_tree * 1000:7.1f} ms (simulation adds {1000 * (with_tree - plain):.1f} ms)")
    with tempfile.TemporaryDirectory() as tmp:
        xml = synthetic(Path(tmp))
        manifest = parse_manifest(xml)
        start = time.perf_counter()
        tree = load_tree(Path(tmp))
        result = apply([manifest], tree, Flags())
        elapsed = time.perf_counter() - start
        applied = sum(1 for o in result.outcomes if o.status == "applied")
        print(f"synthetic: {len(result.outcomes)} operations over {len(result.files)} files: {elapsed * 1000:.1f} ms ({applied} applied)")


if __name__ == "__main__":
    main()
