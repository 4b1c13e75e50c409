"""The per-user release cache: OpenCart releases to check packages against, by version.

``ocmod-forge opencart add 3.0.3.8`` downloads the release from GitHub (or takes ``--from`` a
release zip or a release folder) and keeps its ``upload/`` tree under
``<cache>/releases/3.0.3.8/``; projects then name releases in ``opencart.releases`` and
``--opencart`` takes a version as well as a path. A release is checked before it is kept: its
``admin/index.php`` must declare the version it is filed under.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .cache import cache_root
from .errors import OpenCartTreeError
from .versions import RELEASES, VERSION_RE, generation_of

# Where `add` downloads a release from; {version} is replaced. OCMOD_FORGE_RELEASE_URL overrides
# it (a mirror, or a local server in the tests).
RELEASE_URL = "https://github.com/opencart/opencart/releases/download/{version}/opencart-{version}.zip"
_MARKER = ".ocmod-forge-release"  # written last: a folder without it is an interrupted add
_MAX_DOWNLOAD = 200 * 1024 * 1024


def releases_dir() -> Path:
    return Path(os.environ.get("OCMOD_FORGE_RELEASES") or Path(cache_root()) / "releases")


@dataclass(frozen=True)
class Release:
    """A release in the cache: its version and its tree (the release's upload/ folder)."""

    version: str
    path: Path


def cached() -> list[Release]:
    """Every complete release in the cache, oldest version first."""
    base = releases_dir()
    if not base.is_dir():
        return []
    found = [Release(p.name, p) for p in base.iterdir() if p.is_dir() and (p / _MARKER).is_file() and VERSION_RE.fullmatch(p.name)]
    return sorted(found, key=lambda r: tuple(int(x) for x in r.version.split(".")))


def find(version: str) -> Path | None:
    """The cached tree of ``version``, or None."""
    path = releases_dir() / version
    return path if (path / _MARKER).is_file() else None


def is_release_name(spec: str) -> bool:
    return VERSION_RE.fullmatch(spec.strip()) is not None


def resolve(spec: str | os.PathLike[str]) -> Path:
    """A path as it is; a version (``3.0.3.8``) as its cached tree. Raises ``OpenCartTreeError``
    naming the command that adds a missing release."""
    text = os.fspath(spec)
    if not is_release_name(text):
        path = Path(text)
        if not path.exists():
            raise OpenCartTreeError("no such file or folder (and not a release version like 3.0.3.8)", text)
        return path
    found = find(text.strip())
    if found is None:
        raise OpenCartTreeError(f"release {text} is not in the release cache; add it with `ocmod-forge opencart add {text}`", text)
    return found


def _check_version(version: str) -> None:
    if not is_release_name(version):
        raise OpenCartTreeError(f"{version!r} is not an OpenCart release version like 3.0.3.8")
    if version not in RELEASES.get(generation_of(version), ()):
        known = ", ".join(v for vs in RELEASES.values() for v in vs)
        raise OpenCartTreeError(f"OpenCart {version} is not a release ocmod-forge knows (known: {known})")


def add(version: str, source: Path | None = None, *, force: bool = False) -> Release:
    """Put a release into the cache: from ``source`` (a release zip as published, or a folder: a
    release's root or its upload/), else downloaded from ``RELEASE_URL``. The tree is checked to
    be that version before it is kept; an existing entry is kept unless ``force``."""
    from .opencart import load_tree

    _check_version(version)
    target = releases_dir() / version
    if find(version) is not None and not force:
        return Release(version, target)
    releases_dir().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".add-{version}-", dir=releases_dir()))
    try:
        if source is None:
            source = work / f"opencart-{version}.zip"
            _download(version, source)
        tree = load_tree(source)
        if tree.version != version:
            raise OpenCartTreeError(f"this is OpenCart {tree.version}, not {version}", str(source))
        unpacked = work / "upload"
        _copy_tree(source, unpacked)
        (unpacked / _MARKER).write_text(f"{version}\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Release(version, target)


def remove(version: str) -> bool:
    """Remove a release from the cache; True when there was one."""
    _check_version(version)
    path = releases_dir() / version
    if not path.exists():
        return False
    shutil.rmtree(path)
    return True


def _download(version: str, destination: Path) -> None:
    import urllib.error  # only here: urllib.request costs ~30 ms on every command otherwise
    import urllib.request

    url = os.environ.get("OCMOD_FORGE_RELEASE_URL", RELEASE_URL).format(version=version)
    try:
        with urllib.request.urlopen(url, timeout=60) as response, destination.open("wb") as out:
            size = 0
            while chunk := response.read(1 << 20):
                size += len(chunk)
                if size > _MAX_DOWNLOAD:
                    raise OpenCartTreeError(f"the download is larger than {_MAX_DOWNLOAD >> 20} MiB: not an OpenCart release", url)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise OpenCartTreeError(f"download failed: HTTP {exc.code} {exc.reason}", url) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OpenCartTreeError(f"download failed ({reason}); without network, give the release with --from ZIP_OR_FOLDER", url) from None


def _copy_tree(source: Path, destination: Path) -> None:
    """The release's upload/ folder, from a release zip (entries after their ``upload/``) or a
    release folder (its upload/ or itself), into ``destination``. Zip entries that would leave
    the folder are refused."""
    if source.is_dir():
        root = source / "upload" if (source / "upload" / "admin").is_dir() and not (source / "admin").is_dir() else source
        shutil.copytree(root, destination, symlinks=False, ignore=shutil.ignore_patterns(".git"))
        return
    with zipfile.ZipFile(source) as archive:
        names = [i for i in archive.infolist() if not i.is_dir()]
        marker = next(i.filename for i in names if i.filename.endswith("admin/index.php") and "/upload/" in "/" + i.filename)
        base = marker[: -len("admin/index.php")]
        for info in names:
            if not info.filename.startswith(base):
                continue
            rel = info.filename[len(base) :]
            target = (destination / rel).resolve()
            if not target.is_relative_to(destination.resolve()) or not rel:
                raise OpenCartTreeError(f"zip entry {info.filename!r} would leave the release folder", str(source))
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
