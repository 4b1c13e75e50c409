"""OpenCart releases for ``try``: resolving what the user named, copying it into a throwaway store,
and the few repairs an unmodified release tree needs to install on today's PHP.

A release is a folder holding ``upload/``, the ``upload/`` folder itself, or an OpenCart release
zip. ``--opencart`` values go through a resolver (``ReleaseResolver``): the default one accepts
paths; a release cache can plug in one that also knows names such as ``3.0.3.8``.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ForgeError, OpenCartTreeError
from ..opencart import load_tree
from .errors import StoreError

ReleaseResolver = Callable[[str], Path]
"""Turns one ``--opencart`` value into a release folder or zip on disk (raises ``StoreError``)."""

SERIES = ("3.0", "4.0", "4.1")


def resolve_path(spec: str) -> Path:
    """The default resolver: ``spec`` must be an existing folder or zip."""
    path = Path(spec).expanduser()
    if not path.exists():
        raise StoreError(f"--opencart {spec}: no such release folder or zip")
    return path


@dataclass(frozen=True)
class Release:
    """One OpenCart release to try the package in."""

    spec: str
    path: Path
    version: str

    @property
    def series(self) -> str:
        return ".".join(self.version.split(".")[:2])

    @property
    def label(self) -> str:
        return self.version

    def at_least(self, version: str) -> bool:
        return _tuple(self.version) >= _tuple(version)


def _tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def open_release(spec: str, resolver: ReleaseResolver = resolve_path) -> Release:
    """Resolve ``spec`` and read the release's version; refuses series ``try`` cannot drive."""
    try:
        path = resolver(spec)
    except ForgeError as exc:
        raise StoreError(f"--opencart {spec}: {exc.message}") from None
    try:
        tree = load_tree(path)
    except OpenCartTreeError as exc:
        raise StoreError(f"--opencart {spec}: {exc.message}") from None
    release = Release(spec, path, tree.version)
    if release.series not in SERIES:
        raise StoreError(f"--opencart {spec}: OpenCart {tree.version} is not supported by try (3.0.x, 4.0.x and 4.1.x are)")
    return release


def copy_release(release: Release, dest: Path) -> None:
    """Copy the release's ``upload/`` content into ``dest`` (which must not exist)."""
    path = release.path
    if path.is_dir():
        root = path / "upload" if (path / "upload" / "admin").is_dir() and not (path / "admin").is_dir() else path
        configs = {str(root), str(root / "admin")}

        def ignore(folder: str, names: list[str]) -> set[str]:
            # A store root brings its own config.php files; the CLI installer writes new ones.
            return {"config.php"} & set(names) if folder in configs else set()

        try:
            shutil.copytree(root, dest, symlinks=True, ignore=ignore)
        except OSError as exc:
            raise StoreError(f"cannot copy {root}: {exc}") from None
        return
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist()]
            marker = next((n for n in names if n.endswith("admin/index.php") and "/upload/" in "/" + n), None)
            if marker is None:
                raise StoreError(f"{path}: no upload/admin/index.php in this zip")
            base = marker[: -len("admin/index.php")]
            dest.mkdir(parents=True)
            for info in archive.infolist():
                if not info.filename.startswith(base) or info.is_dir():
                    continue
                rel = PurePosixPath(info.filename[len(base) :])
                if rel.is_absolute() or ".." in rel.parts or not rel.parts:
                    continue
                target = dest.joinpath(*rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None


_AUTOLOAD_FILE = re.compile(r"\$vendorDir \. '(/[^']+\.php)'")
_ERRCONTEXT = re.compile(r"(\([^()]*?),\s*array\s+\$errcontext\s*\)\s*\{")


def repair(store: Path) -> list[str]:
    """Make an unmodified release installable on PHP 8 without touching what a package meets.

    Returns one note per repair. Three are known: release trees taken from OpenCart's git tags
    3.0.3.0–3.0.3.8 lack vendor files that Composer's autoloader requires (react/promise and
    symfony/polyfill-mbstring are empty submodules there); the CLI installers of 3.0.x and
    4.0.x declare their error handler with a fifth parameter PHP 8 no longer passes, so the
    first PHP 8 deprecation kills the install; and the CLI installer of 3.0.2.0–3.0.3.6 never
    defines DIR_STORAGE, which system/startup.php needs. All are fixed in the throwaway copy only.
    """
    notes: list[str] = []
    files = store / "system" / "storage" / "vendor" / "composer" / "autoload_files.php"
    if files.is_file():
        vendor = files.parent.parent
        for rel in _AUTOLOAD_FILE.findall(files.read_text(encoding="utf-8", errors="replace")):
            target = vendor / rel.lstrip("/")
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("<?php\n// ocmod-forge try: this release tree lacks the file; an empty stand-in lets Composer's autoloader run.\n", encoding="utf-8")
                notes.append(f"added an empty stand-in for system/storage/vendor/{rel.lstrip('/')} (missing from the release tree)")
    installer = store / "install" / "cli_install.php"
    if installer.is_file():
        text = installer.read_text(encoding="utf-8", errors="replace")
        fixed, count = _ERRCONTEXT.subn(
            lambda m: m.group(1) + ", array $errcontext = []) {\n\tif (in_array(func_get_arg(0), [E_DEPRECATED, E_USER_DEPRECATED], true)) { return true; }",
            text,
        )
        if count:
            notes.append("install/cli_install.php: error handler made PHP 8 compatible (deprecations no longer abort the installer)")
        if "define('DIR_STORAGE'" not in fixed and "define('DIR_SYSTEM'" in fixed:
            # 3.0.2.0–3.0.3.6: system/startup.php reads DIR_STORAGE, which this installer never defines.
            fixed = re.sub(r"(define\('DIR_SYSTEM'[^\n]*\n)", lambda m: m.group(1) + "define('DIR_STORAGE', DIR_SYSTEM . 'storage/');\n", fixed, count=1)
            notes.append("install/cli_install.php: DIR_STORAGE defined (the installer of this release uses it without defining it)")
        if fixed != text:
            installer.write_text(fixed, encoding="utf-8")
    return notes
