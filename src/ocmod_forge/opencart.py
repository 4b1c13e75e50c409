"""OpenCart trees for ``--opencart``: a store root, a release's ``upload/`` folder, or a release zip.

Files are read lazily: only what a ``<file path>`` pattern touches. Keys are the engine's cache
keys (``admin/…``, ``catalog/…``, ``extension/…``, ``system/…``), whatever the store named its
admin folder. ``glob`` is glob(3)'s (what PHP's glob() calls) for one brace-free pattern; the
engine expands braces itself, as the OpenCart version does (engine/paths.py).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .errors import OpenCartTreeError

Reader = Callable[[str], bytes]  # cache key → the file's bytes

_VERSION_RE = re.compile(r"""define\(\s*['"]VERSION['"]\s*,\s*['"]([0-9.]+)['"]""")


def _has_magic(segment: str) -> bool:
    """glob(3)'s test: an unescaped ``*`` or ``?``, or a ``[`` with a closing ``]``."""
    if "*" not in segment and "?" not in segment and "[" not in segment:
        return False
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "\\":
            i += 2
            continue
        if c in "*?":
            return True
        if c == "[" and "]" in segment[i + 2 :]:
            return True
        i += 1
    return False


def _unescape(segment: str) -> str:
    if "\\" not in segment:
        return segment
    return re.sub(r"\\(.)", r"\1", segment, flags=re.S)


_CLASSES = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9",
    "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\x0b\\x0c\\r ",
    "upper": "A-Z", "xdigit": "0-9A-Fa-f",
}


@lru_cache(maxsize=512)
def _segment_regex(segment: str) -> re.Pattern[str]:
    """fnmatch(3) without FNM_NOESCAPE, as a Python pattern over one file name."""
    out = []
    i = 0
    n = len(segment)
    while i < n:
        c = segment[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(segment[i + 1]))
            i += 2
        elif c == "*":
            out.append(".*")
            i += 1
        elif c == "?":
            out.append(".")
            i += 1
        elif c == "[":
            j = i + 1
            negate = j < n and segment[j] in "!^"
            if negate:
                j += 1
            items = []
            first = True
            closed = False
            while j < n:
                ch = segment[j]
                if ch == "]" and not first:
                    closed = True
                    j += 1
                    break
                first = False
                if ch == "[" and segment.startswith("[:", j):
                    end = segment.find(":]", j + 2)
                    name = segment[j + 2 : end] if end > 0 else ""
                    if name in _CLASSES:
                        items.append(_CLASSES[name])
                        j = end + 2
                        continue
                if ch == "\\" and j + 1 < n:
                    j += 1
                    ch = segment[j]
                if ch == "-" and items and j + 1 < n and segment[j + 1] != "]":
                    items.append("-")
                else:
                    items.append(re.escape(ch) if ch not in "-" else "\\-")
                j += 1
            if not closed:
                out.append(re.escape("["))
                i += 1
                continue
            out.append("[" + ("^" if negate else "") + "".join(items) + "]")
            i = j
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z", re.S)


def _fnmatch(segment: str, name: str) -> bool:
    # FNM_PERIOD: a leading dot is matched only by a literal dot
    if name.startswith(".") and not segment.startswith((".", "\\.")):
        return False
    return _segment_regex(segment).match(name) is not None


def _normalise(parts: list[str]) -> list[str] | None:
    """Path components with ``.``, ``..`` and empty parts resolved; None above the root."""
    out: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not out:
                return None
            out.pop()
            continue
        out.append(part)
    return out


class _Listing:
    """What glob needs from a tree: what a path is and what a folder holds."""

    def kind(self, parts: list[str]) -> str | None:
        """``"file"``, ``"dir"`` or None."""
        raise NotImplementedError

    def entries(self, parts: list[str]) -> list[str]:
        """Names in a folder, ``.`` and ``..`` included (as readdir gives them)."""
        raise NotImplementedError

    def glob(self, pattern: str) -> list[str]:
        """glob(3) of a brace-free pattern relative to the root: files and folders, sorted."""
        cache: dict[str, list[str]] = self.__dict__.setdefault("_globbed", {})
        if pattern not in cache:
            cache[pattern] = self._glob(pattern)
        return list(cache[pattern])

    def _glob(self, pattern: str) -> list[str]:
        segments = pattern.split("/")
        if not any(c in pattern for c in "*?[\\") and all(seg not in ("", ".", "..") for seg in segments):
            return [pattern] if self.kind(segments) is not None else []  # a plain path: lstat
        found: list[tuple[str, list[str]]] = [("", [])]
        for position, segment in enumerate(segments):
            last = position == len(segments) - 1
            following: list[tuple[str, list[str]]] = []
            for text, real in found:
                joined = segment if position == 0 else text + "/"
                if not _has_magic(segment):
                    name = _unescape(segment)
                    path = _normalise([*real, name])
                    if path is None:
                        continue
                    kind = self.kind(path)
                    if kind is None or (not last and kind != "dir") or (name == "" and kind != "dir"):
                        continue
                    following.append(((name if position == 0 else text + "/" + name), [*real, name]))
                    continue
                folder = _normalise(real)
                if folder is None or self.kind(folder) != "dir":
                    continue
                for name in self.entries(folder):
                    if not _fnmatch(segment, name):
                        continue
                    path = _normalise([*real, name])
                    if path is None:
                        continue
                    kind = self.kind(path)
                    if kind is None or (not last and kind != "dir"):
                        continue
                    following.append((joined + name if position else name, [*real, name]))
            found = following
            if not found:
                return []
        keys = [text for text, _ in found]
        if _has_magic(pattern):
            keys.sort(key=lambda k: k.encode("utf-8", "surrogateescape"))
        return keys


class OpenCartTree(_Listing):
    """An OpenCart tree as the engine's ``FileSource``."""

    def __init__(self, label: str, version: str, names: list[str], reader: Callable[[str], bytes], folders: tuple[str, ...] = ()) -> None:
        self.label = label
        self.version = version
        self._names = names  # keys of every file: admin/…, catalog/…, extension/…, system/…
        self._reader = reader
        self._cache: dict[str, str] = {}
        self._files = set(names)
        self._children: dict[str, set[str]] = {"": set()}
        for name in names:
            parent = ""
            for part in name.split("/")[:-1]:
                path = part if not parent else parent + "/" + part
                self._children.setdefault(parent, set()).add(part)
                self._children.setdefault(path, set())
                parent = path
            self._children.setdefault(parent, set()).add(name.rsplit("/", 1)[-1])
        for folder in folders:  # empty top-level folders (admin/, extension/ …) still exist
            self._children[""].add(folder)
            self._children.setdefault(folder, set())

    def kind(self, parts: list[str]) -> str | None:
        path = "/".join(parts)
        if path in self._files:
            return "file"
        return "dir" if path in self._children else None

    def entries(self, parts: list[str]) -> list[str]:
        return [".", "..", *sorted(self._children.get("/".join(parts), ()))]

    def exists(self, key: str) -> bool:
        """A file (not a folder) with this key."""
        path = _normalise(key.split("/"))
        return path is not None and self.kind(path) == "file"

    def read(self, key: str) -> str:
        """The file's text; ``""`` for a folder (PHP's file_get_contents fails with a notice)."""
        if key not in self._cache:
            path = _normalise(key.split("/"))
            if path is None or self.kind(path) != "file":
                self._cache[key] = ""
            else:
                self._cache[key] = self._reader("/".join(path)).decode("utf-8", errors="surrogateescape")
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
        self._kinds: dict[str, str | None] = {}
        self._listed: dict[str, list[str]] = {}

    def kind(self, parts: list[str]) -> str | None:
        path = "/".join(parts)
        if path not in self._kinds:
            full = os.path.join(self.root, path) if path else str(self.root)
            self._kinds[path] = "dir" if os.path.isdir(full) else "file" if os.path.isfile(full) else None
        return self._kinds[path]

    def entries(self, parts: list[str]) -> list[str]:
        path = "/".join(parts)
        if path not in self._listed:
            try:
                self._listed[path] = [".", "..", *sorted(os.listdir(os.path.join(self.root, path) if path else self.root))]
            except OSError:
                self._listed[path] = []
        return self._listed[path]

    @property
    def names(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for base in _BASES for p in (self.root / base).rglob("*") if p.is_file())

    def folder(self, prefix: str, scratch: Path) -> Path | None:
        path = self.root / prefix
        return path if path.is_dir() else None


_BASES = ("admin", "catalog", "extension", "system")


def _key_for(rel: str) -> str | None:
    """The cache key of a path relative to the store root (``admin/…`` stays ``admin/…``)."""
    for prefix in ("admin/", "catalog/", "extension/", "system/"):
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
