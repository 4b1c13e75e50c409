"""The package under test as ``try`` needs it: the zip bytes to upload, its files, its OCMOD
manifests, and the mapping between package paths and where the installer puts them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..manifest import Manifest, ManifestError, parse_manifest
from ..tree import PackageTree, read_folder
from .errors import StoreError

SUFFIX = ".ocmod.zip"


@dataclass(frozen=True)
class TryPackage:
    """An installable package: ``layout`` is ``3.0`` (install.xml + upload/) or ``4`` (install.json)."""

    filename: str
    data: bytes
    tree: PackageTree
    layout: str
    manifest: Manifest | None = None  # 3.0 install.xml
    ocmods: tuple[tuple[str, Manifest], ...] = ()  # 4.1 ocmod/*.ocmod.xml
    install_json: dict[str, object] = field(default_factory=dict)

    @property
    def code(self) -> str:
        """4.x: the file name without ``.ocmod.zip`` (OpenCart's extension code); 3.0: the
        install.xml ``<code>`` (or the file name when there is none)."""
        if self.layout == "4" or self.manifest is None or not (self.manifest.code or "").strip():
            return self.filename[: -len(SUFFIX)] if self.filename.endswith(SUFFIX) else self.filename
        return (self.manifest.code or "").strip()

    def manifests(self) -> list[tuple[str, Manifest]]:
        """Every OCMOD manifest with its package path."""
        if self.manifest is not None:
            return [("install.xml", self.manifest)]
        return list(self.ocmods)

    def installed_path(self, path: str) -> str | None:
        """Where the installer puts a package file (store-relative), or None if it never copies it."""
        if self.layout == "3.0":
            return path[len("upload/") :] if path.startswith("upload/") else None
        if path.startswith("ocmod/"):
            return None
        if path.startswith(("image/", "system/storage/")):
            return path
        return f"extension/{self.code}/{path}"

    def package_path(self, store_rel: str) -> str | None:
        """The package file installed at ``store_rel``, or None when the store file is not the package's."""
        if self.layout == "3.0":
            candidate = "upload/" + store_rel
            return candidate if candidate in self.tree.files else None
        prefix = f"extension/{self.code}/"
        if store_rel.startswith(prefix):
            candidate = store_rel[len(prefix) :]
            return candidate if candidate in self.tree.files else None
        if store_rel.startswith(("image/", "system/storage/")) and store_rel in self.tree.files:
            return store_rel
        return None

    def admin_controllers(self) -> list[tuple[str, str]]:
        """(route, package path) of every admin controller of the package, sorted by route."""
        out: list[tuple[str, str]] = []
        if self.layout == "3.0":
            base = "upload/admin/controller/"
            for path in self.tree:
                if path.startswith(base) and path.endswith(".php"):
                    out.append((path[len(base) : -4], path))
        else:
            base = "admin/controller/"
            for path in self.tree:
                if path.startswith(base) and path.endswith(".php"):
                    out.append((f"extension/{self.code}/{path[len(base) : -4]}", path))
        return sorted(out)

    def type_extensions(self, types: list[str]) -> list[tuple[str, str, str]]:
        """(type, file code, package path) of the controllers Extensions > Extensions lists."""
        out: list[tuple[str, str, str]] = []
        base = "upload/admin/controller/extension/" if self.layout == "3.0" else "admin/controller/"
        for path in self.tree:
            if not path.startswith(base) or not path.endswith(".php"):
                continue
            parts = path[len(base) : -4].split("/")
            if len(parts) == 2 and parts[0] in types:
                out.append((parts[0], parts[1], path))
        return sorted(out)

    def find_literal(self, needle: str, *, prefer: str = "", suffixes: tuple[str, ...] = (".php", ".sql", ".xml", ".twig", ".json")) -> tuple[str, int] | None:
        """The first package file and line containing ``needle`` (a line also matching the
        regex ``prefer`` wins), for locating a leftover or a hard-coded name."""
        if not needle:
            return None
        first: tuple[str, int] | None = None
        preferred = re.compile(prefer, re.I) if prefer else None
        for path in self.tree:
            if not path.lower().endswith(suffixes):
                continue
            text = self.tree.text(path)
            if needle not in text:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if needle in line:
                    if preferred is None or preferred.search(line):
                        return path, number
                    if first is None:
                        first = (path, number)
        return first


def _tree_from_zip(data: bytes, name: str) -> PackageTree:
    from ..zipread import read_zip

    return read_zip(data, name=name)


def package_from_zip(data: bytes, filename: str) -> TryPackage:
    """Read an ``.ocmod.zip`` (bytes) into a ``TryPackage``; raises ``StoreError`` if no layout fits."""
    tree = _tree_from_zip(data, filename)
    if not tree.files:
        raise StoreError(f"{filename}: not a readable zip with files in it")
    if "install.json" in tree.files:
        try:
            info = json.loads(tree.text("install.json"))
        except ValueError:
            info = {}
        ocmods: list[tuple[str, Manifest]] = []
        for path in tree:
            if path.startswith("ocmod/") and path.endswith(".ocmod.xml"):
                try:
                    ocmods.append((path, parse_manifest(tree.files[path].data, path)))
                except ManifestError:
                    continue
        return TryPackage(filename, data, tree, "4", None, tuple(ocmods), info if isinstance(info, dict) else {})
    if "install.xml" in tree.files or any(p.startswith("upload/") for p in tree):
        manifest = None
        if "install.xml" in tree.files:
            try:
                manifest = parse_manifest(tree.files["install.xml"].data, "install.xml")
            except ManifestError:
                manifest = None
        return TryPackage(filename, data, tree, "3.0", manifest)
    raise StoreError(f"{filename}: neither an OpenCart 3.0 package (install.xml, upload/) nor a 4.x package (install.json) at the zip root")


def load_packages(path: Path, workdir: Path) -> dict[str, TryPackage]:
    """The package for each OpenCart generation (``3.0``, ``4.0``, ``4.1``) of a project (built
    first, one package per target), a package folder (zipped) or an ``.ocmod.zip``."""
    from ..archive import write_zip
    from ..project import PROJECT_FILE

    project_file = path if path.is_file() and path.suffix.lower() in (".yaml", ".yml") else path / PROJECT_FILE if path.is_dir() else None
    if project_file is not None and project_file.is_file():
        from ..api import build

        result = build(project_file, output=workdir / "build")
        if result.refused:
            names = ", ".join(p.target.generation for p in result.refused)
            raise StoreError(f"{project_file}: the build of the {names} package found errors (run `ocmod-forge build` to see them); nothing to try")
        return {p.target.generation: package_from_zip(p.destination.read_bytes(), p.destination.name) for p in result.packages}
    if path.is_dir():
        tree = read_folder(path)
        name = path.resolve().name
        filename = name if name.endswith(SUFFIX) else name + SUFFIX
        archive = write_zip(tree, workdir / "build" / filename)
        package = package_from_zip(archive.path.read_bytes(), filename)
    elif path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
        package = package_from_zip(data, path.name)
    else:
        raise StoreError(f"{path}: no such file or folder")
    return {"3.0": package} if package.layout == "3.0" else {"4.0": package, "4.1": package}
