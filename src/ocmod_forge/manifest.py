"""Hardened parsing of ``install.xml`` / ``*.ocmod.xml`` into a model that keeps source lines.

OpenCart reads the file with PHP's DOM (libxml2). Text values here are what PHP's ``nodeValue``
gives at Refresh time, where ``preserveWhiteSpace = false`` drops whitespace-only text next to a
CDATA section (ocmod-facts §3), so ``<add>\\n  <![CDATA[x]]>\\n</add>`` is exactly ``x``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml import etree

from .errors import ForgeError

MAX_MANIFEST_BYTES = 8_000_000  # OpenCart stores the XML in a mediumtext column (16 MB); 8 MB is generous


class ManifestError(ForgeError):
    """The manifest cannot be parsed at all. ``kind`` tells why (``syntax``, ``dtd``, ``encoding``, ``size``)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, col: int = 1, kind: str = "syntax") -> None:
        super().__init__(message, path, line)
        self.col = col
        self.kind = kind


@dataclass(frozen=True)
class Node:
    """An element of interest: its DOM text as OpenCart sees it, attributes, and position."""

    tag: str
    text: str
    attrs: dict[str, str] = field(hash=False)
    line: int
    col: int
    has_cdata: bool = False
    raw_text: str = ""  # text with default whitespace handling (what install-time reads see)


@dataclass(frozen=True)
class Operation:
    """One ``<operation>``: OpenCart uses the first search, add and ignoreif descendants."""

    line: int
    col: int
    attrs: dict[str, str] = field(hash=False)
    search: Node | None
    add: Node | None
    ignoreif: Node | None
    search_count: int
    add_count: int

    @property
    def error(self) -> str | None:
        return self.attrs.get("error")


@dataclass(frozen=True)
class FileBlock:
    """One ``<file>`` element and its operations."""

    line: int
    col: int
    path: str | None
    operations: tuple[Operation, ...]
    attrs: dict[str, str] = field(hash=False)


@dataclass(frozen=True)
class Manifest:
    """A parsed modification file."""

    path: str
    root_tag: str
    has_modification: bool  # a <modification> element anywhere (getElementsByTagName), as the engine asks
    fields: dict[str, Node] = field(hash=False)  # name, code, version, author, link: first element anywhere
    field_counts: dict[str, int] = field(hash=False)  # how many such elements exist as root children
    files: tuple[FileBlock, ...]
    modification_line: int = 1
    encoding: str = "UTF-8"
    has_bom: bool = False

    def value(self, name: str) -> str | None:
        """The install-time value of ``name`` (untrimmed, as OpenCart stores it), or None."""
        node = self.fields.get(name)
        return node.raw_text if node is not None else None

    @property
    def name(self) -> str | None:
        return self.value("name")

    @property
    def code(self) -> str | None:
        return self.value("code")

    def operations(self) -> list[tuple[FileBlock, Operation]]:
        return [(f, op) for f in self.files for op in f.operations]


def hardened_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and never touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        strip_cdata=False,
        remove_comments=False,
        recover=False,
    )


_DOCTYPE_RE = re.compile(rb"<!DOCTYPE", re.I)
_ENTITY_RE = re.compile(rb"<!ENTITY", re.I)


def parse_manifest(data: bytes, path: str = "install.xml") -> Manifest:
    """Parse a modification file; raises ``ManifestError`` with line and column when it cannot."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"file is {len(data):,} bytes; the limit is {MAX_MANIFEST_BYTES:,}", path, 1, kind="size")
    doctype = _DOCTYPE_RE.search(data) or _ENTITY_RE.search(data)
    if doctype:
        line = data.count(b"\n", 0, doctype.start()) + 1
        raise ManifestError("DTDs and entity declarations are refused (entity expansion and external access risk)", path, line, kind="dtd")
    has_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        message = str(exc.msg or exc).split(", line ")[0]
        raise ManifestError(f"not well-formed XML: {message}", path, line or 1, col or 1) from None
    except ValueError as exc:  # e.g. unsupported encoding declarations
        raise ManifestError(f"cannot parse XML: {exc}", path, 1, kind="encoding") from None
    for element in root.iter():
        # PHP's getElementsByTagName compares the node name: in a default namespace
        # (<modification xmlns="…">) that is the bare local name.
        if isinstance(element.tag, str) and element.tag.startswith("{") and element.prefix is None:
            element.tag = etree.QName(element).localname
    lines = data.decode("utf-8", errors="replace").split("\n") if _is_utf8ish(root) else data.decode("latin-1").split("\n")
    locator = _Locator(lines)
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()

    modification = root if root.tag == "modification" else next(root.iter("modification"), None)
    fields: dict[str, Node] = {}
    counts: dict[str, int] = {}
    for name in ("name", "code", "version", "author", "link", "description"):
        element = next(root.iter(name), None)
        if element is not None:
            fields[name] = _node(element, locator)
        counts[name] = sum(1 for child in root if isinstance(child.tag, str) and child.tag == name)

    blocks: list[FileBlock] = []
    if modification is not None:
        for file_el in modification.iter("file"):
            ops: list[Operation] = []
            for op_el in file_el.iter("operation"):
                searches = list(op_el.iter("search"))
                adds = list(op_el.iter("add"))
                ignoreifs = list(op_el.iter("ignoreif"))
                line, col = locator.locate(op_el)
                ops.append(
                    Operation(
                        line=line,
                        col=col,
                        attrs=dict(op_el.attrib),
                        search=_node(searches[0], locator) if searches else None,
                        add=_node(adds[0], locator) if adds else None,
                        ignoreif=_node(ignoreifs[0], locator) if ignoreifs else None,
                        search_count=len(searches),
                        add_count=len(adds),
                    )
                )
            line, col = locator.locate(file_el)
            blocks.append(FileBlock(line=line, col=col, path=file_el.get("path"), operations=tuple(ops), attrs=dict(file_el.attrib)))
    mod_line = (modification.sourceline or 1) if modification is not None else 1
    return Manifest(
        path=path,
        root_tag=str(root.tag),
        has_modification=modification is not None,
        fields=fields,
        field_counts=counts,
        files=tuple(blocks),
        modification_line=mod_line,
        encoding=encoding,
        has_bom=has_bom,
    )


def _is_utf8ish(root: etree._Element) -> bool:
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
    return encoding in ("UTF-8", "UTF8", "US-ASCII", "ASCII")


class _Locator:
    """Columns for elements: lxml gives only the line, so find the n-th ``<tag`` on that line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.seen: dict[tuple[int, str], int] = {}

    def locate(self, element: etree._Element) -> tuple[int, int]:
        """Call once per element, in document order (the n-th call for a tag on a line is the n-th)."""
        line = element.sourceline or 1
        tag = str(element.tag)
        nth = self.seen.get((line, tag), 0)
        self.seen[(line, tag)] = nth + 1
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        col = 1
        start = 0
        for _ in range(nth + 1):
            found = _find_tag(text, tag, start)
            if found < 0:
                break
            col, start = found + 1, found + 1
        return line, col


_TAG_RES: dict[str, re.Pattern[str]] = {}


def _find_tag(text: str, tag: str, start: int) -> int:
    pattern = _TAG_RES.get(tag)
    if pattern is None:
        pattern = _TAG_RES[tag] = re.compile(r"<" + re.escape(tag) + r"(?=[\s/>])")
    match = pattern.search(text, start)
    return match.start() if match else -1


_SEGMENT_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>|<!--.*?-->|<\?.*?\?>|<[^>]*>|[^<]+", re.S)


def _node(element: etree._Element, locator: _Locator) -> Node:
    line, col = locator.locate(element)
    raw = "".join(element.itertext())
    text, has_cdata = _refresh_text(element)
    return Node(tag=str(element.tag), text=text, attrs=dict(element.attrib), line=line, col=col, has_cdata=has_cdata, raw_text=raw)


def _refresh_text(element: etree._Element) -> tuple[str, bool]:
    """``nodeValue`` under libxml2's NOBLANKS rule (PHP ``preserveWhiteSpace = false``).

    A whitespace-only text run is dropped unless it is the element's only content, or the
    element's first child or the child just before it is ordinary text.
    """
    serial = etree.tostring(element, with_tail=False, encoding="unicode")
    inner_start = serial.find(">") + 1
    if serial[inner_start - 2 : inner_start] == "/>":
        return "", False
    inner = serial[inner_start : serial.rfind("</")]
    segments: list[tuple[str, str]] = []  # (kind, text): kind in text/cdata/markup
    for match in _SEGMENT_RE.finditer(inner):
        token = match.group(0)
        if match.group(1) is not None:
            segments.append(("cdata", match.group(1)))
        elif token.startswith(("<!--", "<?")):
            continue
        elif token.startswith("<"):
            # nested elements contribute their text; their own whitespace rules are ignored (rare)
            segments.append(("markup", ""))
        else:
            segments.append(("text", html.unescape(token)))
    out: list[str] = []
    has_cdata = any(kind == "cdata" for kind, _ in segments)
    for index, (kind, value) in enumerate(segments):
        if kind == "markup":
            continue
        if kind == "text" and not value.strip():
            only = len([s for s in segments if s[0] != "markup"]) == 1 and len(segments) == 1
            prev_is_text = index > 0 and segments[index - 1][0] == "text"
            first_is_text = segments[0][0] == "text" and segments[0][1].strip() != "" and index != 0
            if not (only or prev_is_text or first_is_text):
                continue
        out.append(value)
    return "".join(out), has_cdata
