"""TPL — leaks of the rendering step into the package."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Context, Finding, Result, rule

_LEFTOVER = re.compile(r"\[%-?\s|\s-?%\]|\[=\s|\s=\]|\[#\s.*?\s#\]")
_TEXT_SUFFIXES = (".php", ".twig", ".xml", ".sql", ".js", ".css", ".html", ".txt", ".json", ".ini")


@rule("TPL001", "template-delimiter-leftover", "error", ("3.0", "4.0", "4.1"))
def template_delimiter_leftover(ctx: Context) -> Iterator[Result]:
    """A rendered file still contains ocmod-forge template delimiters.

    ``[% … %]``, ``[= … =]`` and ``[# … #]`` in a package file usually mean a template was not
    rendered (it lacks the ``.j2`` suffix) or a delimiter was mistyped; the text would reach the
    store verbatim.

    Fail::

        === upload/admin/language/en-gb/extension/module/meschain.php
        <?php
        $_['heading_title'] = 'MesChain Sync';
        $_['text_version']  = 'Version [= ext.version =]';
        === expect: upload/admin/language/en-gb/extension/module/meschain.php:3

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === admin/language/en-gb/module/meschain.php
        <?php
        $_['heading_title'] = 'MesChain Sync';
        $_['text_version']  = 'Version [= ext.version =]';
        === expect: admin/language/en-gb/module/meschain.php:3

    Pass::

        === upload/admin/language/en-gb/extension/module/meschain.php
        <?php
        $_['heading_title'] = 'MesChain Sync';
        $_['text_version']  = 'Version 3.1.1';
        $_['text_levels']   = implode(', ', $levels[$group]);
    """
    for path in ctx.files(*_TEXT_SUFFIXES):
        text = ctx.text(path)
        if "[%" not in text and "[=" not in text and "[#" not in text:
            continue  # the common case: no candidate at all, skip the per-line scan
        for number, line in enumerate(text.split("\n"), 1):
            match = _LEFTOVER.search(line)
            if match:
                yield Finding(path, f"leftover template delimiter {match.group(0).strip()!r}", number, match.start() + 1,
                    hint=f"name the source templates/{path}.j2 so ocmod-forge renders it, or complete the delimiter pair ([= … =], [% … %], [# … #]) if it is mistyped")
                break


@rule("TPL002", "empty-file", "warning", ("3.0", "4.0", "4.1"))
def empty_file(ctx: Context) -> Iterator[Result]:
    """A package file is empty (or only whitespace).

    An empty PHP, Twig or language file usually means a template rendered nothing by mistake.
    OpenCart copies it anyway and may later include it, replacing working code with nothing.

    Fail::

        === upload/admin/controller/extension/module/meschain.php (empty)
        === expect: upload/admin/controller/extension/module/meschain.php:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === admin/controller/module/meschain.php (empty)
        === expect: admin/controller/module/meschain.php:0

    Pass::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {}
    """
    for path in ctx.files():
        if not ctx.tree[path].data.strip():
            yield Finding(path, "file is empty", 0, 0, hint=f"check what its template rendered (templates/{path}[.j2]); to leave the file out on purpose, "
                "make a path segment render empty ([% if … %]name[% endif %]) and the file is dropped")
