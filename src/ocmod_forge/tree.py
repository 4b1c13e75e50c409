"""``PackageTree``: the package as OpenCart's installer sees it, path → bytes, in sorted order."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PackageReadError

# For each line of a rendered file: (the template it comes from, as findings show it, and its line).
LineMap = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class PackageFile:
    """One file of a package: its bytes, and where it came from (template or source path).

    ``lines`` maps each line of a rendered file to the template line it starts in (includes and
    partials included); None for files copied byte for byte, whose lines are the source's own.
    """

    data: bytes
    source: str = ""
    executable: bool = False
    lines: LineMap | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PackageTree(Mapping[str, PackageFile]):
    """Package-relative POSIX path → ``PackageFile``; iterates in sorted path order.

    ``notes`` carries facts found while reading (for example entries a zip held that are not
    files); rules turn them into diagnostics.
    """

    files: Mapping[str, PackageFile]
    origin: str = ""
    kind: str = "folder"  # "project", "folder" or "zip"
    notes: tuple[tuple[str, str, str], ...] = field(default=())  # (code, path, message)

    def __getitem__(self, key: str) -> PackageFile:
        return self.files[key]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.files))

    def __len__(self) -> int:
        return len(self.files)

    def text(self, path: str) -> str:
        """The file decoded as UTF-8 (BOM removed, undecodable bytes replaced)."""
        return self.files[path].data.decode("utf-8-sig", errors="replace")


def read_folder(root: Path | str) -> PackageTree:
    """Read a package folder (the one holding ``install.xml`` and ``upload/``) without following links."""
    root = Path(root)
    if not root.is_dir():
        raise PackageReadError("not a folder", str(root))
    files: dict[str, PackageFile] = {}
    notes: list[tuple[str, str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames) + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            try:
                st = os.lstat(full)
            except OSError as exc:
                raise PackageReadError(f"cannot read: {exc.strerror}", full) from None
            if stat.S_ISLNK(st.st_mode):
                notes.append(("symlink", rel, "symbolic link; not part of the package"))
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            try:
                data = Path(full).read_bytes()
            except OSError as exc:
                raise PackageReadError(f"cannot read: {exc.strerror}", full) from None
            files[rel] = PackageFile(data=data, source=full, executable=bool(st.st_mode & 0o111))
    return PackageTree(files=files, origin=str(root), kind="folder", notes=tuple(notes))
