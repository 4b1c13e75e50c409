"""OpenCart trees for ``--opencart``: a store root, a release's ``upload/`` folder, or a release zip.

Files are read lazily: only what a ``<file path>`` pattern touches. Keys are the engine's cache
keys (``admin/…``, ``catalog/…``, ``system/…``), whatever the store named its admin folder.
"""

from __future__ import annotations

import fnmatch
import glob as _glob
import os
import re
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .errors import OpenCartTreeError

Reader = Callable[[str], bytes]  # cache key → the file's bytes

_VERSION_RE = re.compile(r"""define\(\s*['"]VERSION['"]\s*,\s*['"]([0-9.]+)['"]""")


def expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` → ``[abd, acd]``, nested braces included, in PHP GLOB_BRACE's order."""
    depth = 0
    start = -1
    for i, ch in enumerate(pattern):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                inner = pattern[start + 1 : i]
                options, level, current = [], 0, ""
                for c in inner:
                    if c == "," and level == 0:
                        options.append(current)
                        current = ""
                        continue
                    level += c == "{"
                    level -= c == "}"
                    current += c
                options.append(current)
                out: list[str] = []
                for option in options:
                    out.extend(expand_braces(pattern[:start] + option + pattern[i + 1 :]))
                return out
    return [pattern]


@lru_cache(maxsize=512)
def _segment_regex(segment: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(segment))


def _match(parts: list[str], candidate: str) -> bool:
    names = candidate.split("/")
    if len(names) != len(parts):
        return False
    return all(_segment_regex(p).match(n) is not None for p, n in zip(parts, names, strict=False))


class OpenCartTree:
    """An OpenCart tree as the engine's ``FileSource``."""

    def __init__(self, label: str, version: str, names: list[str], reader: Reader) -> None:
        self.label = label
        self.version = version
        self._names = names  # keys of every file: admin/…, catalog/…, system/…
        self._reader = reader
        self._cache: dict[str, str] = {}
        self._by_dir: dict[str, list[str]] = {}
        for name in names:
            self._by_dir.setdefault(name.rsplit("/", 1)[0], []).append(name)

    def exists(self, key: str) -> bool:
        return key in self._by_dir.get(key.rsplit("/", 1)[0], ())

    def glob(self, pattern: str) -> list[str]:
        """PHP ``glob(GLOB_BRACE)``: each brace alternative's matches, sorted, one after another."""
        out: list[str] = []
        for alternative in expand_braces(pattern):
            if not any(c in alternative for c in "*?["):
                if self.exists(alternative):
                    out.append(alternative)
                continue
            parts = alternative.split("/")
            fixed = []
            for part in parts:
                if any(c in part for c in "*?["):
                    break
                fixed.append(part)
            prefix = "/".join(fixed)
            candidates = self._names if len(fixed) < len(parts) - 1 else self._by_dir.get(prefix, [])
            out.extend(sorted(n for n in candidates if n.startswith(prefix) and _match(parts, n)))
        return out

    def read(self, key: str) -> str:
        if key not in self._cache:
            self._cache[key] = self._reader(key).decode("utf-8", errors="surrogateescape")
        return self._cache[key]

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def folder(self, prefix: str, scratch: Path) -> Path | None:
        """A real folder holding the tree's files under ``prefix`` (``system/…/``), for programs
        that must read them (php); files of a zip are copied below ``scratch``. None if absent."""
        keys = [n for n in self._names if n.startswith(prefix)]
        if not keys:
            return None
        for key in keys:
            target = scratch / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self._reader(key))
        return scratch / prefix




class FolderTree(OpenCartTree):
    """A tree on disk: globbing asks the file system, so only touched folders are listed."""

    def __init__(self, label: str, version: str, root: Path) -> None:
        super().__init__(label, version, [], lambda key: (root / key).read_bytes())
        self.root = root

    def exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def glob(self, pattern: str) -> list[str]:
        out: list[str] = []
        base = str(self.root) + "/"
        for alternative in expand_braces(pattern):
            # Python's glob skips dot-files for `*` like PHP's; escape nothing: the pattern is OpenCart's.
            matches = [m for m in _glob.glob(base + alternative) if os.path.isfile(m)]
            out.extend(sorted(m[len(base) :] for m in matches))
        return out

    @property
    def names(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for base in ("admin", "catalog", "system") for p in (self.root / base).rglob("*") if p.is_file())

    def folder(self, prefix: str, scratch: Path) -> Path | None:
        path = self.root / prefix
        return path if path.is_dir() else None


def _key_for(rel: str) -> str | None:
    """The cache key of a path relative to the store root (``admin/…`` stays ``admin/…``)."""
    for prefix in ("admin/", "catalog/", "system/"):
        if rel.startswith(prefix):
            return rel
    return None


def load_tree(path: Path) -> OpenCartTree:
    """Open a store root, an ``upload/`` folder, or a release zip; raises ``OpenCartTreeError``."""
    path = Path(path)
    if path.is_dir():
        root = path / "upload" if (path / "upload" / "admin").is_dir() and not (path / "admin").is_dir() else path
        if not (root / "admin").is_dir() or not (root / "system").is_dir():
            raise OpenCartTreeError("not an OpenCart tree (no admin/ and system/ folders)", str(path))
        version = _version((root / "admin" / "index.php").read_bytes() if (root / "admin" / "index.php").is_file() else b"")
        return FolderTree(f"{path}", version, root)
    if path.is_file():
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise OpenCartTreeError(f"not a readable zip: {exc}", str(path)) from None
        entries = [i.filename for i in archive.infolist() if not i.is_dir()]
        marker = next((e for e in entries if e.endswith("admin/index.php") and "/upload/" in "/" + e), None)
        if marker is None:
            raise OpenCartTreeError("no upload/admin/index.php in this zip: not an OpenCart release", str(path))
        base = marker[: -len("admin/index.php")]
        names = sorted(k for e in entries if e.startswith(base) and (k := _key_for(e[len(base) :])))
        version = _version(archive.read(marker))
        return OpenCartTree(f"{path}", version, names, lambda key: archive.read(base + key))
    raise OpenCartTreeError("no such file or folder", str(path))


def _version(index_php: bytes) -> str:
    match = _VERSION_RE.search(index_php.decode("utf-8", errors="replace"))
    return match.group(1) if match else "unknown"
