#!/usr/bin/env python3
"""Random OCMOD cases for the differential test (our own generator: seeded, deterministic).

    python tests/engine/generate.py --seed 20261203 --count 6000 --out cases.json.gz

Each case is synthetic target files plus one to three modifications, in the corpus format
(``{"cases": {name: {"files": {path: text}, "mods": [xml, …]}}}``). The space covered: positions,
offsets (negative, zero, positive, past either end, odd strings), index lists, regex searches
with limits and every kind of replacement reference, ignoreif (plain and regex), trim
attributes, multi-line adds, several operations, files and modifications, error modes, glob
paths with braces, CRLF files. Feed the result to tools/opencart-refresh for OpenCart's answer.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path
from xml.sax.saxutils import quoteattr

WORDS = ["foo", "Foo", "FOO", "bar", "baz", "<div>", "</div>", "{{ x }}", "$data['a']", "qux", "a.b", "x(1)", "é", "tab\there", "  "]
FOLDERS = ["admin/view/template/g", "catalog/controller/g", "system/library/g", "catalog/view/theme/default/template/g", "extension/demo/admin/view/template/g"]


def line(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3)))


def text(rng: random.Random) -> str:
    body = "\n".join(line(rng) for _ in range(rng.randint(0, 12)))
    if rng.random() < 0.7:
        body += "\n"
    if rng.random() < 0.15:
        body = body.replace("\n", "\r\n")
    if rng.random() < 0.05:
        body = body.replace("bar", "bar\r")
    return body


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def pick_search(rng: random.Random, files: dict[str, str]) -> str:
    roll = rng.random()
    if roll < 0.55:
        return rng.choice(WORDS[:12])
    if roll < 0.75 and files:
        source = rng.choice(list(files.values())).replace("\r", "").split("\n")
        chosen = rng.choice(source)
        if chosen and rng.random() < 0.5:
            start = rng.randint(0, len(chosen) - 1)
            chosen = chosen[start : start + rng.randint(1, 6)]
        return chosen
    return rng.choice(["nothing-here", "  foo  ", "", "   ", "foo\nbar", "FoO", "a", "}", " bar"])


REGEXES = [
    "~foo~", "~(f)(o)o~i", "/^bar/m", "~a(.*?)b~s", "~\\d+~", "~(~", "~[a-z]+~", "/foo$/", "/FOO/i", "#<div>(.*?)</div>#s",
    "~(?<w>ba[rz])~", "~\\bqux\\b~", "~x\\(1\\)~", "/é/u", "/./u", "~.~", "~^~m", "~$~m", "~x*~", "{foo}", "(bar)i", "/a/b/",
    "~foo~e", "~\\Kfoo~", "~(?|(a)|(b))~", "/\\h+/", "~baz\\z~", "~baz\\Z~", "~(?i)foo~", "~fo{1,2}~", "~fo{,2}~", "~\\Qa.b\\E~",
    "~[[:alpha:]]+~", "~[^\\s]+~", "~(foo|bar)+?~U", "~ (f) o o ~x", "~\\x41~i", "~(a)?b\\1~",
]
REPLACEMENTS = ["X", "$1", "\\1", "${1}x", "\\\\", "\\$1", "$a", "\\2-$2", "${12}", "$", "\\", "[$0]", "\\0\\0", "a\\nb", "$1$1", "${w}"]


def operation(rng: random.Random, files: dict[str, str]) -> str:
    attrs = ""
    if rng.random() < 0.5:
        attrs += " error=" + quoteattr(rng.choice(["skip", "abort", "log", "Skip", ""]))
    inner = ""
    if rng.random() < 0.12:
        if rng.random() < 0.6:
            inner += "<ignoreif>" + cdata(rng.choice(["foo", "bar", "zzz", "", "FOO"])) + "</ignoreif>"
        else:
            inner += "<ignoreif regex=\"true\">" + cdata(rng.choice(["~foo~", "~zzz~", "~(~", "/^bar/m"])) + "</ignoreif>"
    if rng.random() < 0.2:
        search_attrs = " regex=\"true\""
        if rng.random() < 0.5:
            search_attrs += " limit=" + quoteattr(rng.choice(["", "0", "1", "2", "-1", "x", "1.5", " 1", "0.0", "3"]))
        inner += f"<search{search_attrs}>" + cdata(rng.choice(REGEXES)) + "</search>"
        inner += "<add>" + cdata(rng.choice(REPLACEMENTS)) + "</add>"
        return f"<operation{attrs}>{inner}</operation>"
    search_attrs = ""
    if rng.random() < 0.2:
        search_attrs += " trim=" + quoteattr(rng.choice(["true", "false", "0", "no", ""]))
    if rng.random() < 0.25:
        search_attrs += " index=" + quoteattr(rng.choice(["0", "1", "2", "0,2", " 1", "5", "a", ",", "1x", "1.0", "0, 1"]))
    inner += f"<search{search_attrs}>" + cdata(pick_search(rng, files)) + "</search>"
    add_attrs = ""
    roll = rng.random()
    if roll < 0.85:
        add_attrs += " position=" + quoteattr(rng.choice(["before", "after", "replace", "before", "after", "After", "bottom", ""]))
    if rng.random() < 0.5:
        add_attrs += " offset=" + quoteattr(rng.choice(["0", "1", "2", "-1", "-2", "3", "-3", "9", "-9", "", " 1", "1x", "abc", "1.5", "-1.5", "+1", "5x"]))
    if rng.random() < 0.15:
        add_attrs += " trim=" + quoteattr(rng.choice(["true", "false"]))
    add = rng.choice(["X", "Y\nZ", "  pad  ", "", "foo again", "line1\nfoo\nline3", "\n", "bar"])
    if rng.random() < 0.1:
        inner += f"<add{add_attrs}>" + add.replace("&", "&amp;").replace("<", "&lt;") + "</add>"
    else:
        inner += f"<add{add_attrs}>" + cdata(add) + "</add>"
    if rng.random() < 0.01:
        inner = inner.split("<add")[0]  # no <add>: fatal (or skipped in 3.0.5.1)
    return f"<operation{attrs}>{inner}</operation>"


def path_for(rng: random.Random, names: list[str]) -> str:
    name = rng.choice(names)
    folder, base = name.rsplit("/", 1)
    roll = rng.random()
    if roll < 0.6:
        return name
    if roll < 0.7:
        return folder + "/*.twig"
    if roll < 0.8:
        other = rng.choice(names).rsplit("/", 1)[1].rsplit(".", 1)[0]
        stem, ext = base.rsplit(".", 1)
        return folder + "/{" + stem + "," + other + "," + stem + "}." + ext
    if roll < 0.85:
        return name + "|" + rng.choice(names)
    if roll < 0.9:
        return name + " | " + rng.choice(names)
    if roll < 0.94:
        return name.replace("/", "\\")
    return rng.choice([folder + "/nope.twig", "image/x.png", name + "|" + folder + "/missing.php", folder + "/?.twig", folder + "/[ab]*"])


def case(rng: random.Random) -> dict[str, object]:
    files: dict[str, str] = {}
    for _ in range(rng.randint(1, 3)):
        folder = rng.choice(FOLDERS)
        files[f"{folder}/{rng.choice('abc')}.{rng.choice(['twig', 'php'])}"] = text(rng)
    names = sorted(files)
    mods = []
    for m in range(rng.randint(1, 3)):
        blocks = []
        for _ in range(rng.randint(1, 2)):
            ops = "".join(operation(rng, files) for _ in range(rng.randint(1, 3)))
            blocks.append(f"<file path={quoteattr(path_for(rng, names))}>{ops}</file>")
        name = rng.choice(["A", "B", "m", "Z"]) + str(m)
        mods.append(f"<modification><name>{name}</name><code>c{m}</code>{''.join(blocks)}</modification>")
    return {"files": files, "mods": mods}


def generate(seed: int, count: int) -> dict[str, dict[str, object]]:
    """``count`` cases from ``seed``; the same arguments always give the same cases."""
    rng = random.Random(seed)
    return {f"g{seed}-{n:05d}": case(rng) for n in range(count)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = json.dumps({"cases": generate(args.seed, args.count)}, sort_keys=True, ensure_ascii=False).encode("utf-8")
    args.out.write_bytes(gzip.compress(data, mtime=0) if args.out.suffix == ".gz" else data)


if __name__ == "__main__":
    main()
