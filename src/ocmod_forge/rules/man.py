"""MAN — the manifest (``install.xml``): structure, required fields, attribute values."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

from ..manifest import FileBlock, ManifestError, Node, Operation
from ..verdicts import VerdictFactory
from .background import CachedPhpBatch, PhpJob, no_verdicts
from .base import Context, Finding, Result, rule


@rule("MAN001", "xml-not-well-formed", "error")
def xml_not_well_formed(ctx: Context) -> Iterator[Result]:
    """install.xml is not well-formed XML.

    OpenCart 3.0 parses install.xml with PHP's DOM when the package is installed and again at
    every Refresh. A file that does not parse is refused at install time ("Unique code is
    required for modification XML!"), and if it reaches the database it breaks Refresh with a
    fatal error that leaves the store in maintenance mode.

    Fail: ``<modification><name>A & B</name>`` (bare ``&``, unclosed element)
    Pass: ``<modification><name><![CDATA[A & B]]></name></modification>``
    """
    result = ctx.manifest_result
    if isinstance(result, ManifestError) and result.kind != "dtd":
        yield Finding(ctx.manifest_path, result.message, result.line or 1, result.col)


@rule("MAN002", "xml-dtd-refused", "error")
def xml_dtd_refused(ctx: Context) -> Iterator[Result]:
    """install.xml declares a DTD or entities.

    A DOCTYPE or ``<!ENTITY>`` declaration serves no purpose in an OCMOD file and is how XML
    bombs (billion laughs, quadratic blow-up) and external-entity reads work. ocmod-forge never
    expands them and refuses the file.

    Fail: ``<!DOCTYPE m [<!ENTITY a "aaaa">]><modification>&a;</modification>``
    Pass: a plain ``<?xml version="1.0" encoding="utf-8"?>`` declaration and no DOCTYPE.
    """
    result = ctx.manifest_result
    if isinstance(result, ManifestError) and result.kind == "dtd":
        yield Finding(ctx.manifest_path, result.message, result.line or 1, result.col)


@rule("MAN003", "root-not-modification", "error")
def root_not_modification(ctx: Context) -> Iterator[Result]:
    """The root element of install.xml is not ``<modification>``.

    Refresh looks for an element named exactly ``modification`` (lowercase). Without one,
    OpenCart 3.0.0.0–3.0.5.0 stops Refresh with a fatal error; 3.0.5.1 skips the file.

    Fail: ``<Modification>…</Modification>`` or ``<mod>…</mod>``
    Pass: ``<modification>…</modification>``
    """
    manifest = ctx.manifest
    if manifest is not None and manifest.root_tag != "modification":
        yield Finding(ctx.manifest_path, f"root element is <{manifest.root_tag}>, expected <modification>", 1, 1)


@rule("MAN004", "code-missing", "error")
def code_missing(ctx: Context) -> Iterator[Result]:
    """install.xml has no ``<code>``, or it is empty.

    ``<code>`` is the only field OpenCart 3.0's installer requires; it identifies the
    modification, and a later package with the same code silently replaces it. An empty code
    is accepted by OpenCart but collides with every other empty code.

    Fail: ``<modification><name>X</name></modification>``
    Pass: ``<modification><name>X</name><code>vendor_x</code></modification>``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    node = manifest.fields.get("code")
    if node is None:
        yield Finding(ctx.manifest_path, "no <code> element: OpenCart refuses the package", manifest.modification_line, 1)
    elif not node.raw_text.strip():
        yield Finding(ctx.manifest_path, "<code> is empty", node.line, node.col)


@rule("MAN005", "name-missing", "error")
def name_missing(ctx: Context) -> Iterator[Result]:
    """install.xml has no ``<name>``, or it is empty.

    The name is what the store owner sees under Extensions > Modifications, and OpenCart
    applies modifications in order of name, so an empty name makes the order unpredictable.

    Fail: ``<modification><code>x</code></modification>``
    Pass: ``<modification><name>My Extension</name><code>x</code></modification>``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    node = manifest.fields.get("name")
    if node is None:
        yield Finding(ctx.manifest_path, "no <name> element", manifest.modification_line, 1)
    elif not node.raw_text.strip():
        yield Finding(ctx.manifest_path, "<name> is empty", node.line, node.col)


def _ops(ctx: Context) -> Iterator[tuple[FileBlock, Operation]]:
    manifest = ctx.manifest
    if manifest is not None:
        yield from manifest.operations()


@rule("MAN006", "code-malformed", "error")
def code_malformed(ctx: Context) -> Iterator[Result]:
    """``<code>`` is longer than 64 characters, has surrounding whitespace, or appears twice.

    OpenCart stores it in a varchar(64) (longer codes are cut and may collide) and compares it
    ignoring case and trailing spaces, so ``x`` and ``x `` replace each other. Only the first
    ``<code>`` element counts.

    Fail: ``<code> my_ext </code>``, a 70-character code
    Pass: ``<code>vendor_my_ext</code>``
    """
    manifest = ctx.manifest
    if manifest is None or "code" not in manifest.fields:
        return
    node = manifest.fields["code"]
    raw = node.raw_text
    if raw.strip() and raw != raw.strip():
        yield Finding(ctx.manifest_path, "<code> has surrounding whitespace (use CDATA-free, trimmed text)", node.line, node.col)
    if len(raw.strip()) > 64:
        yield Finding(ctx.manifest_path, f"<code> is {len(raw.strip())} characters; OpenCart keeps 64", node.line, node.col)
    if manifest.field_counts.get("code", 0) > 1:
        yield Finding(ctx.manifest_path, "more than one <code>: only the first is used", node.line, node.col)


@rule("MAN007", "field-truncated", "warning")
def field_truncated(ctx: Context) -> Iterator[Result]:
    """``name``, ``author`` (64), ``version`` (32) or ``link`` (255) is longer than OpenCart stores.

    OpenCart 3.0 writes them with a non-strict SQL mode: the value is cut silently.

    Fail: a 70-character ``<name>``
    Pass: ``<name>MesChain-Sync Enterprise</name>``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for name, limit in (("name", 64), ("author", 64), ("version", 32), ("link", 255)):
        node = manifest.fields.get(name)
        if node is not None and len(node.raw_text) > limit:
            yield Finding(ctx.manifest_path, f"<{name}> is {len(node.raw_text)} characters; OpenCart stores {limit}", node.line, node.col)


_PREFIXES = ("admin/", "catalog/", "system/")


@rule("MAN008", "file-path-invalid", "error")
def file_path_invalid(ctx: Context) -> Iterator[Result]:
    """A ``<file path>`` part OpenCart silently ignores: no ``admin/``, ``catalog/`` or ``system/``
    prefix, whitespace around ``|``, backslashes, or no ``path`` attribute at all.

    Parts are not trimmed, prefixes are tested by characters, and backslashes are only
    converted from 3.0.3.7 on; an ignored part makes its operations never run, with no log line.

    Fail: ``path="admin/a.twig | admin/b.twig"``, ``path="image/catalog/x.png"``, ``path="admin\\view\\x.twig"``
    Pass: ``path="admin/view/template/a.twig|admin/view/template/b.twig"``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        if block.path is None:
            if "name" not in block.attrs:  # vQmod's <file name> is MAN011's, with a better message
                yield Finding(ctx.manifest_path, "<file> without a path attribute does nothing", block.line, block.col)
            continue
        for part in block.path.split("|"):
            if part != part.strip():
                yield Finding(ctx.manifest_path, f"path part {part!r} has surrounding whitespace: OpenCart ignores it", block.line, block.col)
            elif "\\" in part:
                yield Finding(ctx.manifest_path, f"path part {part!r} uses backslashes (ignored before OpenCart 3.0.3.7)", block.line, block.col)
            elif not part.startswith(_PREFIXES):
                yield Finding(ctx.manifest_path, f"path part {part!r} does not start with admin/, catalog/ or system/: OpenCart ignores it", block.line, block.col)
            elif "**" in part:
                yield Finding(ctx.manifest_path, f"path part {part!r} uses '**', which PHP's glob does not support", block.line, block.col)


@rule("MAN009", "operation-search-add-count", "error")
def operation_search_add_count(ctx: Context) -> Iterator[Result]:
    """An ``<operation>`` lacks ``<search>`` or ``<add>``, or has more than one of either.

    A missing one stops Refresh with a PHP fatal error (maintenance mode stays on) in every 3.0
    release but 3.0.5.1; extra ones are ignored silently.

    Fail: ``<operation><add>…</add></operation>``
    Pass: exactly one ``<search>`` and one ``<add>`` per operation
    """
    for _block, op in _ops(ctx):
        if op.search_count != 1 or op.add_count != 1:
            yield Finding(ctx.manifest_path, f"operation has {op.search_count} <search> and {op.add_count} <add>; exactly one of each is required", op.line, op.col)


_VQMOD_POSITIONS = ("top", "bottom", "ibefore", "iafter", "all")


@rule("MAN010", "position-invalid", "error")
def position_invalid(ctx: Context) -> Iterator[Result]:
    """``<add position>`` is not exactly ``before``, ``after`` or ``replace``.

    Any other value — a typo, ``After`` in capitals, or vQmod's ``top``/``bottom``/``ibefore``/
    ``iafter`` — silently behaves as ``replace`` and deletes the search text.

    Fail: ``<add position="bottom">``, ``<add position="After">``
    Pass: ``<add position="after">``
    """
    for _block, op in _ops(ctx):
        add = op.add
        if add is None:
            continue
        position = add.attrs.get("position")
        if position is not None and position not in ("before", "after", "replace"):
            hint = " (vQmod position)" if position.lower() in _VQMOD_POSITIONS else ""
            yield Finding(ctx.manifest_path, f"position {position!r}{hint} is not before/after/replace: OpenCart replaces the search text instead", add.line, add.col)


@rule("MAN011", "vqmod-habit", "error")
def vqmod_habit(ctx: Context) -> Iterator[Result]:
    """A vQmod construct OCMOD does not understand: ``position``/``offset`` on ``<search>``, ``<file name>``.

    OCMOD reads position from ``<add>``; with it on ``<search>`` the operation becomes a replace
    that deletes the search text. A ``<file>`` with ``name`` (vQmod) and no ``path`` is never
    applied. (vQmod's ``index`` is also 1-based where OCMOD's is 0-based: ANC003 checks indexes
    against a real OpenCart tree.)

    Fail: ``<search position="after">foo</search><add>bar</add>``, ``<file name="catalog/x.php">``
    Pass: ``<search>foo</search><add position="after">bar</add>``, ``<file path="catalog/x.php">``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        if block.path is None and "name" in block.attrs:
            yield Finding(ctx.manifest_path, "<file name=…> is vQmod syntax; OCMOD only reads path=…", block.line, block.col)
    for _block, op in _ops(ctx):
        search = op.search
        if search is not None and ("position" in search.attrs or "offset" in search.attrs):
            yield Finding(ctx.manifest_path, "position/offset on <search> is vQmod syntax; OCMOD reads them from <add>", search.line, search.col)


@rule("MAN012", "attribute-value-invalid", "error")
def attribute_value_invalid(ctx: Context) -> Iterator[Result]:
    """An operation attribute has a value OpenCart does not honour.

    ``error`` must be ``skip``, ``log`` or ``abort``; ``offset`` an integer (a non-number is a
    fatal TypeError on PHP 8); ``index`` a comma list of integers ≥ 0 (0-based, unlike
    vQmod); ``limit`` a positive integer; ``regex`` and ``trim`` exactly ``true`` or ``false``.

    Fail: ``error="ignore"``, ``offset="two"``, ``index="1-2"``, ``regex="yes"``
    Pass: ``error="skip"``, ``offset="2"``, ``index="0,2"``, ``regex="true"``
    """
    for _block, op in _ops(ctx):
        checks: list[tuple[Operation | Node, str]] = []
        error = op.attrs.get("error")
        if error is not None and error not in ("skip", "log", "abort"):
            checks.append((op, f"error={error!r} is not skip/log/abort (treated as log)"))
        for node in (op.search, op.add):
            if node is None:
                continue
            for name, value in node.attrs.items():
                if name == "offset" and not re.fullmatch(r"-?\d+", value.strip()):
                    checks.append((node, f"offset={value!r} is not an integer (fatal TypeError on PHP 8)"))
                elif name == "index" and not re.fullmatch(r"\s*\d+\s*(,\s*\d+\s*)*", value):
                    checks.append((node, f"index={value!r} is not a comma list of 0-based integers"))
                elif name == "limit" and not re.fullmatch(r"\d+", value.strip()):
                    checks.append((node, f"limit={value!r} is not a positive integer"))
                elif name in ("regex", "trim") and value not in ("true", "false"):
                    checks.append((node, f"{name}={value!r} is not 'true' or 'false'"))
        for where, message in checks:
            yield Finding(ctx.manifest_path, message, where.line, where.col)


@rule("MAN013", "search-unmatchable", "error")
def search_unmatchable(ctx: Context) -> Iterator[Result]:
    """A line-mode search is empty after trimming, or spans several lines.

    OCMOD compares the search with each line separately: a multi-line search can never match.
    An empty one matches every line on PHP 8 (and none on PHP 7).

    Fail: ``<search><![CDATA[<li>\\n  <a>]]></search>``, ``<search>   </search>``
    Pass: one line of the target file, or ``regex="true"`` with a multi-line pattern
    """
    for _block, op in _ops(ctx):
        search = op.search
        if search is None or search.attrs.get("regex") == "true":
            continue
        text = search.text.strip() if search.attrs.get("trim", "") in ("", "true") else search.text
        if not text.strip():
            yield Finding(ctx.manifest_path, "empty search: on PHP 8 it matches every line", search.line, search.col)
        elif "\n" in text:
            yield Finding(ctx.manifest_path, "search spans several lines; OCMOD matches line by line, so it never matches", search.line, search.col)


# Each pattern is compiled by PHP's own PCRE (preg_match on an empty subject), all in one process.
_PREG_SCRIPT = r"""
$out = array();
foreach (json_decode(file_get_contents($argv[1]), true) as $pattern) {
    error_clear_last();
    $ok = @preg_match($pattern, '');
    $error = error_get_last();
    $out[] = $ok === false ? preg_replace('/^preg_match\(\): /', '', $error ? $error['message'] : preg_last_error_msg()) : null;
}
echo json_encode($out);
"""


class PcreCheck(CachedPhpBatch):
    """PHP's verdict on regex patterns: None = compiles, else PHP's warning text."""

    cache_name = "pcre"

    def __init__(self, patterns: list[str], verdicts: VerdictFactory = no_verdicts) -> None:
        super().__init__(shutil.which("php"), {p: p for p in patterns}, _PREG_SCRIPT, verdicts)

    def start(self, php: str, todo: dict[str, str]) -> PhpJob:
        self.order = sorted(todo)
        return PhpJob(php, (), _PREG_SCRIPT, self.order)

    def read(self, php: str, job: PhpJob, answer: Any) -> dict[str, Any] | None:
        if not isinstance(answer, list) or len(answer) != len(self.order):
            return None
        return dict(zip(self.order, answer, strict=False))


def php_pattern_errors(patterns: list[str], store: VerdictFactory = no_verdicts) -> dict[str, str | None] | None:
    """PHP's verdict on each pattern (None = compiles, else PHP's warning text), or None
    when php is not on PATH or could not be run. Verdicts are kept in ``store`` when given."""
    verdicts = PcreCheck(patterns, store).verdicts()
    return None if verdicts is None else {p: verdicts[p] for p in patterns}


def _python_regex(pattern: str) -> object:
    from ..engine import php_regex  # only needed without php; the engine is a large import

    return php_regex(pattern)


@rule("MAN014", "regex-pattern-invalid", "error")
def regex_pattern_invalid(ctx: Context) -> Iterator[Result]:
    """A ``regex="true"`` search is not a valid PHP PCRE pattern (delimiters, modifiers, syntax).

    ``preg_replace`` then returns null and OpenCart writes the target file EMPTY to the
    modification cache: the page or class it holds disappears from the store. With ``php`` on
    PATH the pattern is compiled by PHP's own PCRE (an exact answer); without it, by a Python
    approximation of PCRE, and the message says so.

    Fail: ``<search regex="true">foo(bar</search>`` (no delimiters), ``~a~Z`` (unknown modifier)
    Pass: ``<search regex="true"><![CDATA[~foo\\((\\w+)\\)~]]></search>``
    """
    searches = [(op.search, op.search.text.strip()) for _block, op in _ops(ctx) if op.search is not None and op.search.attrs.get("regex") == "true"]
    if not searches:
        return
    verdicts = php_pattern_errors([pattern for _node, pattern in searches], ctx.verdicts)
    for node, pattern in searches:
        if verdicts is not None:
            error = verdicts[pattern]
            if error is not None:
                yield Finding(ctx.manifest_path, f"PHP rejects the pattern ({error}): the target file would be blanked", node.line, node.col)
        elif _python_regex(pattern) is None:
            yield Finding(ctx.manifest_path, "not a valid PCRE pattern (delimiters, modifiers or syntax; checked by a Python approximation, php not on PATH): "
                "the target file would be blanked", node.line, node.col)


@rule("MAN015", "abort-cancels-later-modifications", "warning")
def abort_cancels_later_modifications(ctx: Context) -> Iterator[Result]:
    """``error="abort"``: in OpenCart 3.0 a failed search also cancels every later modification.

    3.0 rolls back this modification and leaves the whole refresh loop, so other vendors'
    extensions sorted after this one by name are not applied either. Prefer ``skip`` or ``log``.

    Fail: ``<operation error="abort">``
    Pass: ``<operation error="skip">``
    """
    for _block, op in _ops(ctx):
        if op.attrs.get("error") == "abort":
            yield Finding(ctx.manifest_path, "error=\"abort\" in 3.0 also cancels every modification applied after this one", op.line, op.col)


@rule("MAN016", "add-whitespace-outside-cdata", "warning")
def add_whitespace_outside_cdata(ctx: Context) -> Iterator[Result]:
    """``<add>`` text is not in CDATA and carries newlines or indentation.

    Without CDATA the element text is used as is: the indentation and newlines of the XML file
    become blank or indented lines in the target.

    Fail: ``<add position="after">\\n      <li>x</li>\\n    </add>``
    Pass: ``<add position="after"><![CDATA[<li>x</li>]]></add>``
    """
    for _block, op in _ops(ctx):
        add = op.add
        if add is not None and not add.has_cdata and add.text != add.text.strip() and "\n" in add.text and add.attrs.get("trim") != "true":
            yield Finding(ctx.manifest_path, "add text outside CDATA starts or ends with newlines/indentation that will be inserted", add.line, add.col)


_FOUR_BYTE_RE = re.compile(r"[\U00010000-\U0010FFFF]")


@rule("MAN017", "four-byte-character", "error")
def four_byte_character(ctx: Context) -> Iterator[Result]:
    """install.xml contains a 4-byte UTF-8 character (emoji, some CJK and math symbols).

    OpenCart 3.0 stores the XML in ``oc_modification`` through a 3-byte ``utf8`` connection in
    non-strict mode (even in 3.0.5.x, whose table is utf8mb4), and Refresh applies that stored
    copy, not the package's file. MariaDB stores ``????`` in place of the character (checked on
    10.11 with OpenCart's own connection settings); MySQL cuts the value there, so the next
    Refresh parses a truncated document (a fatal error up to 3.0.5.0).

    Fail: ``<name>MesChain 🚀</name>``, an emoji in a ``<add>`` CDATA block
    Pass: plain text, or a character reference such as ``&#128640;`` (stored as ASCII)
    """
    if ctx.manifest_path not in ctx.tree or ctx.manifest is None:
        return
    for number, line in enumerate(ctx.text(ctx.manifest_path).split("\n"), 1):
        m = _FOUR_BYTE_RE.search(line)
        if m:
            yield Finding(ctx.manifest_path, f"4-byte character U+{ord(m.group(0)):X}: OpenCart 3.0's utf8 connection cannot store it "
                "(MariaDB saves '????', MySQL cuts the XML here)", number, m.start() + 1)
            return  # one is enough: the stored copy differs from the package from here on
