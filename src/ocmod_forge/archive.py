"""The reproducible ``.ocmod.zip`` writer: sorted entries, fixed times and modes, atomic replace."""

from __future__ import annotations

import hashlib
import os
import signal
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .tree import PackageTree

# 1980-01-01 is the earliest time a zip can hold; used when SOURCE_DATE_EPOCH is not set.
DEFAULT_EPOCH = 315532800
FILE_MODE = 0o644
DIR_MODE = 0o755
COMPRESSION = zipfile.ZIP_DEFLATED
COMPRESS_LEVEL = 9


@dataclass(frozen=True)
class ArchiveResult:
    """Where the zip went, its digest, and the sidecar ``.sha256`` file."""

    path: Path
    sha256: str
    sha256_path: Path
    entries: int
    size: int


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """The timestamp every entry gets: ``SOURCE_DATE_EPOCH`` (UTC) or 1980-01-01."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    epoch = DEFAULT_EPOCH
    if raw:
        try:
            epoch = int(raw)
        except ValueError:
            raise OutputError(f"SOURCE_DATE_EPOCH must be an integer, not {raw!r}") from None
    epoch = max(epoch, DEFAULT_EPOCH)  # zip cannot store dates before 1980
    t = time.gmtime(epoch)
    return (min(t.tm_year, 2107), t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


def directory_entries(paths: list[str]) -> list[str]:
    """Every parent folder of the given files, as ``name/`` entries (OpenCart does not need them,
    but zip tools and the installer's breadth-first check read more naturally with them)."""
    dirs: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]) + "/")
    return sorted(dirs)


def zip_bytes_entries(tree: PackageTree) -> list[tuple[str, bytes | None]]:
    """The entries in the order they are written: folders and files together, sorted by name."""
    files = list(tree)
    entries: list[tuple[str, bytes | None]] = [(d, None) for d in directory_entries(files)]
    entries += [(f, tree[f].data) for f in files]
    entries.sort(key=lambda e: e[0])
    return entries


def write_zip(tree: PackageTree, destination: Path) -> ArchiveResult:
    """Write ``tree`` as a reproducible zip at ``destination``, atomically.

    The zip is written to a temporary file in the same folder and renamed into place, so a
    failed or interrupted build leaves no partial zip and the previous one intact.
    """
    destination = Path(destination)
    folder = destination.parent
    if destination.is_dir():
        raise OutputError("a folder exists where the zip should be written", str(destination))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError("output path is a file, not a folder", str(folder)) from None
    except OSError as exc:
        raise OutputError(f"cannot create output folder: {exc.strerror}", str(folder)) from None
    stamp = zip_timestamp()
    tmp_name = ""
    try:
        with _signals_deferred():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as handle:
                with zipfile.ZipFile(handle, "w", compression=COMPRESSION, compresslevel=COMPRESS_LEVEL) as zf:
                    count = 0
                    for name, data in zip_bytes_entries(tree):
                        info = zipfile.ZipInfo(name, date_time=stamp)
                        info.create_system = 3  # Unix, so the mode bits below are honoured everywhere
                        if data is None:
                            info.external_attr = (0o40000 | DIR_MODE) << 16 | 0x10
                            info.compress_type = zipfile.ZIP_STORED
                            zf.writestr(info, b"")
                        else:
                            info.external_attr = (0o100000 | FILE_MODE) << 16
                            info.compress_type = COMPRESSION
                            zf.writestr(info, data, compress_type=COMPRESSION, compresslevel=COMPRESS_LEVEL)
                        count += 1
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, FILE_MODE)
            digest = _sha256(Path(tmp_name))
            os.replace(tmp_name, destination)
            tmp_name = ""
            sidecar = destination.with_name(destination.name + ".sha256")
            _write_atomic(sidecar, f"{digest}  {destination.name}\n".encode("ascii"))
    except OSError as exc:
        raise OutputError(f"cannot write zip: {exc.strerror or exc}", str(destination)) from None
    finally:
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return ArchiveResult(destination, digest, sidecar, count, destination.stat().st_size)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt while writing, so the temp file is always cleaned up."""
    previous = None
    try:
        previous = signal.getsignal(signal.SIGTERM)

        def _raise(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _raise)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
