"""MAN — the manifest (``install.xml``): structure, required fields, attribute values."""

from __future__ import annotations

import difflib
import re
import shutil
from collections.abc import Iterator
from typing import Any

from ..manifest import FileBlock, ManifestError, Node, Operation
from ..verdicts import VerdictFactory
from .background import CachedPhpBatch, PhpJob, no_verdicts
from .base import Context, Finding, Result, rule

# lxml's message → what to change (first match wins); groups of the pattern fill the text.
_XML_FIXES = (
    (r"EntityRef|xmlParseCharRef", "a bare '&': write it as '&amp;', or put the text in <![CDATA[ … ]]>"),
    (r"StartTag: invalid element name", "a bare '<' in text: write it as '&lt;', or put the text in <![CDATA[ … ]]>"),
    (r"Unescaped '<' not allowed in attributes", "an attribute value is not closed: end it with its quote before the next '<'"),
    (r"Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)", "</{2}> does not close <{0}> (opened on line {1}): close <{0}> first, or fix the spelling"),
    (r"Premature end of data in tag (\S+) line (\d+)", "<{0}> opened on line {1} is never closed: add </{0}>"),
    (r"CData section not finished", "a <![CDATA[ section is never closed: end it with ]]>"),
    (r"Extra content at the end of the document", "everything must sit inside the one <modification> element: move this into it, or delete it"),
    (r"Start tag expected", "the file must start with <?xml version=\"1.0\" encoding=\"utf-8\"?> or <modification> (saved as UTF-8, not UTF-16)"),
    (r"Couldn't find end of Start Tag (\S+)", "the start tag <{0}> is not closed with '>' (or the file is not UTF-8)"),
)


def xml_fix(message: str) -> str:
    """What to change for an lxml well-formedness error message."""
    for pattern, fix in _XML_FIXES:
        m = re.search(pattern, message)
        if m:
            return fix.format(*m.groups())
    return "fix the XML here; `xmllint --noout install.xml` shows the same error, and PHP's DOM refuses the file just the same"


@rule("MAN001", "xml-not-well-formed", "error")
def xml_not_well_formed(ctx: Context) -> Iterator[Result]:
    """install.xml is not well-formed XML.

    OpenCart 3.0 parses install.xml with PHP's DOM when the package is installed and again at
    every Refresh. A file that does not parse is refused at install time ("Unique code is
    required for modification XML!"), and if it reaches the database it breaks Refresh with a
    fatal error that leaves the store in maintenance mode.

    Fail::

        === install.xml
        <modification>
          <name>Orders & Returns</name>
          <code>vendor_orders_returns</code>
        </modification>
        === expect: install.xml:2

    Fail::

        === install.xml
        <modification>
          <name>Orders and Returns</name>
          <code>vendor_orders_returns</code>
          <file path="admin/view/template/sale/order_info.twig">
        </modification>
        === expect: install.xml:5

    Pass::

        === install.xml
        <modification>
          <name><![CDATA[Orders & Returns]]></name>
          <code>vendor_orders_returns</code>
        </modification>
    """
    result = ctx.manifest_result
    if isinstance(result, ManifestError) and result.kind != "dtd":
        yield Finding(ctx.manifest_path, result.message, result.line or 1, result.col, hint=xml_fix(result.message))


@rule("MAN002", "xml-dtd-refused", "error")
def xml_dtd_refused(ctx: Context) -> Iterator[Result]:
    """install.xml declares a DTD or entities.

    A DOCTYPE or ``<!ENTITY>`` declaration serves no purpose in an OCMOD file and is how XML
    bombs (billion laughs, quadratic blow-up) and external-entity reads work. ocmod-forge never
    expands them and refuses the file.

    Fail::

        === install.xml
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE modification [<!ENTITY vendor "MesTech">]>
        <modification>
          <name>MesChain</name>
          <code>meschain</code>
          <author>&vendor;</author>
        </modification>
        === expect: install.xml:2

    Pass::

        === install.xml
        <?xml version="1.0" encoding="utf-8"?>
        <modification>
          <name>MesChain</name>
          <code>meschain</code>
          <author>MesTech</author>
        </modification>
    """
    result = ctx.manifest_result
    if isinstance(result, ManifestError) and result.kind == "dtd":
        yield Finding(ctx.manifest_path, result.message, result.line or 1, result.col,
            hint=f"delete the <!DOCTYPE …>/<!ENTITY …> declaration on line {result.line or 1} and write the entities' text out where they are used")


@rule("MAN003", "root-not-modification", "error")
def root_not_modification(ctx: Context) -> Iterator[Result]:
    """The root element of install.xml is not ``<modification>``.

    Refresh looks for an element named exactly ``modification`` (lowercase). Without one,
    OpenCart 3.0.0.0–3.0.5.0 stops Refresh with a fatal error; 3.0.5.1 skips the file.

    Fail::

        === install.xml
        <Modification>
          <name>MesChain</name>
          <code>meschain</code>
        </Modification>
        === expect: install.xml:1

    Fail::

        === install.xml
        <vqmod>
          <id>MesChain</id>
          <file name="catalog/controller/common/header.php"></file>
        </vqmod>

    Pass::

        === install.xml
        <modification>
          <name>MesChain</name>
          <code>meschain</code>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is not None and manifest.root_tag != "modification":
        tag = manifest.root_tag
        if tag.lower() == "modification":
            hint = f"write the root element in lowercase: <modification> … </modification> instead of <{tag}>"
        else:
            hint = f"rename the root element <{tag}> to <modification> (OCMOD's format: name, code, version, author, link, then <file path=…> blocks)"
        yield Finding(ctx.manifest_path, f"root element is <{tag}>, expected <modification>", 1, 1, hint=hint)


def _identifier(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@rule("MAN004", "code-missing", "error")
def code_missing(ctx: Context) -> Iterator[Result]:
    """install.xml has no ``<code>``, or it is empty.

    ``<code>`` is the only field OpenCart 3.0's installer requires; it identifies the
    modification, and a later package with the same code silently replaces it. An empty code
    is accepted by OpenCart but collides with every other empty code.

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <version>3.1.1</version>
        </modification>
        === expect: install.xml:1

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code></code>
        </modification>
        === expect: install.xml:3

    Pass::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code>mestech_meschain_sync</code>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    node = manifest.fields.get("code")
    suggestion = _identifier(manifest.name or "") or "vendor_extension"
    hint = f"add <code>{suggestion}</code> (a lowercase identifier unique to this extension, best prefixed with your vendor name)"
    if node is None:
        yield Finding(ctx.manifest_path, "no <code> element: OpenCart refuses the package", manifest.modification_line, 1, hint=hint)
    elif not node.raw_text.strip():
        yield Finding(ctx.manifest_path, "<code> is empty", node.line, node.col, hint=hint.replace("add ", "write ", 1))


@rule("MAN005", "name-missing", "error")
def name_missing(ctx: Context) -> Iterator[Result]:
    """install.xml has no ``<name>``, or it is empty.

    The name is what the store owner sees under Extensions > Modifications, and OpenCart
    applies modifications in order of name, so an empty name makes the order unpredictable.

    Fail::

        === install.xml
        <modification>
          <code>mestech_meschain_sync</code>
        </modification>
        === expect: install.xml:1

    Pass::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code>mestech_meschain_sync</code>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    node = manifest.fields.get("name")
    code = (manifest.code or "").strip()
    title = " ".join(part.capitalize() for part in re.split(r"[_\W]+", code) if part) or "My Extension"
    hint = f"add <name>{title}</name> before <code>: the title store owners see under Extensions > Modifications"
    if node is None:
        yield Finding(ctx.manifest_path, "no <name> element", manifest.modification_line, 1, hint=hint)
    elif not node.raw_text.strip():
        yield Finding(ctx.manifest_path, "<name> is empty", node.line, node.col, hint=f"write the title store owners see under Extensions > Modifications, e.g. <name>{title}</name>")


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

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code> mestech_meschain_sync </code>
        </modification>
        === expect: install.xml:3

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code>mestech_meschain_sync_enterprise_marketplace_integration_for_opencart</code>
        </modification>
        === expect: install.xml:3

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code>mestech_meschain_sync</code>
          <version>3.1.1</version>
          <code>meschain_sync</code>
        </modification>
        === expect: install.xml:3

    Pass::

        === install.xml
        <modification>
          <name>MesChain Sync</name>
          <code>mestech_meschain_sync</code>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None or "code" not in manifest.fields:
        return
    node = manifest.fields["code"]
    raw = node.raw_text
    code = raw.strip()
    if code and raw != code:
        yield Finding(ctx.manifest_path, "<code> has surrounding whitespace (use CDATA-free, trimmed text)", node.line, node.col, hint=f"write <code>{code}</code>")
    if len(code) > 64:
        shorter = _shorten(code, 64)
        yield Finding(ctx.manifest_path, f"<code> is {len(code)} characters; OpenCart keeps 64", node.line, node.col,
            hint=f"use a code of at most 64 characters, e.g. <code>{shorter}</code> (OpenCart would store {code[:64]!r})")
    if manifest.field_counts.get("code", 0) > 1:
        lines = [n for n, line in enumerate(ctx.text(ctx.manifest_path).split("\n"), 1) if "<code>" in line or "<code " in line]
        later = ", ".join(str(n) for n in lines[1:]) or "below"
        yield Finding(ctx.manifest_path, "more than one <code>: only the first is used", node.line, node.col,
            hint=f"keep <code>{code}</code> and delete the other <code> on line {later}")


def _shorten(code: str, limit: int) -> str:
    """``code`` cut to ``limit`` at a word boundary (underscore) where one is close."""
    cut = code[:limit]
    return cut.rsplit("_", 1)[0] if "_" in cut[limit // 2 :] else cut


@rule("MAN007", "field-truncated", "warning")
def field_truncated(ctx: Context) -> Iterator[Result]:
    """``name``, ``author`` (64), ``version`` (32) or ``link`` (255) is longer than OpenCart stores.

    OpenCart 3.0 writes them with a non-strict SQL mode: the value is cut silently.

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync Enterprise: Amazon, Trendyol, N11, Hepsiburada, eBay and more</name>
          <code>mestech_meschain_sync</code>
        </modification>
        === expect: install.xml:2

    Pass::

        === install.xml
        <modification>
          <name>MesChain-Sync Enterprise</name>
          <code>mestech_meschain_sync</code>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for name, limit in (("name", 64), ("author", 64), ("version", 32), ("link", 255)):
        node = manifest.fields.get(name)
        if node is not None and len(node.raw_text) > limit:
            yield Finding(ctx.manifest_path, f"<{name}> is {len(node.raw_text)} characters; OpenCart stores {limit}", node.line, node.col,
                hint=f"shorten it to {limit} characters or fewer; OpenCart would keep {node.raw_text[:limit]!r}")


_PREFIXES = ("admin/", "catalog/", "system/")


def _path_fix(part: str) -> str:
    """What a ``<file path>`` part OpenCart ignores should say instead."""
    fixed = part.strip().replace("\\", "/").lstrip("/")
    if fixed.startswith("upload/"):
        return f"name the file as OpenCart's cache does, without 'upload/': {fixed[len('upload/'):]!r}"
    if fixed.startswith(_PREFIXES):
        return f"write {fixed!r}"
    if fixed.startswith(("image/", "vqmod/", "storage/")) or "/" not in fixed:
        return "OCMOD changes only files under admin/, catalog/ and system/; ship other files as new files under upload/ instead"
    return f"start the path with admin/, catalog/ or system/ (relative to the store root), e.g. 'catalog/{fixed}'"


@rule("MAN008", "file-path-invalid", "error")
def file_path_invalid(ctx: Context) -> Iterator[Result]:
    r"""A ``<file path>`` part OpenCart silently ignores: no ``admin/``, ``catalog/`` or ``system/``
    prefix, whitespace around ``|``, backslashes, ``**``, or no ``path`` attribute at all.

    Parts are not trimmed, prefixes are tested by characters, and backslashes are only
    converted from 3.0.3.7 on; an ignored part makes its operations never run, with no log line.

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/header.twig | admin/view/template/common/footer.twig">
            <operation>
              <search><![CDATA[</body>]]></search>
              <add position="before"><![CDATA[<script src="view/javascript/vendor/menu.js"></script>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:4

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="upload/admin/controller/common/column_left.php">
            <operation>
              <search><![CDATA[$data['menus'] = array();]]></search>
              <add position="after"><![CDATA[$data['vendor_menu'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:4

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin\controller\common\column_left.php">
            <operation>
              <search><![CDATA[$data['menus'] = array();]]></search>
              <add position="after"><![CDATA[$data['vendor_menu'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:4

    Pass::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/header.twig|admin/view/template/common/footer.twig">
            <operation>
              <search><![CDATA[</body>]]></search>
              <add position="before"><![CDATA[<script src="view/javascript/vendor/menu.js"></script>]]></add>
            </operation>
          </file>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        if block.path is None:
            if "name" not in block.attrs:  # vQmod's <file name> is MAN011's, with a better message
                yield Finding(ctx.manifest_path, "<file> without a path attribute does nothing", block.line, block.col,
                    hint='add path="…" naming the file to change relative to the store root, e.g. <file path="catalog/controller/common/header.php">')
            continue
        parts = block.path.split("|")
        for part in parts:
            if part != part.strip():
                joined = "|".join(p.strip() for p in parts)
                yield Finding(ctx.manifest_path, f"path part {part!r} has surrounding whitespace: OpenCart ignores it", block.line, block.col,
                    hint=f'write the parts without spaces: path="{joined}"')
            elif "\\" in part:
                yield Finding(ctx.manifest_path, f"path part {part!r} uses backslashes (ignored before OpenCart 3.0.3.7)", block.line, block.col, hint=_path_fix(part))
            elif not part.startswith(_PREFIXES):
                yield Finding(ctx.manifest_path, f"path part {part!r} does not start with admin/, catalog/ or system/: OpenCart ignores it", block.line, block.col, hint=_path_fix(part))
            elif "**" in part:
                yield Finding(ctx.manifest_path, f"path part {part!r} uses '**', which PHP's glob does not support", block.line, block.col,
                    hint=f"use one '*' per folder level ({part.replace('**', '*')!r}) or list the files with '|'")


@rule("MAN009", "operation-search-add-count", "error")
def operation_search_add_count(ctx: Context) -> Iterator[Result]:
    """An ``<operation>`` lacks ``<search>`` or ``<add>``, or has more than one of either.

    A missing one stops Refresh with a PHP fatal error (maintenance mode stays on) in every 3.0
    release but 3.0.5.1; extra ones are ignored silently.

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <add position="after"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = true;]]></add>
              <search><![CDATA[$data['base'] = $server;]]></search>
              <add position="after"><![CDATA[$data['vendor_base'] = $server;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
    """
    for _block, op in _ops(ctx):
        if op.search_count != 1 or op.add_count != 1:
            if op.search_count == 0:
                hint = "add a <search> holding one line of the target file for the <add> to anchor on"
            elif op.add_count == 0:
                hint = 'add <add position="after|before|replace"><![CDATA[…]]></add> with the text to insert (empty to delete with replace)'
            else:
                hint = "split it: one <operation> per <search>/<add> pair; OpenCart reads only the first of each"
            yield Finding(ctx.manifest_path, f"operation has {op.search_count} <search> and {op.add_count} <add>; exactly one of each is required", op.line, op.col, hint=hint)


_VQMOD_POSITIONS = ("top", "bottom", "ibefore", "iafter", "all")
_VQMOD_FIXES = {
    "top": 'OCMOD has no "top": search for the first line (e.g. <?php) and use position="after"',
    "bottom": 'OCMOD has no "bottom": search for the last line that stays (e.g. a closing tag) and use position="before" or "after"',
    "ibefore": 'OCMOD works on whole lines: use position="replace" with an <add> that holds the new text followed by the search text',
    "iafter": 'OCMOD works on whole lines: use position="replace" with an <add> that holds the search text followed by the new text',
    "all": 'OCMOD has no "all": use position="replace" on a search that matches the lines to change',
}


@rule("MAN010", "position-invalid", "error")
def position_invalid(ctx: Context) -> Iterator[Result]:
    """``<add position>`` is not exactly ``before``, ``after`` or ``replace``.

    Any other value (a typo, ``After`` in capitals, or vQmod's ``top``/``bottom``/``ibefore``/
    ``iafter``) silently behaves as ``replace`` and deletes the search text.

    Fail::

        === install.xml
        <modification>
          <name>Footer</name>
          <code>vendor_footer</code>
          <file path="catalog/view/theme/*/template/common/footer.twig">
            <operation>
              <search><![CDATA[</footer>]]></search>
              <add position="After"><![CDATA[<div id="vendor-chat"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:7

    Fail::

        === install.xml
        <modification>
          <name>Footer</name>
          <code>vendor_footer</code>
          <file path="catalog/view/theme/*/template/common/footer.twig">
            <operation>
              <search><![CDATA[</footer>]]></search>
              <add position="bottom"><![CDATA[<div id="vendor-chat"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:7

    Pass::

        === install.xml
        <modification>
          <name>Footer</name>
          <code>vendor_footer</code>
          <file path="catalog/view/theme/*/template/common/footer.twig">
            <operation>
              <search><![CDATA[</footer>]]></search>
              <add position="after"><![CDATA[<div id="vendor-chat"></div>]]></add>
            </operation>
          </file>
        </modification>
    """
    for _block, op in _ops(ctx):
        add = op.add
        if add is None:
            continue
        position = add.attrs.get("position")
        if position is not None and position not in ("before", "after", "replace"):
            vqmod = position.lower() in _VQMOD_POSITIONS
            if vqmod:
                hint = _VQMOD_FIXES[position.lower()]
            else:
                close = difflib.get_close_matches(position.lower().strip(), ("before", "after", "replace"), n=1, cutoff=0.5)
                hint = f'write position="{close[0]}" (lowercase, exactly)' if close else 'use position="before", "after" or "replace"'
            yield Finding(ctx.manifest_path, f"position {position!r}{' (vQmod position)' if vqmod else ''} is not before/after/replace: OpenCart replaces the search text instead",
                add.line, add.col, hint=hint)


@rule("MAN011", "vqmod-habit", "error")
def vqmod_habit(ctx: Context) -> Iterator[Result]:
    """A vQmod construct OCMOD does not understand: ``position``/``offset`` on ``<search>``, ``<file name>``.

    OCMOD reads position from ``<add>``; with it on ``<search>`` the operation becomes a replace
    that deletes the search text. A ``<file>`` with ``name`` (vQmod) and no ``path`` is never
    applied. (vQmod's ``index`` is also 1-based where OCMOD's is 0-based: ANC003 checks indexes
    against a real OpenCart tree.)

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search position="after"><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file name="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:4

    Pass::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        if block.path is None and "name" in block.attrs:
            yield Finding(ctx.manifest_path, "<file name=…> is vQmod syntax; OCMOD only reads path=…", block.line, block.col,
                hint=f'write <file path="{block.attrs["name"]}"> (relative to the store root, several files joined with |)')
    for _block, op in _ops(ctx):
        search = op.search
        if search is not None and ("position" in search.attrs or "offset" in search.attrs):
            moved = " ".join(f'{name}="{search.attrs[name]}"' for name in ("position", "offset") if name in search.attrs)
            yield Finding(ctx.manifest_path, "position/offset on <search> is vQmod syntax; OCMOD reads them from <add>", search.line, search.col,
                hint=f"move {moved} from <search> to <add>: <add {moved}>")


_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ERROR_WORDS = {"skip": ("ignore", "continue", "none", "silent", "quiet", "next", "false", "off", "warn", "warning"), "abort": ("stop", "halt", "fail", "cancel", "rollback", "exit")}


def attribute_fix(name: str, value: str) -> str:
    """The value to write instead of an invalid ``name=value`` operation attribute."""
    low = value.strip().lower()
    if name == "error":
        mode = next((m for m, words in _ERROR_WORDS.items() if low in words), None) or next(iter(difflib.get_close_matches(low, ("skip", "log", "abort"), n=1)), None)
        meaning = {"skip": "leaves out only this operation when its search is missing", "log": "skips the rest of this file (the default)", "abort": "undoes the whole modification"}
        if mode is not None:
            return f'write error="{mode}": it {meaning[mode]}; ' + ", ".join(f'"{m}" {meaning[m]}' for m in meaning if m != mode)
        return "; ".join(f'error="{m}" {meaning[m]}' for m in meaning)
    digits = re.findall(r"-?\d+", value)
    if name == "offset":
        number = _NUMBERS.get(low, int(digits[0]) if digits else None)
        return f'write offset="{number}" (a whole number of lines)' if number is not None else 'write a whole number of lines, e.g. offset="1"'
    if name == "index":
        ranges = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", value)
        if ranges and int(ranges.group(1)) <= int(ranges.group(2)) <= int(ranges.group(1)) + 50:
            listed = ",".join(str(n) for n in range(int(ranges.group(1)), int(ranges.group(2)) + 1))
            return f'list the occurrences one by one: index="{listed}" (0-based: the first match is 0)'
        if low in ("first", "last"):
            return 'index="0" is the first match; there is no "last": count the matches in the target file'
        numbers = [d.lstrip("-") for d in digits]
        return f'write index="{",".join(numbers)}" (0-based, comma-separated, no ranges)' if numbers else 'write 0-based occurrence numbers separated by commas, e.g. index="0,2"'
    if name == "limit":
        return f'write limit="{digits[0].lstrip("-")}", or leave limit out to change every match' if digits and not digits[0].startswith("-") else "leave limit out to change every match"
    truthy = low in ("yes", "1", "on", "true", "y", "t")
    return f'write {name}="{"true" if truthy else "false"}" (lowercase: only "true" turns it on)'


@rule("MAN012", "attribute-value-invalid", "error")
def attribute_value_invalid(ctx: Context) -> Iterator[Result]:
    """An operation attribute has a value OpenCart does not honour.

    ``error`` must be ``skip``, ``log`` or ``abort`` (anything else acts as ``log``); ``offset``
    an integer (a non-number is a fatal TypeError on PHP 8); ``index`` a comma list of integers
    ≥ 0 (0-based, unlike vQmod); ``limit`` a positive integer; ``regex`` and ``trim`` exactly
    ``true`` or ``false``.

    Fail::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation error="ignore">
              <search><![CDATA[<li><a href="#tab-design" data-toggle="tab">{{ tab_design }}</a></li>]]></search>
              <add position="after"><![CDATA[<li><a href="#tab-vendor" data-toggle="tab">Vendor</a></li>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Fail::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-pane" id="tab-design">]]></search>
              <add position="before" offset="two"><![CDATA[<div class="tab-pane" id="tab-vendor"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:7

    Fail::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search index="1-2"><![CDATA[<div class="tab-content">]]></search>
              <add position="after"><![CDATA[<!-- vendor -->]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Fail::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search regex="yes"><![CDATA[~<div class="tab-pane" id="tab-(design|seo)">~]]></search>
              <add position="replace"><![CDATA[$0<!-- vendor -->]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Pass::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation error="skip">
              <search index="0,2"><![CDATA[<div class="tab-content">]]></search>
              <add position="after" offset="2"><![CDATA[<!-- vendor -->]]></add>
            </operation>
            <operation>
              <search regex="true"><![CDATA[~<div class="tab-pane" id="tab-(design|seo)">~]]></search>
              <add position="replace"><![CDATA[$0<!-- vendor -->]]></add>
            </operation>
          </file>
        </modification>
    """
    for _block, op in _ops(ctx):
        checks: list[tuple[Operation | Node, str, str]] = []
        error = op.attrs.get("error")
        if error is not None and error not in ("skip", "log", "abort"):
            checks.append((op, f"error={error!r} is not skip/log/abort (treated as log)", attribute_fix("error", error)))
        for node in (op.search, op.add):
            if node is None:
                continue
            for name, value in node.attrs.items():
                if name == "offset" and not re.fullmatch(r"-?\d+", value.strip()):
                    checks.append((node, f"offset={value!r} is not an integer (fatal TypeError on PHP 8)", attribute_fix(name, value)))
                elif name == "index" and not re.fullmatch(r"\s*\d+\s*(,\s*\d+\s*)*", value):
                    checks.append((node, f"index={value!r} is not a comma list of 0-based integers", attribute_fix(name, value)))
                elif name == "limit" and not re.fullmatch(r"\d+", value.strip()):
                    checks.append((node, f"limit={value!r} is not a positive integer", attribute_fix(name, value)))
                elif name in ("regex", "trim") and value not in ("true", "false"):
                    checks.append((node, f"{name}={value!r} is not 'true' or 'false'", attribute_fix(name, value)))
        for where, message, hint in checks:
            yield Finding(ctx.manifest_path, message, where.line, where.col, hint=hint)


@rule("MAN013", "search-unmatchable", "error")
def search_unmatchable(ctx: Context) -> Iterator[Result]:
    """A line-mode search is empty after trimming, or spans several lines.

    OCMOD compares the search with each line separately: a multi-line search can never match.
    An empty one matches every line on PHP 8 (and none on PHP 7).

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<nav id="column-left">
          <div id="navigation">]]></search>
              <add position="after"><![CDATA[<div id="vendor-menu"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search>   </search>
              <add position="after"><![CDATA[<div id="vendor-menu"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Pass::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<nav id="column-left">]]></search>
              <add position="after"><![CDATA[<div id="vendor-menu"></div>]]></add>
            </operation>
          </file>
        </modification>
    """
    for _block, op in _ops(ctx):
        search = op.search
        if search is None or search.attrs.get("regex") == "true":
            continue
        text = search.text.strip() if search.attrs.get("trim", "") in ("", "true") else search.text
        if not text.strip():
            yield Finding(ctx.manifest_path, "empty search: on PHP 8 it matches every line", search.line, search.col,
                hint="put one line of the target file (the anchor) in <search>")
        elif "\n" in text:
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            yield Finding(ctx.manifest_path, "search spans several lines; OCMOD matches line by line, so it never matches", search.line, search.col,
                hint=f"search for one of its lines, e.g. <search><![CDATA[{lines[0]}]]></search>, and use offset to reach the others; or a regex=\"true\" pattern")



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


_MODIFIERS = "imsxuADSUXJn"


def regex_fix(pattern: str, error: str | None) -> str:
    """What to change in an invalid PHP regex ``pattern`` (``error``: PHP's warning, when known)."""
    error = error or ""
    if not pattern or pattern[0].isalnum() or pattern[0] in "\\ " or "alphanumeric" in error:
        return f"PHP patterns need delimiters: write ~{pattern}~ (add modifiers after the second ~, e.g. ~…~i)"
    opener = pattern[0]
    closer = {"(": ")", "[": "]", "{": "}", "<": ">"}.get(opener, opener)
    ending = re.search(r"No ending (?:matching )?delimiter '(.)'", error)
    modifier = re.search(r"Unknown modifier '(.)'", error)
    if ending or closer not in pattern[1:]:
        return f"close the pattern with its delimiter {closer!r} (and escape {closer!r} inside it as \\{closer})"
    end = pattern.rfind(closer)
    bad = modifier.group(1) if modifier else next((c for c in pattern[end + 1 :] if c not in _MODIFIERS + "\n\r "), None)
    if bad is not None:
        other = next((d for d in "~#%!@" if d not in pattern), "~")
        return (f"{bad!r} after the closing {closer!r} is not a PHP modifier (valid: {', '.join(_MODIFIERS)}); if {closer!r} occurs inside the pattern, "
            f"escape it as \\{closer} or use a delimiter the pattern does not contain, such as {other}")
    detail = error.split(": ", 1)[-1] if error else "it does not compile"
    return f"fix the pattern between the delimiters: {detail} (count its parentheses and brackets, and escape literal ( ) [ ] . $ with a backslash)"


@rule("MAN014", "regex-pattern-invalid", "error")
def regex_pattern_invalid(ctx: Context) -> Iterator[Result]:
    r"""A ``regex="true"`` search is not a valid PHP PCRE pattern (delimiters, modifiers, syntax).

    ``preg_replace`` then returns null and OpenCart writes the target file EMPTY to the
    modification cache: the page or class it holds disappears from the store. With ``php`` on
    PATH the pattern is compiled by PHP's own PCRE (an exact answer); without it, by a Python
    approximation of PCRE, and the message says so.

    Fail::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[\$data\['price'\] = (.*);]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1; $data['vendor_price'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Fail::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = (.*);~Z]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1; $data['vendor_price'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Fail::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = ((.*);~]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1; $data['vendor_price'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:6

    Pass::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = (.*);~]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1; $data['vendor_price'] = true;]]></add>
            </operation>
          </file>
        </modification>
    """
    searches = [(op.search, op.search.text.strip()) for _block, op in _ops(ctx) if op.search is not None and op.search.attrs.get("regex") == "true"]
    if not searches:
        return
    verdicts = php_pattern_errors([pattern for _node, pattern in searches], ctx.verdicts)
    for node, pattern in searches:
        if verdicts is not None:
            error = verdicts[pattern]
            if error is not None:
                yield Finding(ctx.manifest_path, f"PHP rejects the pattern ({error}): the target file would be blanked", node.line, node.col, hint=regex_fix(pattern, error))
        elif _python_regex(pattern) is None:
            yield Finding(ctx.manifest_path, "not a valid PCRE pattern (delimiters, modifiers or syntax; checked by a Python approximation, php not on PATH): "
                "the target file would be blanked", node.line, node.col, hint=regex_fix(pattern, None))


@rule("MAN015", "abort-cancels-later-modifications", "warning")
def abort_cancels_later_modifications(ctx: Context) -> Iterator[Result]:
    """``error="abort"``: in OpenCart 3.0 a failed search also cancels every later modification.

    3.0 rolls back this modification and leaves the whole refresh loop, so other vendors'
    extensions sorted after this one by name are not applied either. Prefer ``skip`` or ``log``.

    Fail::

        === install.xml
        <modification>
          <name>Checkout</name>
          <code>vendor_checkout</code>
          <file path="catalog/controller/checkout/confirm.php">
            <operation error="abort">
              <search><![CDATA[$this->model_checkout_order->addOrder($order_data);]]></search>
              <add position="after"><![CDATA[$this->load->controller('extension/module/vendor/track');]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Checkout</name>
          <code>vendor_checkout</code>
          <file path="catalog/controller/checkout/confirm.php">
            <operation error="skip">
              <search><![CDATA[$this->model_checkout_order->addOrder($order_data);]]></search>
              <add position="after"><![CDATA[$this->load->controller('extension/module/vendor/track');]]></add>
            </operation>
          </file>
        </modification>
    """
    for block, op in _ops(ctx):
        if op.attrs.get("error") == "abort":
            yield Finding(ctx.manifest_path, "error=\"abort\" in 3.0 also cancels every modification applied after this one", op.line, op.col,
                hint=f'use error="skip" (this operation is left out when its search is missing) or leave error out (the rest of {block.path or "this file"} is skipped); '
                "validate with --opencart to be sure the search matches")


@rule("MAN016", "add-whitespace-outside-cdata", "warning")
def add_whitespace_outside_cdata(ctx: Context) -> Iterator[Result]:
    """``<add>`` text is not in CDATA and carries newlines or indentation.

    Without CDATA the element text is used as is: the indentation and newlines of the XML file
    become blank or indented lines in the target.

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<ul id="menu">]]></search>
              <add position="after">
                &lt;li id="menu-vendor"&gt;Vendor&lt;/li&gt;
              </add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:7

    Pass::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<ul id="menu">]]></search>
              <add position="after"><![CDATA[<li id="menu-vendor">Vendor</li>]]></add>
            </operation>
          </file>
        </modification>
    """
    for _block, op in _ops(ctx):
        add = op.add
        if add is not None and not add.has_cdata and add.text != add.text.strip() and "\n" in add.text and add.attrs.get("trim") != "true":
            body = add.text.strip()
            shown = body if len(body) <= 60 and "\n" not in body else body.split("\n", 1)[0][:60] + "…"
            yield Finding(ctx.manifest_path, "add text outside CDATA starts or ends with newlines/indentation that will be inserted", add.line, add.col,
                hint=f'wrap the text in CDATA right after the tag: <add …><![CDATA[{shown}]]></add> (or add trim="true")')


_FOUR_BYTE_RE = re.compile(r"[\U00010000-\U0010FFFF]")


@rule("MAN017", "four-byte-character", "error")
def four_byte_character(ctx: Context) -> Iterator[Result]:
    """install.xml contains a 4-byte UTF-8 character (emoji, some CJK and math symbols).

    OpenCart 3.0 stores the XML in ``oc_modification`` through a 3-byte ``utf8`` connection in
    non-strict mode (even in 3.0.5.x, whose table is utf8mb4), and Refresh applies that stored
    copy, not the package's file. MariaDB stores ``????`` in place of the character (checked on
    10.11 with OpenCart's own connection settings); MySQL cuts the value there, so the next
    Refresh parses a truncated document (a fatal error up to 3.0.5.0).

    Fail::

        === install.xml
        <modification>
          <name>MesChain Sync 🚀</name>
          <code>mestech_meschain_sync</code>
        </modification>
        === expect: install.xml:2

    Pass::

        === install.xml
        <modification>
          <name>MesChain Sync &#128640;</name>
          <code>mestech_meschain_sync</code>
        </modification>
    """
    if ctx.manifest_path not in ctx.tree or ctx.manifest is None:
        return
    for number, line in enumerate(ctx.text(ctx.manifest_path).split("\n"), 1):
        m = _FOUR_BYTE_RE.search(line)
        if m:
            code = ord(m.group(0))
            yield Finding(ctx.manifest_path, f"4-byte character U+{code:X}: OpenCart 3.0's utf8 connection cannot store it "
                "(MariaDB saves '????', MySQL cuts the XML here)", number, m.start() + 1,
                hint=f"write it as the character reference &#{code}; (ASCII in the stored XML; inside CDATA it reaches the file as text, which HTML and Twig output show as the character), or drop it")
            return  # one is enough: the stored copy differs from the package from here on
