"""What the OpenCart 4 package rules share: the package's code and namespace segment, its zip
entries (refused ones included), the releases it targets, and a light PHP header reader
(namespace, ``use`` imports, classes and what they extend)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..installer4 import code_problems, extension_types, namespace_segment, package_code
from .base import Context
from .php import blank_strings_and_comments

# Zip-reader notes for entries that were not read but that OpenCart's installer would see.
REFUSED_ENTRY_NOTES = ("traversal", "absolute", "backslash", "duplicate")


@dataclass(frozen=True)
class PackageIdentity:
    """The extension code and its namespace segment. ``known`` is False when there is no zip name
    (a package folder): the segment is then the one most controller and model namespaces use."""

    code: str | None
    segment: str | None
    known: bool

    def owns_route_code(self, code: str) -> bool:
        """Is ``code`` (the second segment of an ``extension/<code>/…`` route) this package's?"""
        if self.code is not None:
            return code == self.code
        return self.segment is not None and namespace_segment(code).lower() == self.segment.lower()

    @property
    def route_prefix(self) -> str:
        return f"extension/{self.code}/" if self.code else "extension/<code>/"


_EXT_NS_RE = re.compile(r"Opencart\\(?:Admin|Catalog)\\(?:Controller|Model)\\Extension\\(\w+)", re.I)


def identity(ctx: Context) -> PackageIdentity:
    """The package's code (from its file name) and namespace segment; inferred from the
    namespaces when only a folder is checked. A name with a wrong suffix (PKG201) gives the code
    it would have once renamed."""
    name = ctx.package_name
    if name is not None:
        code = package_code(name) if name.endswith(".ocmod.zip") else re.sub(r"(?i)(\.ocmod)?\.zip$", "", name)
        return PackageIdentity(code, namespace_segment(code), True)
    segments: Counter[str] = Counter()
    for path in ctx.files(".php"):
        if path.split("/", 2)[:2] in (["admin", "controller"], ["admin", "model"], ["catalog", "controller"], ["catalog", "model"]):
            header = php_header(ctx.text(path))
            if header.namespace:
                m = _EXT_NS_RE.match(header.namespace)
                if m:
                    segments[m.group(1)] += 1
    if not segments:
        return PackageIdentity(None, None, False)
    top = max(sorted(segments), key=lambda s: segments[s])
    return PackageIdentity(None, top, False)


def usable_identity(ctx: Context) -> PackageIdentity | None:
    """The identity when its code can name a namespace at all (PKG202 reports the others)."""
    ident = identity(ctx)
    if ident.segment is None or (ident.code is not None and code_problems(ident.code)):
        return None
    return ident


def entries(ctx: Context) -> list[str]:
    """Every file entry OpenCart's installer would see: the files read, and the entries the zip
    reader refused (``..``, absolute, backslash and duplicate names), in sorted order."""
    out = set(ctx.tree)
    out.update(path for kind, path, _message in ctx.tree.notes if kind in REFUSED_ENTRY_NOTES and path)
    return sorted(out)


def releases(ctx: Context) -> tuple[str, ...]:
    """The releases the package supports for the generation being checked."""
    return ctx.target_range.releases


def types_for(ctx: Context) -> tuple[str, ...]:
    """Extension types of any supported release (``language`` from 4.0.1.0, ``marketplace`` 4.0.2.3)."""
    return tuple(sorted({t for release in releases(ctx) for t in extension_types(release)}))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# --------------------------------------------------------------------------- PHP headers


@dataclass(frozen=True)
class PhpClass:
    """A class declaration: its short name, fully qualified name, the fully qualified name of
    what it extends (``""`` when nothing; names resolved as PHP does, without the leading ``\\``)
    and its line."""

    name: str
    fqcn: str
    parent: str
    parent_written: str
    line: int


@dataclass(frozen=True)
class PhpHeader:
    """The namespace (None when the file has none), its line, the ``use`` imports (lower-case
    alias → name) and the classes of one PHP file."""

    namespace: str | None
    namespace_line: int
    uses: tuple[tuple[str, str], ...]
    classes: tuple[PhpClass, ...]


_NAMESPACE_RE = re.compile(r"(?m)^[ \t]*namespace[ \t]+([\w\\]+)[ \t]*[;{]")
_USE_RE = re.compile(r"(?m)^[ \t]*use[ \t]+([\w\\]+)(?:[ \t]+as[ \t]+(\w+))?[ \t]*;")
# A class head as PHP parses it: the name is followed by extends, implements or the body.
_CLASS_RE = re.compile(r"(?m)^[ \t]*(?:(?:abstract|final|readonly)[ \t]+)*class[ \t]+(\w+)(?=\s*(?:extends\b|implements\b|\{))(?:\s+extends\s+(\\?[\w\\]+))?")


def resolve(name: str, namespace: str | None, uses: dict[str, str]) -> str:
    """A class name as written, resolved the way PHP does at compile time."""
    if name.startswith("\\"):
        return name[1:]
    first, _, rest = name.partition("\\")
    if first.lower() in uses:
        return uses[first.lower()] + ("\\" + rest if rest else "")
    return f"{namespace}\\{name}" if namespace else name


@lru_cache(maxsize=2048)
def php_header(text: str) -> PhpHeader:
    """Namespace, imports and classes of a PHP file (strings and comments ignored)."""
    code = blank_strings_and_comments(text)
    ns = _NAMESPACE_RE.search(code)
    namespace = ns.group(1) if ns else None
    first_class = _CLASS_RE.search(code)
    limit = first_class.start() if first_class else len(code)
    uses: dict[str, str] = {}
    for m in _USE_RE.finditer(code, 0, limit):
        target = m.group(1).lstrip("\\")
        uses[(m.group(2) or target.rsplit("\\", 1)[-1]).lower()] = target
    classes = []
    for m in _CLASS_RE.finditer(code):
        fqcn = f"{namespace}\\{m.group(1)}" if namespace else m.group(1)
        parent = resolve(m.group(2), namespace, uses) if m.group(2) else ""
        classes.append(PhpClass(m.group(1), fqcn, parent, m.group(2) or "", line_of(code, m.start(1))))
    return PhpHeader(namespace, line_of(code, ns.start(1)) if ns else 0, tuple(sorted(uses.items())), tuple(classes))


def package_classes(ctx: Context) -> dict[str, tuple[str, PhpClass]]:
    """Every class the package declares: lower-case fully qualified name → (path, class)."""
    out: dict[str, tuple[str, PhpClass]] = {}
    for path in ctx.files(".php"):
        for cls in php_header(ctx.text(path)).classes:
            out.setdefault(cls.fqcn.lower(), (path, cls))
    return out
