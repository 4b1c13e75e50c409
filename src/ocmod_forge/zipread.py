"""Reading an ``.ocmod.zip`` into a ``PackageTree`` without extracting anything.

Every entry is inspected from the central directory before a byte is decompressed; entries
that OpenCart would mishandle, or that could hurt the reader, become notes with a rule code
that the PKG rules report. Limits are caps on size and count (``ZipLimits``).
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import PackageReadError
from .tree import PackageFile, PackageTree


@dataclass(frozen=True)
class ZipLimits:
    """Caps that keep a hostile zip from exhausting memory or time (documented in the README)."""

    max_entries: int = 10_000
    max_entry_size: int = 50 * 1024 * 1024
    max_total_size: int = 200 * 1024 * 1024
    max_ratio: int = 200


def read_zip(source: Path | str | bytes, limits: ZipLimits = ZipLimits(), name: str | None = None) -> PackageTree:
    """Read a zip (path or bytes) into a tree; unreadable archives raise ``PackageReadError``."""
    display = name or (str(source) if not isinstance(source, bytes) else "<zip>")
    try:
        if isinstance(source, bytes):
            archive = zipfile.ZipFile(io.BytesIO(source))
        else:
            archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise PackageReadError("file not found", display) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageReadError(f"not a readable zip archive: {exc}", display) from None
    notes: list[tuple[str, str, str]] = []
    files: dict[str, PackageFile] = {}
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise PackageReadError(f"zip has {len(infos):,} entries; the limit is {limits.max_entries:,}", display)
        declared_total = 0
        seen_lower: dict[str, str] = {}
        for info in infos:
            raw_name = info.filename
            name_ = raw_name
            if info.flag_bits & 0x1:
                notes.append(("encrypted", name_, "entry is encrypted; OpenCart cannot extract it"))
                continue
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                notes.append(("symlink", name_, "entry is a symbolic link"))
                continue
            if "\\" in name_:
                notes.append(("backslash", name_, "entry name uses backslashes; on Linux it is extracted as one odd file name"))
                continue
            if name_.startswith("/") or (len(name_) > 1 and name_[1] == ":"):
                notes.append(("absolute", name_, "entry has an absolute path or drive letter"))
                continue
            if any(part == ".." for part in name_.split("/")):
                notes.append(("traversal", name_, "entry name contains '..' (path traversal)"))
                continue
            if info.is_dir():
                continue
            if name_ in files:
                notes.append(("duplicate", name_, "duplicate entry name"))
                continue
            lower = name_.lower()
            if lower in seen_lower:
                notes.append(("case", name_, f"differs from {seen_lower[lower]!r} only in case"))
            seen_lower.setdefault(lower, name_)
            if info.file_size > limits.max_entry_size:
                notes.append(("too-big", name_, f"entry is {info.file_size:,} bytes uncompressed; the limit is {limits.max_entry_size:,}"))
                continue
            if info.compress_size and info.file_size / max(info.compress_size, 1) > limits.max_ratio and info.file_size > 1_000_000:
                notes.append(("ratio", name_, f"compression ratio {info.file_size // max(info.compress_size, 1)}:1 exceeds {limits.max_ratio}:1 (zip bomb?)"))
                continue
            declared_total += info.file_size
            if declared_total > limits.max_total_size:
                notes.append(("total", name_, f"uncompressed total exceeds {limits.max_total_size:,} bytes; remaining entries not read"))
                break
            try:
                with archive.open(info) as handle:
                    data = handle.read(limits.max_entry_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
                notes.append(("corrupt", name_, f"entry cannot be read: {exc}"))
                continue
            if len(data) > limits.max_entry_size:
                notes.append(("too-big", name_, "entry is larger than its header says"))
                continue
            files[name_] = PackageFile(data=data, source=f"{display}:{name_}")
    return PackageTree(files=files, origin=display, kind="zip", notes=tuple(notes))
