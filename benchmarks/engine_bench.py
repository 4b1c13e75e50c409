#!/usr/bin/env python3
"""Speed of the OCMOD engine. Usage:

    python benchmarks/engine_bench.py --opencart /path/to/opencart-3.0.3.8/upload [--store DIR]

1. A store of modifications applied to the tree in-process (tree already loaded: its files are
   read once before timing, as a long-running process would have them): best of 5.
   ``--store DIR`` takes the first ``--count`` (60) parsable ``*.xml`` below DIR that have
   ``<file>`` elements (e.g. a corpus of real modifications);
   without it a synthetic store of 60 modifications of realistic shape is generated from the
   tree's own popular files (searches copied from their lines, 1–8 operations each, mostly
   after/before, some replace, offsets, index, a few regex).
2. ``ocmod-forge preview`` of the first modification with the others as ``--with``, in fresh
   processes: wall time, best of 5.
3. ``ocmod-forge validate`` of the bundled MesChain project with and without ``--opencart``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ocmod_forge.engine import Fatal, apply, flags_for, order_modifications
from ocmod_forge.manifest import ManifestError, parse_manifest
from ocmod_forge.opencart import load_tree

REPO = Path(__file__).resolve().parent.parent
TARGETS = [
    "admin/view/template/common/column_left.twig", "admin/view/template/catalog/product_form.twig",
    "admin/view/template/sale/order_info.twig", "catalog/view/theme/default/template/common/header.twig",
    "catalog/view/theme/default/template/product/product.twig", "catalog/controller/product/product.php",
    "admin/controller/catalog/product.php", "admin/model/catalog/product.php", "catalog/model/catalog/product.php",
    "admin/language/en-gb/catalog/product.php", "catalog/view/theme/default/template/checkout/cart.twig",
    "catalog/controller/common/header.php", "admin/view/template/common/header.twig", "catalog/controller/checkout/cart.php",
]


def best(cmd: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic_store(tree_root: Path, out: Path, count: int = 60, seed: int = 60) -> list[Path]:
    """``count`` install.xml files of realistic shape against the tree's popular files."""
    rng = random.Random(seed)
    texts = {t: (tree_root / t).read_text(encoding="utf-8", errors="replace").split("\n") for t in TARGETS if (tree_root / t).is_file()}
    paths = []
    for m in range(count):
        blocks = []
        for target in rng.sample(sorted(texts), rng.randint(1, 3)):
            lines = [line.strip() for line in texts[target] if len(line.strip()) > 8 and "]]>" not in line and "<!DOCTYPE" not in line.upper()]
            ops = []
            for _ in range(rng.randint(1, 4)):
                search = rng.choice(lines)
                roll = rng.random()
                if roll < 0.08:
                    word = "".join(c if c.isalnum() else "\\" + c for c in search.split()[0])
                    ops.append(f'<operation error="skip"><search regex="true" limit="1"><![CDATA[~{word}~]]></search><add><![CDATA[$0 /* m{m} */]]></add></operation>')
                    continue
                position = rng.choice(["after", "after", "before", "replace"])
                offset = f' offset="{rng.choice([1, 2, -1])}"' if rng.random() < 0.1 else ""
                index = ' index="0"' if rng.random() < 0.15 else ""
                add = search if position == "replace" else f"<!-- m{m} -->"
                error = rng.choice(["", ' error="skip"', ' error="log"'])
                ops.append(f'<operation{error}><search{index}><![CDATA[{search}]]></search><add position="{position}"{offset}><![CDATA[{add}]]></add></operation>')
            blocks.append(f'<file path="{target}">' + "".join(ops) + "</file>")
        path = out / f"m{m:02d}.ocmod.xml"
        path.write_text(f"<modification><name>Bench {m:02d}</name><code>bench{m}</code><version>1</version>" + "".join(blocks) + "</modification>", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opencart", type=Path, required=True, help="an OpenCart 3.0 (or 4.1) tree: store root, upload/ folder or release zip")
    parser.add_argument("--store", type=Path, help="folder of real modifications (*.xml, searched recursively)")
    parser.add_argument("--count", type=int, default=60, help="modifications taken from --store (the first N parsable ones by path)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tree = load_tree(args.opencart)
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            files = []
            for path in sorted(p for p in args.store.rglob("*.xml") if p.is_file()):
                try:
                    if parse_manifest(path.read_bytes(), str(path)).files:
                        files.append(path)
                except ManifestError:
                    continue
                if len(files) == args.count:
                    break
        else:
            root = args.opencart / "upload" if (args.opencart / "upload" / "admin").is_dir() else args.opencart
            files = synthetic_store(root, Path(tmp))
        manifests = []
        for path in files:
            try:
                manifests.append(parse_manifest(path.read_bytes(), str(path)))
            except ManifestError:
                continue
        ordered = order_modifications([], [], manifests)
        flags = flags_for(tree.version)

        def once() -> tuple[float, str]:
            start = time.perf_counter()
            try:
                result = apply(ordered, tree, flags)
                summary = f"{len(result.outcomes)} operations, {sum(o.status == 'applied' for o in result.outcomes)} applied, {len(result.files)} files written"
            except Fatal as exc:
                summary = f"fatal: {exc}"
            return time.perf_counter() - start, summary

        once()  # the tree's files are read and cached: "tree already loaded"
        timings = [once() for _ in range(args.repeat)]
        elapsed = min(t for t, _ in timings)
        print(f"apply {len(manifests)} modifications to OpenCart {tree.version} in-process: {elapsed * 1000:.1f} ms (best of {args.repeat}; {timings[0][1]})")
        store = Path(tmp) / "with"
        store.mkdir()
        for path in files[1:]:
            (store / (path.stem + f"-{len(list(store.iterdir()))}.ocmod.xml")).write_bytes(path.read_bytes())
        package = Path(tmp) / "pkg"
        package.mkdir()
        (package / "install.xml").write_bytes(files[0].read_bytes())
        wall = best([sys.executable, "-m", "ocmod_forge", "preview", str(package), "--opencart", str(args.opencart), "--with", str(store), "--no-diff"], args.repeat)
        print(f"ocmod-forge preview (1 package + {len(files) - 1} --with): {wall * 1000:.1f} ms wall (best of {args.repeat})")
    base = [sys.executable, "-m", "ocmod_forge", "validate", str(REPO)]
    plain = best(base, args.repeat)
    with_tree = best([*base, "--opencart", str(args.opencart)], args.repeat)
    print(f"validate MesChain: {plain * 1000:.1f} ms without --opencart, {with_tree * 1000:.1f} ms with")


if __name__ == "__main__":
    main()
