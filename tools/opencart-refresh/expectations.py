#!/usr/bin/env python3
"""Expected results of a case file for many OpenCart releases, one file per distinct outcome.

    python tools/opencart-refresh/expectations.py --trees /path/to/releases \\
        --cases tests/engine/generated/cases.json.gz --out tests/engine/generated --gzip

``--trees`` holds one folder per release tag (``3.0.3.8/upload/…``, ``4.1.0.4/upload/…``) that
you supply. Every tag is run with opencart_refresh.py; tags whose results are identical form one
group, written once as ``expected-<first tag>.json`` (or ``.json.gz``), and ``groups.json`` maps
every tag to its group. Default tags: 3.0.2.0–3.0.5.1 and 4.1.0.0–4.1.0.4.
"""

from __future__ import annotations

import argparse
import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from opencart_refresh import dump, load_cases, run

TAGS = (
    "3.0.2.0", "3.0.3.0", "3.0.3.1", "3.0.3.2", "3.0.3.3", "3.0.3.4", "3.0.3.5", "3.0.3.6", "3.0.3.7", "3.0.3.8",
    "3.0.3.9", "3.0.4.0", "3.0.4.1", "3.0.5.0", "3.0.5.1", "4.1.0.0", "4.1.0.1", "4.1.0.2", "4.1.0.3", "4.1.0.4",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trees", type=Path, required=True, help="folder with one release folder per tag")
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder for expected-<tag>.json and groups.json")
    parser.add_argument("--tags", nargs="*", default=list(TAGS))
    parser.add_argument("--gzip", action="store_true", help="write expected-<tag>.json.gz")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    cases = load_cases(args.cases)
    with ThreadPoolExecutor(args.jobs) as pool:
        texts = dict(zip(args.tags, pool.map(lambda tag: dump(run(args.trees / tag, cases)), args.tags), strict=True))
    groups: dict[str, str] = {}
    first: dict[str, str] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    for tag in args.tags:
        text = texts[tag]
        if text not in first:
            first[text] = tag
            name = f"expected-{tag}.json"
            if args.gzip:
                (args.out / (name + ".gz")).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
            else:
                (args.out / name).write_text(text, encoding="utf-8")
        groups[tag] = first[text]
    (args.out / "groups.json").write_text(json.dumps(groups, indent=1) + "\n", encoding="utf-8")
    for group in sorted(set(groups.values())):
        print(group + ": " + ", ".join(tag for tag in args.tags if groups[tag] == group))


if __name__ == "__main__":
    main()
