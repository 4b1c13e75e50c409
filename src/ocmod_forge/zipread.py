"""Reading an ``.ocmod.zip`` into a ``PackageTree`` without extracting anything.

Every entry is inspected from the central directory before a byte is decompressed; entries
that OpenCart would mishandle, or that could hurt the reader, become notes (kind, path,
message) that the PKG1xx rules report. Nothing here raises for a hostile archive: a file that
is not a zip at all becomes a note too. Only a missing or unreadable file raises.

Default caps (``ZipLimits``), chosen far above any real extension (the biggest OpenCart 4.1
core package is 370 KB with ~540 entries):

====================  ==========
entries                   10,000
one entry (bytes)         50 MiB
all entries (bytes)      200 MiB
compression ratio          200:1  (only for entries over 1 MiB)
====================  ==========
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import PackageReadError
from .tree import PackageFile, PackageTree

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_RATIO_MIN_SIZE = 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """Caps that keep a hostile zip from exhausting memory or time (see the module docstring)."""

    max_entries: int = 10_000
    max_entry_size: int = 50 * 1024 * 1024
    max_total_size: int = 200 * 1024 * 1024
    max_ratio: int = 200


def read_zip(source: Path | str | bytes, limits: ZipLimits = ZipLimits(), name: str | None = None) -> PackageTree:
    """Read a zip (path or bytes) into a tree, with a note for every entry it refused."""
    display = name or (str(source) if not isinstance(source, bytes) else "<zip>")
    notes: list[tuple[str, str, str]] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except FileNotFoundError:
        raise PackageReadError("file not found", display) from None
    except IsADirectoryError:
        raise PackageReadError("is a folder", display) from None
    except PermissionError:
        raise PackageReadError("permission denied", display) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as exc:
        notes.append(("not-a-zip", "", f"not a readable zip archive ({exc}); OpenCart's installer fails on it"))
        return PackageTree(files={}, origin=display, kind="zip", notes=tuple(notes))
    files: dict[str, PackageFile] = {}
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            notes.append(("too-many", "", f"zip has {len(infos):,} entries; only the first {limits.max_entries:,} were read"))
            infos = infos[: limits.max_entries]
        total = 0
        seen: set[str] = set()
        for info in infos:
            entry = info.filename
            kind, message = _refusal(info, entry, seen)
            if kind:
                notes.append((kind, entry, message))
                continue
            seen.add(entry)
            if info.is_dir():
                continue
            if info.file_size > limits.max_entry_size:
                notes.append(("too-big", entry, f"entry is {info.file_size:,} bytes uncompressed; the limit is {limits.max_entry_size:,}"))
                continue
            if info.file_size > _RATIO_MIN_SIZE and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                notes.append(("ratio", entry, f"compression ratio {ratio:,}:1 exceeds {limits.max_ratio}:1 (zip bomb)"))
                continue
            if total + info.file_size > limits.max_total_size:
                notes.append(("total", entry, f"uncompressed total would exceed {limits.max_total_size:,} bytes; this and later entries were not read"))
                break
            data = _read_capped(archive, info, min(limits.max_entry_size, limits.max_total_size - total), notes)
            if data is None:
                continue
            total += len(data)
            if entry.lower().endswith((".zip", ".ocmod.zip")) and data[:4] == b"PK\x03\x04":
                notes.append(("nested-zip", entry, "a zip inside the package: OpenCart copies it as a file and never opens it"))
            files[entry] = PackageFile(data=data, source=f"{display}:{entry}")
    return PackageTree(files=files, origin=display, kind="zip", notes=tuple(notes))


def _refusal(info: zipfile.ZipInfo, entry: str, seen: set[str]) -> tuple[str, str]:
    """(kind, message) when an entry must not be read at all, else ("", "")."""
    if info.flag_bits & _ENCRYPTED_FLAG:
        return "encrypted", "entry is encrypted; OpenCart cannot extract it"
    if not info.flag_bits & _UTF8_FLAG and any(ord(c) > 127 for c in entry):
        return "name-encoding", "entry name is not marked UTF-8 (legacy code page); it is extracted under a different name"
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        return "symlink", "entry is a symbolic link"
    if "\\" in entry:
        return "backslash", "entry name uses backslashes; on Linux it is extracted as one file with '\\' in its name"
    if entry.startswith("/") or (len(entry) > 1 and entry[1] == ":"):
        return "absolute", "entry has an absolute path or drive letter"
    if any(part == ".." for part in entry.split("/")):
        return "traversal", "entry name contains '..' (path traversal)"
    if "\x00" in entry:
        return "traversal", "entry name contains a NUL byte"
    if entry in seen:
        return "duplicate", "duplicate entry name; which copy is extracted depends on the unzip tool"
    return "", ""


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, notes: list[tuple[str, str, str]]) -> bytes | None:
    """Decompress at most ``cap`` bytes: declared sizes can lie, so the cap is on bytes produced."""
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(min(_CHUNK, cap + 1 - len(out)))
                if not chunk:
                    break
                out += chunk
                if len(out) > cap:
                    notes.append(("too-big", info.filename, "entry inflates beyond its declared size and the cap (zip bomb)"))
                    return None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError, zipfile.LargeZipFile) as exc:
        notes.append(("corrupt", info.filename, f"entry cannot be read: {exc}"))
        return None
    return bytes(out)
