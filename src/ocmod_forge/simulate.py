"""Running the OCMOD engine for a lint context: the package's install.xml (and ``--with`` mods)
against every ``--opencart`` tree, once per context, in OpenCart's order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .engine import Fatal, Result, apply, flags_for, order_modifications
from .errors import OpenCartTreeError
from .manifest import Manifest, ManifestError, parse_manifest
from .opencart import OpenCartTree, load_tree
from .zipread import read_zip


@dataclass
class Simulation:
    """One tree's refresh: ``result`` is None when the refresh died (``fatal`` says why).

    ``exact`` is False when some operation could not be emulated exactly (status
    ``unsupported``): files, log and findings are then the engine's best effort."""

    tree: OpenCartTree
    result: Result | None
    fatal: str
    ours: tuple[Manifest, ...]
    ours_indexes: frozenset[int]  # positions of the package's modifications in the applied order
    others: list[Manifest]
    exact: bool = True

    @property
    def ours_index(self) -> int:
        """The first of the package's modifications in the applied order."""
        return min(self.ours_indexes)

    def is_ours(self, mod: int) -> bool:
        return mod in self.ours_indexes

    def path_of(self, mod: int) -> str:
        """The package path of modification ``mod`` (install.xml, ocmod/x.ocmod.xml)."""
        if self.result is not None and 0 <= mod < len(self.result.mods):
            return self.result.mods[mod].manifest.path
        return self.ours[0].path


def load_others(paths: tuple[Path, ...]) -> list[tuple[str, Manifest]]:
    """Modifications given with ``--with``: zips (their install.xml), xml files, or folders of them."""
    found: list[tuple[str, bytes]] = []
    for path in paths:
        if path.is_dir():
            for xml in sorted(list(path.rglob("*.ocmod.xml")) + list(path.rglob("install.xml"))):
                found.append((str(xml), xml.read_bytes()))
        elif path.suffix.lower() == ".zip":
            tree = read_zip(path)
            if "install.xml" not in tree:
                raise OpenCartTreeError("no install.xml at the root of this zip", str(path))
            found.append((f"{path}:install.xml", tree["install.xml"].data))
        else:
            found.append((str(path), path.read_bytes()))
    out = []
    for label, data in found:
        try:
            out.append((label, parse_manifest(data, label)))
        except ManifestError as exc:
            raise OpenCartTreeError(f"cannot parse: {exc.message}", label, exc.line) from None
    return out


_TREES: dict[Path, OpenCartTree] = {}


def tree_for(path: Path) -> OpenCartTree:
    """Trees are cached per process: validating several packages reads a release once."""
    key = Path(path).resolve()
    if key not in _TREES:
        _TREES[key] = load_tree(key)
    return _TREES[key]


def simulate(ours: Manifest | Sequence[Manifest], opencart: tuple[Path, ...], with_paths: tuple[Path, ...]) -> list[Simulation]:
    """The package's modifications (3.0: install.xml; 4.1: every ocmod/*.ocmod.xml) with the
    ``--with`` ones, applied to each tree in OpenCart's order."""
    mine = (ours,) if isinstance(ours, Manifest) else tuple(ours)
    others = [m for _, m in load_others(with_paths)]
    sims = []
    for path in opencart:
        tree = tree_for(path)
        flags = flags_for(tree.version)
        core: list[Manifest] = []
        if flags.core_modification and tree.exists("system/modification.xml"):
            try:
                core.append(parse_manifest(tree.read("system/modification.xml").encode("utf-8", "surrogateescape"), "system/modification.xml"))
            except ManifestError:
                pass
        developer = []
        for key in tree.glob("system/*.ocmod.xml"):
            if not tree.exists(key):
                continue
            try:
                developer.append(parse_manifest(tree.read(key).encode("utf-8", "surrogateescape"), key))
            except ManifestError:
                continue
        ordered = order_modifications(core, developer, [*mine, *others])
        indexes = frozenset(i for i, m in enumerate(ordered) if any(m is o for o in mine))
        try:
            result = apply(ordered, tree, flags)
            sims.append(Simulation(tree, result, "", mine, indexes, others, result.exact))
        except Fatal as exc:
            sims.append(Simulation(tree, None, str(exc), mine, indexes, others, exc.exact))
    return sims
