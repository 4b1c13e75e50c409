#!/usr/bin/env python3
"""Wall time of `ocmod-forge try` for MesChain: setup + install + pages + uninstall, per phase.

Usage: python benchmarks/try_bench.py [--opencart PATH ...] [--repeat N] [--package PATH]

Builds the MesChain project of this repository (unless --package is given), then runs the
library's `run_try` N times with all releases given (one private database server per run,
releases one after another, as the command does) and prints, per run, the total wall time
(including the database server's start and the clean-up) and each release's phases. The
budget: MesChain on OpenCart 3.0.3.8 in under 30 s on 2 cores. Needs php and mariadbd (or
mysqld); release trees default to $OCMOD_FORGE_TRY_OPENCART, else /work/oc/3.0.3.8. Nothing
here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opencart", action="append", default=[], help="release tree or zip (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--package", type=Path, default=None, help="package to try instead of the MesChain build")
    args = parser.parse_args()
    releases = tuple(args.opencart) or tuple(p for p in os.environ.get("OCMOD_FORGE_TRY_OPENCART", "/work/oc/3.0.3.8").split(os.pathsep) if p)

    from ocmod_forge.api import build
    from ocmod_forge.diagnostics import Severity
    from ocmod_forge.tryout import TryOptions, run_try

    with tempfile.TemporaryDirectory() as tmp:
        package = args.package
        if package is None:
            result = build(REPO / "ocmod-forge.yaml", output=Path(tmp))
            if result.archive is None:
                raise SystemExit("the MesChain build failed; run `ocmod-forge build` to see why")
            package = result.archive.path
        print(f"package {package.name}; releases {', '.join(releases)}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}")
        totals = []
        for n in range(1, args.repeat + 1):
            start = time.perf_counter()
            outcome = run_try(package, TryOptions(releases=releases))
            total = time.perf_counter() - start
            totals.append(total)
            problems = outcome.report.at_or_above(Severity.WARNING)
            print(f"run {n}: {total:6.2f} s total, {problems} findings at warning or above")
            for run in outcome.runs:
                phases = "  ".join(f"{name or 'end'} {seconds:.2f}" for name, seconds in run.phases if name)
                print(f"  {run.release:<8} {run.seconds:6.2f} s  pages {run.pages:<3} {phases}")
        best = min(totals)
        verdict = "within" if best < BUDGET else "OVER"
        print(f"best {best:.2f} s, median {sorted(totals)[len(totals) // 2]:.2f} s ({verdict} the {BUDGET:.0f} s budget)")
        return 0 if best < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
