#!/usr/bin/env python3
"""Wall time and peak memory of `ocmod-forge build`, against a bare zipfile baseline.

Usage: python benchmarks/build_bench.py [--repeat N] [--sizes 10,100,1000,5000]

For the MesChain project and for synthetic projects of N files it runs, each in a fresh
process, (a) `ocmod-forge build` and (b) a baseline: `python -c "import zipfile"` writing the
same files into a zip. It prints a table of the best wall time of N runs and peak RSS, and the
ratio build/baseline (budget for MesChain: at most 3x). Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BASELINE = """
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
    for info in zin.infolist():
        zout.writestr(info.filename, zin.read(info))
"""


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process, measured with wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss


def best(cmd: list[str], cwd: Path, repeat: int) -> tuple[float, int]:
    results = [run(cmd, cwd) for _ in range(repeat)]
    return min(r[0] for r in results), max(r[1] for r in results)


def synthetic_project(root: Path, files: int) -> Path:
    """A project of `files` Twig files: a third rendered templates, the rest copied verbatim."""
    (root / "templates" / "upload").mkdir(parents=True)
    (root / "ocmod-forge.yaml").write_text(
        "extension: {name: Bench, code: bench, version: 1.0.0}\npackage: {output: dist}\nvars: {greeting: hello}\n",
        encoding="utf-8",
    )
    (root / "templates" / "install.xml.j2").write_text(
        "<modification><name>[= ext.name =]</name><code>[= ext.code =]</code></modification>\n", encoding="utf-8"
    )
    body = "".join(f'  <div class="row-{i}">{{{{ value_{i} }}}}</div>\n' for i in range(40))
    for i in range(files - 1):
        folder = root / "templates" / "upload" / "admin" / "view" / "template" / "extension" / f"d{i // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 3 == 0:
            (folder / f"f{i}.twig.j2").write_text(f"{{# [= ext.name =] [= vars.greeting =] #}}\n{{% if a %}}\n{body}{{% endif %}}\n", encoding="utf-8")
        else:
            (folder / f"f{i}.twig").write_text(f"{{% if a %}}\n{body}{{% endif %}}\n", encoding="utf-8")
    return root


# The checks issue 2 asked the build for (manifest parse and required fields, SQL splitting);
# `build` runs every rule by default, like `validate`.
BUILD_CHECKS = "MAN001,MAN002,MAN003,MAN004,MAN005,SQL001"


def measure(name: str, project: Path, files: int, repeat: int, work: Path, extra: tuple[str, ...] = ()) -> tuple[str, int, float, int, float, int]:
    out = work / f"out-{name}"
    build = best([sys.executable, "-m", "ocmod_forge", "build", str(project), "-o", str(out), *extra], work, repeat)
    zip_path = next(out.glob("*.ocmod.zip"))
    with zipfile.ZipFile(zip_path) as zf:
        entries = len([i for i in zf.infolist() if not i.is_dir()])
    base = best([sys.executable, "-c", BASELINE, str(zip_path), str(work / f"baseline-{name}.zip")], work, repeat)
    return name, entries or files, build[0], build[1], base[0], base[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,1000,5000")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows.append(measure("meschain", REPO, 0, args.repeat, work))
        rows.append(measure("meschain-min", REPO, 0, args.repeat, work, ("--select", BUILD_CHECKS)))
        for size in [int(s) for s in args.sizes.split(",") if s]:
            project = synthetic_project(work / f"p{size}", size)
            rows.append(measure(f"synthetic-{size}", project, size, args.repeat, work))
    print(f"{'project':<16} {'files':>6} {'build s':>8} {'build MiB':>9} {'base s':>7} {'base MiB':>8} {'ratio':>6} {'ms/file':>8}")
    for name, files, bt, bm, zt, zm in rows:
        print(f"{name:<16} {files:>6} {bt:>8.3f} {bm / 1024:>9.1f} {zt:>7.3f} {zm / 1024:>8.1f} {bt / zt:>6.2f} {1000 * bt / max(files, 1):>8.3f}")
    for row, label in ((rows[0], "all rules"), (rows[1], f"--select {BUILD_CHECKS}")):
        ratio = row[2] / row[4]
        print(f"MesChain build ({label}) / baseline = {ratio:.2f} (budget 3.00): {'OK' if ratio <= 3 else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
