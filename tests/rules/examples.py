"""Rule docstring examples as test cases.

Every rule's docstring holds ``Fail::`` and ``Pass::`` literal blocks (reST), each a small
package written as files, for example::

    Fail::

        === upload/system/library/x.php
        <?php
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);

A line ``=== <what>`` starts a piece; the lines after it (up to the next ``===`` line or the
end of the block) are its content:

- ``=== PATH``: a package file (content + newline); ``=== PATH (empty)``: a 0-byte file,
  ``=== PATH (no newline)``: without the final newline, ``=== PATH (bom)``: with a UTF-8 BOM
- ``=== sql: PATH``: a project SQL file (``sql/install.sql``)
- ``=== opencart VERSION: PATH``: a file of an OpenCart tree of that version (anchors);
  ``=== opencart VERSION: FOLDER (php-twig)``: FOLDER is the system's Twig (Debian's php-twig,
  ``/usr/share/php/Twig``) linked into the tree, nothing when it is not installed (TWG003 then
  reports the tree as having no Twig, and the example is skipped with that reason)
- ``=== with: NAME``: another installed modification (its install.xml)
- ``=== zip: NAME``: the package's file name; ``=== target: 4.1``: the OpenCart generation;
  ``=== php: 7.4``: a PHP version every PHP file must compile with (repeatable)
- ``=== zip-entry: BUILDER ARGS``: a zip built entry by entry (hostile-zip rules); the
  builders are in ``build_zip`` below
- ``=== expect: PATH:LINE``: (Fail only) where a finding must be

Several Fail/Pass blocks may follow each other. This module turns them into packages, OpenCart
trees and lint inputs; tests/rules/test_rule_docs.py runs them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ocmod_forge.context import LintInput
from ocmod_forge.tree import PackageFile, PackageTree
from ocmod_forge.zipread import read_zip
from zipbuild import corrupt, legacy_name, set_encrypted, symlink_entry, zeros_entry, zip_bytes

HEADER_RE = re.compile(r"^=== (.+?)\s*$")
SYSTEM_TWIG = Path("/usr/share/php/Twig")  # Debian's php-twig: a real Twig 3 that is not ours to copy
BLOCK_RE = re.compile(r"^(Fail|Pass)::\s*$")


@dataclass
class Example:
    """One Fail or Pass block of a rule's docstring."""

    kind: str  # "Fail" or "Pass"
    index: int  # the n-th block of that kind
    files: dict[str, bytes] = field(default_factory=dict)
    sql: dict[str, str] = field(default_factory=dict)
    opencart: dict[str, dict[str, str]] = field(default_factory=dict)  # version → path → text
    others: dict[str, str] = field(default_factory=dict)  # --with name → install.xml text
    zip_name: str | None = None
    target: str = "3.0"
    php: list[str] = field(default_factory=list)
    zip_entries: list[str] = field(default_factory=list)
    expect: list[tuple[str, int]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.kind.lower()}{self.index}"


def parse_examples(doc: str) -> list[Example]:
    """Every ``Fail::``/``Pass::`` block of a docstring, in order."""
    lines = doc.split("\n")
    examples: list[Example] = []
    counts = {"Fail": 0, "Pass": 0}
    i = 0
    while i < len(lines):
        m = BLOCK_RE.match(lines[i].strip())
        if not m:
            i += 1
            continue
        kind = m.group(1)
        i += 1
        block: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
            block.append(lines[i])
            i += 1
        counts[kind] += 1
        examples.append(_example(kind, counts[kind], block))
    return examples


def _dedent(block: list[str]) -> list[str]:
    indents = [len(line) - len(line.lstrip()) for line in block if line.strip()]
    cut = min(indents) if indents else 0
    while block and not block[-1].strip():
        block = block[:-1]
    while block and not block[0].strip():
        block = block[1:]
    return [line[cut:] for line in block]


def _example(kind: str, index: int, block: list[str]) -> Example:
    ex = Example(kind, index)
    pieces: list[tuple[str, list[str]]] = []
    for line in _dedent(block):
        m = HEADER_RE.match(line)
        if m:
            pieces.append((m.group(1), []))
        elif pieces:
            pieces[-1][1].append(line)
        else:
            raise ValueError(f"{kind} example: text before the first '=== ' header: {line!r}")
    for head, content in pieces:
        text = "\n".join(content)
        if head.startswith("sql: "):
            ex.sql[head[5:]] = text + "\n"
        elif head.startswith("opencart "):
            version, _, path = head[9:].partition(": ")
            ex.opencart.setdefault(version, {})[path] = text + "\n"
        elif head.startswith("with: "):
            ex.others[head[6:]] = text + "\n"
        elif head.startswith("zip: "):
            ex.zip_name = head[5:]
        elif head.startswith("target: "):
            ex.target = head[8:]
        elif head.startswith("php: "):
            ex.php.append(head[5:].strip())
        elif head.startswith("zip-entry: "):
            ex.zip_entries.append(head[11:])
        elif head.startswith("expect: "):
            path, _, line = head[8:].rpartition(":")
            ex.expect.append((path, int(line)))
        else:
            path, flags = head, ""
            fm = re.match(r"(.+?) \((empty|no newline|bom)\)$", head)
            if fm:
                path, flags = fm.group(1), fm.group(2)
            data = b"" if flags == "empty" else (text if flags == "no newline" else text + "\n").encode("utf-8")
            if flags == "bom":
                data = b"\xef\xbb\xbf" + data
            ex.files[path] = data
    return ex


def build_zip(specs: list[str], base: dict[str, bytes]) -> bytes:
    """A zip of ``base`` plus hostile entries, one builder per spec:

    ``raw TEXT`` (the whole file is TEXT, not a zip) · ``truncated`` · ``entries N`` (N more empty
    files) · ``encrypted NAME`` · ``cp437 NAME`` (a non-ASCII name without the UTF-8 flag) ·
    ``symlink NAME -> TARGET`` · ``name NAME`` (an entry named exactly NAME; a second one with the
    same NAME is a duplicate) · ``zeros NAME MIB`` · ``corrupt NAME`` · ``nested NAME`` (a zip inside)
    """
    raw = next((s[4:] for s in specs if s.startswith("raw ")), None)
    if raw is not None:
        return raw.encode("utf-8")
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = list(base.items())
    after: list[tuple[str, str]] = []
    zeros: list[tuple[str, int]] = []
    for spec in specs:
        verb, _, arg = spec.partition(" ")
        if verb == "entries":
            # ZipInfo entries are stored, not deflated: twice as fast to write, same for the reader.
            entries += [(zipfile.ZipInfo(f"upload/many/f{n}.txt"), b"") for n in range(int(arg))]
        elif verb == "name":
            entries.append((zipfile.ZipInfo(arg), b"x"))
        elif verb == "symlink":
            name, _, target = arg.partition(" -> ")
            entries.append(symlink_entry(name, target))
        elif verb == "nested":
            entries.append((arg, zip_bytes([("install.xml", b"<modification/>")])))
        elif verb in ("encrypted", "corrupt"):
            entries.append((arg, b"<?php echo 'hello world';" * 50))
            after.append((verb, arg))
        elif verb == "zeros":
            name, mib = arg.rsplit(" ", 1)
            zeros.append((name, int(mib)))
        elif verb == "cp437":
            after.append((verb, arg))
        elif verb != "truncated":
            raise ValueError(f"unknown zip-entry builder {verb!r}")
    legacy = [arg for verb, arg in after if verb == "cp437"]
    data = legacy_name(entries, legacy[0]) if legacy else zip_bytes(entries, compresslevel=1)
    if zeros:
        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name, mib in zeros:
                zeros_entry(zf, name, mib)
        data = buf.getvalue()
    for verb, arg in after:
        if verb == "encrypted":
            data = set_encrypted(data, arg)
        elif verb == "corrupt":
            data = corrupt(data, arg)
    return data[:-30] if "truncated" in specs else data


_ZIP_TREES: dict[tuple[object, ...], PackageTree] = {}


def zip_tree(ex: Example) -> PackageTree:
    """The package of a ``zip-entry`` example as the zip reader sees it; built once per session
    (a tree is immutable, and the big hostile zips cost most of the time)."""
    key = (tuple(ex.zip_entries), tuple(sorted(ex.files.items())), ex.zip_name)
    if key not in _ZIP_TREES:
        _ZIP_TREES[key] = read_zip(build_zip(ex.zip_entries, ex.files), name=ex.zip_name or "example.ocmod.zip")
    return _ZIP_TREES[key]


def write_opencart(root: Path, version: str, files: dict[str, str]) -> Path:
    """A minimal OpenCart tree of ``version`` holding ``files`` (what anchor rules read)."""
    tree = root / f"opencart-{version}"
    (tree / "system").mkdir(parents=True, exist_ok=True)
    (tree / "catalog").mkdir(parents=True, exist_ok=True)
    (tree / "admin").mkdir(parents=True, exist_ok=True)
    (tree / "admin" / "index.php").write_text(f"<?php\ndefine('VERSION', '{version}');\n", encoding="utf-8")
    for path, text in files.items():
        if path.endswith(" (php-twig)"):
            if (SYSTEM_TWIG / "Environment.php").is_file():
                link = tree / path[: -len(" (php-twig)")]
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(SYSTEM_TWIG, target_is_directory=True)
            continue
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tree


def lint_input(ex: Example, scratch: Path, *, trees: bool = True, others: bool = True, target: str | None = None, php: bool = True) -> LintInput:
    """The lint input for an example (``trees``/``others`` False leave the OpenCart trees or the
    ``--with`` modifications out, to run a rule outside its declared scope)."""
    tree = zip_tree(ex) if ex.zip_entries else PackageTree(files={path: PackageFile(data) for path, data in ex.files.items()})
    opencart: tuple[Path, ...] = ()
    if trees:
        opencart = tuple(write_opencart(scratch, version, files) for version, files in sorted(ex.opencart.items()))
    with_paths: tuple[Path, ...] = ()
    if others and ex.others:
        folder = scratch / "with"
        for name, text in ex.others.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        with_paths = tuple(sorted(folder / name for name in ex.others))
    return LintInput(
        tree=tree,
        target=target or ex.target,
        sql_files=dict(ex.sql),
        package_name=ex.zip_name if not ex.zip_entries else (ex.zip_name or "example.ocmod.zip"),
        opencart_paths=opencart,
        with_paths=with_paths,
        php_versions=tuple(ex.php) if php else (),
    )
