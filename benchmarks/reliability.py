#!/usr/bin/env python3
"""Reliability run: thousands of generated hostile inputs through validate, the manifest parser,
the project loader (and the OCMOD engine when present). Prints cases tried, crashes, peak
memory and the slowest input. Usage: python benchmarks/reliability.py [--cases 10000] [--seed N]

A crash is any exception other than the library's own typed errors (ForgeError/ManifestError).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fuzz"))

warnings.filterwarnings("ignore", message="Duplicate name")

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import manifests, project_texts, zips  # noqa: E402

from ocmod_forge.api import load_project  # noqa: E402
from ocmod_forge.context import LintInput  # noqa: E402
from ocmod_forge.errors import ForgeError  # noqa: E402
from ocmod_forge.lint import lint  # noqa: E402
from ocmod_forge.manifest import parse_manifest  # noqa: E402
from ocmod_forge.zipread import read_zip  # noqa: E402


class Stats:
    def __init__(self) -> None:
        self.cases = 0
        self.crashes: list[tuple[str, str, str]] = []
        self.slowest: tuple[float, str, str] = (0.0, "", "")
        self.nondeterministic = 0

    def run(self, target: str, value: Any, fn: Callable[[Any], Any]) -> None:
        self.cases += 1
        started = time.perf_counter()
        try:
            first = fn(value)
            if fn(value) != first:
                self.nondeterministic += 1
        except ForgeError:
            pass
        except Exception:
            self.crashes.append((target, repr(value)[:200], traceback.format_exc(limit=3)))
        elapsed = time.perf_counter() - started
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, target, repr(value)[:120])


def validate_zip(data: bytes) -> tuple[Any, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = read_zip(data, name="fuzz.ocmod.zip")
    return lint(LintInput(tree=tree, package_name="fuzz.ocmod.zip")).diagnostics


def manifest(data: bytes) -> Any:
    try:
        return parse_manifest(data)
    except ForgeError as exc:
        return str(exc)


def _run_target(stats: Stats, name: str, strategy: Any, fn: Callable[[Any], Any], examples: int, seed_value: int) -> None:
    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(value: Any) -> None:
        stats.run(name, value, fn)

    check()


_TREE_FILES = {
    "admin/view/template/common/header.twig": "<ul id=\"menu\">\n  <li>a</li>\n</ul>\nfoo\nFOO bar\n",
    "catalog/controller/common/home.php": "<?php\nclass A {\n  function x() { return 'a'; }\n}\n",
    "system/library/x.php": "<?php\n// foo\n",
}


def engine_apply(data: bytes) -> Any:
    """Parse a generated install.xml and apply it to a small tree: outcomes must be stable."""
    from ocmod_forge.engine import Fatal, apply
    from ocmod_forge.opencart import OpenCartTree

    try:
        manifest = parse_manifest(data)
    except ForgeError:
        return None
    tree = OpenCartTree("fuzz", "3.0.3.8", sorted(_TREE_FILES), lambda key: _TREE_FILES[key].encode())
    try:
        result = apply([manifest], tree)
    except Fatal as exc:
        return ("fatal", str(exc))
    return (sorted(result.files.items()), result.log_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    stats = Stats()
    tmp = Path(tempfile.mkdtemp(prefix="ocmod-forge-reliability-"))
    counter = iter(range(10**9))

    def project(text: str) -> Any:
        path = tmp / f"p{next(counter)}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_project(path)
        except ForgeError as exc:
            return str(exc).replace(str(path), "P")

    targets: list[tuple[str, Any, Callable[[Any], Any]]] = [
        ("random-bytes-as-zip", st.binary(max_size=4096), validate_zip),
        ("generated-zip", zips(), validate_zip),
        ("manifest", manifests() | st.binary(max_size=1024), manifest),
        ("project-file", project_texts, project),
    ]
    targets.append(("engine", manifests(), engine_apply))
    per_target = max(1, args.cases // len(targets))
    started = time.perf_counter()
    for name, strategy, fn in targets:
        _run_target(stats, name, strategy, fn, per_target, args.seed)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases tried:        {stats.cases:,} ({', '.join(t[0] for t in targets)})")
    print(f"crashes:            {len(stats.crashes)}")
    print(f"nondeterministic:   {stats.nondeterministic}")
    print(f"peak memory (RSS):  {peak_mib:.1f} MiB for the whole run (every case is below it)")
    print(f"slowest input:      {stats.slowest[0] * 1000:.1f} ms [{stats.slowest[1]}] {stats.slowest[2]}")
    print(f"wall time:          {elapsed:.1f} s")
    for target, value, trace in stats.crashes[:5]:
        print(f"\n--- crash in {target}: {value}\n{trace}")
    raise SystemExit(1 if stats.crashes or stats.nondeterministic else 0)


if __name__ == "__main__":
    main()
