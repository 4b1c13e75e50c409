#!/usr/bin/env python3
"""Random PCRE patterns and what PHP's preg_* make of them (our own generator and probe).

    python tests/engine/pcre_differential.py --out tests/engine/generated/pcre.json.gz

For each pattern PHP says whether it compiles, and if so where preg_match_all matches on a
fixed subject and what preg_replace returns with a replacement using references. The engine's
translator must agree or say "unsupported" (test_pcre.py). Needs php on PATH.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ATOMS = [
    "a", "b", "\\d", "\\w", "\\s", ".", "[ab]", "[^a]", "(a)", "(b|c)", "(?:ab)", "x", "\\(", "é", "[a-c]", "\\bA", "^", "$",
    "\\n", "(?=b)", "(?!a)", "(?<=a)", "\\1", "{", "}", "\\h", "\\v", "\\R", "[[:digit:]]", "\\Q.\\E", "\\x41", "\\e", "(?i:a)",
    "a{2}", "a{,2}", "[]a]", "[a-]", "\\z", "\\Z", "\\A", "(?<n>b)", "\\k<n>", "|", "*", "+", "?", "*?", "++", "(", ")", "[",
    "\\", "\\$", "[\\d-z]", "(?#c)", "\\G", "\\K", "(?|a)", "\\p{L}", "\\N", "[\\w.]", "\\/", "#", " ", "\\t", "(?s:.)",
]
SUBJECT = "ab AB a1 b2\nxx(ab)é  \tc\nABC\nab\n$1 {x}\n"
REPLACEMENT = "[$1|\\2|${1}]"
PROBE = r"""<?php
$in = json_decode(file_get_contents($argv[1]), true);
$out = [];
foreach ($in['patterns'] as $p) {
	$count = @preg_match_all($p, $in['subject'], $m, PREG_OFFSET_CAPTURE);
	if ($count === false) {
		$out[] = preg_last_error() === PREG_INTERNAL_ERROR ? 'invalid' : 'error';
		continue;
	}
	$row = [];
	foreach ($m[0] as $x) {
		$row[] = [$x[1], strlen($x[0])];
	}
	$out[] = ['matches' => $row, 'replaced' => base64_encode((string)@preg_replace($p, $in['replacement'], $in['subject']))];
}
file_put_contents($argv[2], json_encode($out));
"""


def patterns(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        body = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 6)))
        modifiers = "".join(rng.sample("imsxuDU", rng.randint(0, 2)))
        out.append("~" + body.replace("~", "") + "~" + modifiers)
    return out


def probe(pats: list[str]) -> list[Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "probe.php").write_text(PROBE, encoding="utf-8")
        (work / "in.json").write_text(json.dumps({"patterns": pats, "subject": SUBJECT, "replacement": REPLACEMENT}), encoding="utf-8")
        subprocess.run(["php", str(work / "probe.php"), str(work / "in.json"), str(work / "out.json")], check=True)
        return json.loads((work / "out.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    pats = patterns(args.seed, args.count)
    data = {"subject": SUBJECT, "replacement": REPLACEMENT, "cases": [[p, r] for p, r in zip(pats, probe(pats), strict=True)]}
    args.out.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), mtime=0))


if __name__ == "__main__":
    main()
