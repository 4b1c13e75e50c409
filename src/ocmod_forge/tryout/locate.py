"""From a file and line PHP names in the store back to the package file and line that caused it.

* A file the installer copied: 3.0 ``admin/…`` ← ``upload/admin/…``; 4.x
  ``extension/<code>/admin/…`` ← ``admin/…``; ``image/…``, ``system/storage/…`` as they are.
* A file in the modification cache (3.0 ``system/storage/modification/<key>``, 4.1
  ``extension/ocmod/<key>``): the cached text is compared with the original; a line that the
  modification added is traced to the ``<operation>`` whose ``<add>`` holds it, an unchanged
  line to the original file's line.
* Anything else is OpenCart's own code ("core"); an exception thrown in core code is traced
  through its stack to the first caller in the package.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..manifest import FileBlock, Operation
from .package import TryPackage
from .phpmsg import PhpMessage

CACHE_DIRS = ("system/storage/modification/", "extension/ocmod/")


@dataclass(frozen=True)
class Location:
    """A place in the package (``path`` is a package path) and how the store file led there."""

    path: str
    line: int
    via: str = ""


class Locator:
    """Maps store files of one store to the package under test."""

    def __init__(self, root: Path, package: TryPackage) -> None:
        self.root = root
        self.real = os.path.realpath(root)
        self.package = package

    def store_rel(self, file: str) -> str | None:
        """The store-relative path of an absolute file PHP named, or None when outside the store."""
        if not file:
            return None
        real = os.path.realpath(file) if os.path.isabs(file) else file
        for base in (self.real, str(self.root)):
            if real.startswith(base + os.sep):
                return real[len(base) + 1 :].replace(os.sep, "/")
        return None

    def locate(self, file: str, line: int) -> tuple[Location | None, str]:
        """(package location or None, store-relative file) of one file and line."""
        rel = self.store_rel(file)
        if rel is None:
            return None, file
        pkg = self.package.package_path(rel)
        if pkg is not None:
            return Location(pkg, line), rel
        for cache in CACHE_DIRS:
            if rel.startswith(cache):
                key = rel[len(cache) :]
                return self._cached(key, rel, line), rel
        return None, rel

    def locate_message(self, message: PhpMessage) -> tuple[Location | None, str]:
        """Where a message's cause is: its own file, else (exceptions) the first package caller,
        else a Twig template of the package named in the message."""
        where, rel = self.locate(message.file, message.line)
        if where is not None:
            return where, rel
        for file, line in message.trace:
            caller, _ = self.locate(file, line)
            if caller is not None:
                return Location(caller.path, caller.line, f"called from there; raised in {rel}:{message.line}" + (f"; {caller.via}" if caller.via else "")), rel
        template = re.search(r'in "([^"]+\.twig)" at line (\d+)', message.text)
        if template:
            for path in self.package.tree:
                if path.endswith(("/" + template.group(1), "/template/" + template.group(1))):
                    return Location(path, int(template.group(2)), "Twig template"), rel
        return None, rel

    # ---- modification cache -------------------------------------------------------------------
    def core_key(self, file: str, line: int) -> tuple[str, int]:
        """Where one of OpenCart's own messages is, for comparing before and after install: a
        line of a cached (modified) copy counts as the same line of the original file."""
        rel = self.store_rel(file)
        if rel is None:
            return file, line
        for cache in CACHE_DIRS:
            if rel.startswith(cache):
                key = rel[len(cache) :]
                original = self._original_line(key, rel, line)
                if original:
                    return key, original
        return rel, line

    def _original_line(self, key: str, rel: str, line: int) -> int:
        """The line of the original file that line ``line`` of the cached copy is (0: added)."""
        cached = _lines(self.root / rel)
        if not cached or line < 1 or line > len(cached):
            return 0
        index = line - 1
        matcher = difflib.SequenceMatcher(None, _lines(self.root / key), cached, autojunk=False)
        for tag, a1, _a2, b1, b2 in matcher.get_opcodes():
            if b1 <= index < b2:
                return a1 + (index - b1) + 1 if tag == "equal" else 0
        return 0

    def _cached(self, key: str, rel: str, line: int) -> Location | None:
        cached = _lines(self.root / rel)
        if not cached or line < 1 or line > len(cached):
            return None
        original = self._original_line(key, rel, line)
        if original:
            pkg = self.package.package_path(key)
            return Location(pkg, original, f"through the modification cache {rel}") if pkg is not None else None
        text = cached[line - 1].strip()
        op = self._operation_for(key, text)
        if op is not None:
            mpath, _block, operation = op
            target = operation.add.line if operation.add is not None else operation.line
            return Location(mpath, target, f"line {line} of {rel}, added by this operation to {key}")
        block_hit = self._block_for(key)
        if block_hit is not None:
            return Location(block_hit[0], block_hit[1].line, f"line {line} of {rel}, changed by this <file>")
        return None

    def _blocks(self, key: str) -> list[tuple[str, FileBlock]]:
        out: list[tuple[str, FileBlock]] = []
        for mpath, manifest in self.package.manifests():
            for block in manifest.files:
                if block.path and any(path_matches(part.replace("\\", "/"), key) for part in block.path.split("|")):
                    out.append((mpath, block))
        return out

    def _block_for(self, key: str) -> tuple[str, FileBlock] | None:
        blocks = self._blocks(key)
        return blocks[0] if blocks else None

    def _operation_for(self, key: str, text: str) -> tuple[str, FileBlock, Operation] | None:
        if not text:
            return None
        best: tuple[str, FileBlock, Operation] | None = None
        for mpath, block in self._blocks(key):
            for op in block.operations:
                if op.add is None:
                    continue
                add_lines = [a.strip() for a in op.add.text.splitlines()]
                if text in add_lines:
                    return mpath, block, op
                if best is None and text and text in op.add.text:
                    best = (mpath, block, op)
        return best


def expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` → ``[abd, acd]`` (nested braces too), in the order PHP's GLOB_BRACE lists them."""
    depth, start = 0, -1
    for i, ch in enumerate(pattern):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                options, level, current = [], 0, ""
                for c in pattern[start + 1 : i]:
                    if c == "," and level == 0:
                        options.append(current)
                        current = ""
                        continue
                    level += (c == "{") - (c == "}")
                    current += c
                options.append(current)
                return [out for option in options for out in expand_braces(pattern[:start] + option + pattern[i + 1 :])]
    return [pattern]


def path_matches(pattern: str, key: str) -> bool:
    """Whether a ``<file path>`` part (glob with braces) matches the file key, like PHP's glob."""
    return any(fnmatch.fnmatchcase(key, alt) and alt.count("/") == key.count("/") for alt in expand_braces(pattern))


@lru_cache(maxsize=256)
def _read(path: str, mtime: float) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").split("\n"))
    except OSError:
        return ()


def _lines(path: Path) -> tuple[str, ...]:
    try:
        return _read(str(path), path.stat().st_mtime)
    except OSError:
        return ()
