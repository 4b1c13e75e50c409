"""The per-user cache: compiled templates, verdicts of external checkers (php, Twig), SQL splits,
and (through render.py and reportcache.py) rendered projects and lint reports.

Everything here is keyed by content, so an edited file is never served a stale answer; verdicts
also carry a *salt* naming the checker (binary path, size and mtime, script text, our version),
so upgrading PHP or php-twig, or this tool, starts afresh. ``OCMOD_FORGE_NO_CACHE=1`` turns the
cache off; ``OCMOD_FORGE_CACHE`` moves it (default ``$XDG_CACHE_HOME/ocmod-forge`` or
``~/.cache/ocmod-forge``). A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from typing import Any

# Verdict files are rewritten whole; beyond this many entries the oldest are dropped.
MAX_ENTRIES = 20_000

# The folders this tool writes under the cache root; `clear` removes these and nothing else, in
# case OCMOD_FORGE_CACHE points at a folder that holds other things too.
KINDS = {
    "jinja": "compiled templates",
    "verdicts": "php, Twig and PCRE verdicts, SQL splits",
    "render": "rendered projects",
    "reports": "lint reports",
}


def cache_root() -> str:
    """Where the cache lives (whether or not it exists or is turned off)."""
    return os.environ.get("OCMOD_FORGE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ocmod-forge"
    )


def enabled(kind: str | None = None) -> bool:
    """False when OCMOD_FORGE_NO_CACHE turns the cache (or this ``kind`` of it) off:
    ``OCMOD_FORGE_NO_CACHE=1`` turns every kind off, ``OCMOD_FORGE_NO_CACHE=render,reports`` only
    those (the benchmark measures each layer that way)."""
    value = os.environ.get("OCMOD_FORGE_NO_CACHE", "").strip()
    if not value:
        return True
    kinds = {part.strip() for part in value.split(",")}
    return kind is not None and not (kinds & {kind, "1", "all", "yes", "true"})


def usage() -> dict[str, tuple[int, int]]:
    """Kind → (files, bytes) currently in the cache."""
    out: dict[str, tuple[int, int]] = {}
    for kind in KINDS:
        files = size = 0
        for dirpath, _dirs, names in os.walk(os.path.join(cache_root(), kind)):
            for name in names:
                try:
                    size += os.lstat(os.path.join(dirpath, name)).st_size
                    files += 1
                except OSError:
                    pass
        out[kind] = (files, size)
    return out


def clear() -> int:
    """Remove everything this tool cached; returns how many files were removed."""
    removed = sum(files for files, _size in usage().values())
    for kind in KINDS:
        shutil.rmtree(os.path.join(cache_root(), kind), ignore_errors=True)
    return removed


def cache_dir(sub: str) -> str | None:
    """The writable folder ``sub`` of the cache, created on demand; None when caching is off or
    impossible (read-only home, no permission)."""
    if not enabled(sub):
        return None
    path = os.path.join(cache_root(), sub)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        if not os.access(path, os.W_OK):
            return None
    except OSError:
        return None
    return path


def store_json(path: str, data: object, keep: int) -> None:
    """Write ``data`` as JSON to ``path`` atomically, then keep only the ``keep`` newest JSON
    files of its folder. Failures leave the cache as it was."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
        prune(os.path.dirname(path), keep, ".json")
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def prune(folder: str, keep: int, suffix: str = "") -> None:
    """Keep only the ``keep`` most recently written files ending in ``suffix`` in ``folder``."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(suffix) and e.is_file()]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for old in entries[: len(entries) - keep]:
            os.unlink(old.path)
    except OSError:
        pass  # another build pruned first, or the folder went away


def load_json(path: str) -> Any:
    """The JSON in ``path``, or None when it is absent or damaged."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


# Files kept per checker name: one per salt (PHP006 uses one per PHP version; older salts are
# left by upgrades of php or of this tool).
_KEEP_SALTS = 12


def _prune_salts(folder: str, name: str) -> None:
    """Keep the ``_KEEP_SALTS`` newest verdict files of checker ``name``."""
    pattern = re.compile(re.escape(name) + r"-[0-9a-f]{16}\.json")
    try:
        entries = [e for e in os.scandir(folder) if pattern.fullmatch(e.name)]
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for old in entries[: max(0, len(entries) - _KEEP_SALTS)]:
            os.unlink(old.path)
        legacy = os.path.join(folder, f"{name}.json")  # the one-file-per-name store of earlier builds
        if os.path.exists(legacy):
            os.unlink(legacy)
    except OSError:
        pass  # another build pruned first


class Verdicts:
    """Verdicts of one checker by content digest, in ``<cache>/verdicts/<name>-<salt>.json``.

    ``split`` hands back what is known and what still has to be checked; ``store`` records the
    new answers. Only JSON values are stored (None for "fine", lists for findings). Each salt has
    its own file, so checkers that share a name (one PHP version each) never evict each other.
    """

    def __init__(self, name: str, salt: str) -> None:
        from ._version import __version__

        self.salt = _digest(f"{__version__}\0{salt}")
        self.name = name
        folder = cache_dir("verdicts")
        self.path = os.path.join(folder, f"{name}-{self.salt[:16]}.json") if folder else None
        self.entries: dict[str, Any] = {}
        if self.path is not None:
            try:
                with open(self.path, encoding="utf-8") as handle:
                    data = json.load(handle)
                if isinstance(data, dict) and data.get("salt") == self.salt and isinstance(data.get("entries"), dict):
                    self.entries = data["entries"]
            except (OSError, ValueError):
                pass  # missing or damaged: start empty, rewritten on store

    def split(self, texts: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
        """(verdicts known by key, texts still to check by key)."""
        known: dict[str, Any] = {}
        todo: dict[str, str] = {}
        for key, text in texts.items():
            digest = _digest(text)
            if digest in self.entries:
                known[key] = self.entries[digest]
            else:
                todo[key] = text
        return known, todo

    def store(self, texts: dict[str, str], verdicts: dict[str, Any]) -> None:
        """Record ``verdicts[key]`` for ``texts[key]`` and write the file atomically."""
        if self.path is None or not verdicts:
            return
        for key, verdict in verdicts.items():
            if key in texts:
                self.entries[_digest(texts[key])] = verdict
        entries = dict(list(self.entries.items())[-MAX_ENTRIES:])
        try:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), prefix=".verdicts-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"salt": self.salt, "entries": entries}, handle, separators=(",", ":"))
            os.replace(tmp, self.path)
            _prune_salts(os.path.dirname(self.path), self.name)
        except OSError:
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
