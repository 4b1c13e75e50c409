#!/usr/bin/env python3
"""Expected results for the OCMOD engine, from OpenCart's own refresh code.

    python tools/opencart-refresh/opencart_refresh.py --opencart /path/to/opencart-3.0.3.8/upload \\
        --cases tests/engine/corpus.yaml --out /tmp/expected-3.0.3.8.json

``--opencart`` is a release's ``upload/`` folder (or a store root) that YOU supply; the
``refresh()`` method of its ``admin/controller/marketplace/modification.php`` and the helper
functions it calls are read from it when this runs (runner.php), so no OpenCart code is kept in
this repository. Each case (``files``: path -> text under the store root, ``mods``: install.xml
texts in the order OpenCart applies them) is run in a scratch store under PHP; the result per
case is ``{"fatal": bool, "files": {cache key: text}, "log": ocmod.log entry without timestamp}``;
a file whose bytes are not UTF-8 is ``{"base64": …}`` instead of text.

Cases come from a YAML file with a top-level ``cases`` mapping (tests/engine/corpus.yaml) or a
JSON / gzip-compressed JSON file of the same shape (``{"cases": {...}}``). Needs ``php`` (8.x,
with the dom and tokenizer extensions) on PATH.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def load_cases(path: Path) -> dict[str, Any]:
    """The ``cases`` mapping of a YAML, JSON or gzip-compressed JSON file."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if path.suffix in (".yaml", ".yml"):
        import yaml  # type: ignore[import-untyped]

        document = yaml.safe_load(data.decode("utf-8"))
    else:
        document = json.loads(data.decode("utf-8"))
    cases = document["cases"] if isinstance(document, dict) and "cases" in document else document
    if not isinstance(cases, dict):
        raise SystemExit(f"{path}: no 'cases' mapping")
    return cases


def release_root(path: Path) -> Path:
    """The folder holding admin/ and system/: the path itself or its upload/ child."""
    for candidate in (path, path / "upload"):
        if (candidate / "admin" / "controller" / "marketplace" / "modification.php").is_file():
            return candidate
    raise SystemExit(f"{path}: no admin/controller/marketplace/modification.php (not an OpenCart 3.0 or 4.1 tree)")


def run(opencart: Path, cases: dict[str, Any], php: str = "php", tree: bool = False) -> dict[str, Any]:
    """OpenCart's results for ``cases`` (name -> {files, mods}) with the release at ``opencart``.

    With ``tree`` every case runs on a scratch copy of the release's own files (the cases'
    ``files`` are ignored); 3.0's core system/modification.xml then takes part, as in a store."""
    root = release_root(opencart)
    with tempfile.TemporaryDirectory(prefix="opencart-refresh-") as tmp:
        work = Path(tmp)
        cases_file = work / "cases.json"
        out_file = work / "out.json"
        if tree:
            shutil.copytree(root, work / "store" / "upload", symlinks=True)
        cases_file.write_text(json.dumps({name: {"files": case.get("files", {}), "mods": case.get("mods", []), "tree": tree} for name, case in cases.items()}), encoding="utf-8")
        proc = subprocess.run(
            [php, "-d", "memory_limit=1G", "-d", "display_errors=stderr", str(HERE / "runner.php"), str(root), str(cases_file), str(out_file), str(work / "store")],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0 or not out_file.is_file():
            raise SystemExit(f"php failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
        results: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    for result in results.values():
        if isinstance(result["files"], list):  # json_encode writes an empty PHP array as []
            result["files"] = {}
    return results


def dump(results: dict[str, Any]) -> str:
    """The stable text of a results file."""
    return json.dumps(results, indent=1, sort_keys=True, ensure_ascii=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opencart", type=Path, required=True, help="a release's upload/ folder or store root (3.0.x or 4.1.x)")
    parser.add_argument("--cases", type=Path, required=True, help="cases: YAML (tests/engine/corpus.yaml), JSON or .json.gz")
    parser.add_argument("--out", type=Path, help="where to write the results (default: stdout); .gz compresses")
    parser.add_argument("--php", default="php", help="the PHP binary (default: php)")
    parser.add_argument("--tree", action="store_true", help="run on a copy of the release's own files instead of the cases' files")
    args = parser.parse_args()
    if shutil.which(args.php) is None:
        raise SystemExit(f"{args.php}: not found")
    text = dump(run(args.opencart, load_cases(args.cases), args.php, args.tree))
    if args.out is None:
        sys.stdout.write(text)
    elif args.out.suffix == ".gz":
        args.out.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
