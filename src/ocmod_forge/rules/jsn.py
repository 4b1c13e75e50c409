"""JSN — ``install.json``, the identity file of an OpenCart 4 package (opencart4-facts §1.3,
§4 Z4–Z7): present, strictly decodable, the keys each release requires, the sizes and escaping
of what the installer stores and shows, and the keys it ignores."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Severity
from ..installer4 import decode_install_json, php_truthy
from ..versions import parse
from .base import Context, Finding, Result, rule
from .oc4 import identity, releases

_TARGETS = ("4.0", "4.1")
PATH = "install.json"
_USED = ("name", "description", "version", "author", "link")
_LIMITS = {"name": 128, "version": 255, "author": 255, "link": 255}  # 4.1.0.4:DB:3076ff; 4.0.2.3:DB:2967
_HTML_RE = re.compile(r"<[a-zA-Z!/]")
_EXAMPLE = '{"name": "My Extension", "version": "1.0.0", "author": "Acme", "link": "https://example.com"}'


def _decoded(ctx: Context) -> tuple[Any, str, int] | None:
    """install.json decoded as PHP would (value, why, line), or None when it is absent."""
    if PATH not in ctx.tree:
        return None
    return decode_install_json(ctx.tree[PATH].data)


def key_line(text: str, key: str) -> int:
    """The line where ``"key":`` first appears in install.json (0 when it does not)."""
    m = re.search(r'"' + re.escape(key) + r'"\s*:', text)
    return text.count("\n", 0, m.start()) + 1 if m else 0


@rule("JSN001", "install-json-unusable", "error", _TARGETS)
def install_json_unusable(ctx: Context) -> Iterator[Result]:
    """``install.json`` is missing from the zip root, or PHP's ``json_decode`` cannot read it as a
    non-empty object.

    ``upload()`` runs ``json_decode($zip->getFromName('install.json'), true)`` and refuses a falsy
    result with "Could not find install.json!" (4.0.2.3:I:245, 4.1.0.4:I:310): a UTF-8 byte order
    mark, a trailing comma, ``[]`` or ``{}`` all count as missing. A JSON string or number stops
    the upload with a PHP error; a list is accepted by 4.1 as an extension without a name.
    (4.0.0.0 without a root install.json treats each ``FOLDER/install.json`` as a separate
    extension; that mode was removed in 4.0.1.0.)

    Fail::

        === target: 4.0
        === admin/controller/module/x.php
        <?php

    Fail::

        === target: 4.1
        === install.json
        {
          "name": "My Extension",
        }
        === expect: install.json:2

    Fail::

        === target: 4.1
        === install.json (bom)
        {"name": "My Extension"}

    Pass::

        === target: 4.1
        === install.json
        {"name": "My Extension"}
    """
    if not ctx.tree and ctx.tree.notes:
        return  # an unreadable zip is PKG203's
    decoded = _decoded(ctx)
    hint = f"put an install.json at the zip root, saved as UTF-8 without BOM, e.g. {_EXAMPLE}"
    if decoded is None:
        folders = sorted({p.split("/")[0] for p in ctx.tree if p.count("/") == 1 and p.endswith("/install.json")})
        if folders and releases(ctx) == ("4.0.0.0",):
            yield Finding(PATH, f"no install.json at the zip root: OpenCart 4.0.0.0 installs {', '.join(f + '/' for f in folders)} as separate extensions (folder mode, removed in 4.0.1.0)",
                          hint="put the extension's files and install.json at the zip root: later releases refuse this zip", severity=Severity.WARNING)
            return
        inside = f" (found {folders[0]}/install.json: the zip wraps the package in a folder)" if folders else ""
        yield Finding(PATH, f"no install.json at the zip root{inside}: OpenCart 4 refuses the upload (Could not find install.json!)", hint=hint)
        return
    value, why, line = decoded
    if why:
        yield Finding(PATH, f"install.json {why}: PHP's json_decode returns NULL and OpenCart answers 'Could not find install.json!'", line, hint=hint)
    elif not php_truthy(value):
        yield Finding(PATH, f"install.json decodes to {json.dumps(value)}, which PHP treats as false: OpenCart answers 'Could not find install.json!'", 1, hint=hint)
    elif isinstance(value, list):
        yield Finding(PATH, "install.json is a JSON list, not an object: 4.0.1.0–4.0.2.3 refuse it, 4.1 lists an extension with no name", 1, hint=hint)
    elif not isinstance(value, dict):
        yield Finding(PATH, f"install.json is a JSON {type(value).__name__}, not an object: the upload stops with a PHP error", 1, hint=hint)


@rule("JSN002", "install-json-required-key", "error", ("4.0",))
def install_json_required_key(ctx: Context) -> Iterator[Result]:
    """OpenCart 4.0.1.0–4.0.2.3 refuse an install.json without a truthy ``name``, ``version``,
    ``author`` and ``link``.

    ``upload()`` tests ``if (!$install_info['name'])`` and so on for the four keys (4.0.2.3:I:247-262):
    a missing key is a PHP warning (which, with errors displayed, breaks the JSON answer) and then
    "Name must be between 3 and 128 characters!"; ``""`` and ``"0"`` are false too. 4.0.0.0 and 4.1
    accept any of them missing; the rule checks only targets that include 4.0.1.0–4.0.2.3.

    Fail::

        === target: 4.0
        === install.json
        {"name": "My Extension", "version": "1.0.0", "link": "https://example.com"}

    Fail::

        === target: 4.0
        === install.json
        {"name": "My Extension", "version": "0", "author": "Acme", "link": "https://example.com"}
        === expect: install.json:1

    Pass::

        === target: 4.0
        === install.json
        {"name": "My Extension", "version": "1.0.0", "author": "Acme", "link": "https://example.com"}
    """
    strict = [r for r in releases(ctx) if parse("4.0.1.0") <= parse(r) <= parse("4.0.2.3")]
    decoded = _decoded(ctx)
    if not strict or decoded is None or not isinstance(decoded[0], dict):
        return
    value, text = decoded[0], ctx.text(PATH)
    span = strict[0] if len(strict) == 1 else f"{strict[0]}–{strict[-1]}"
    for key in ("name", "version", "author", "link"):
        line = key_line(text, key)
        hint = f'add "{key}": "…" with a non-empty text to install.json'
        if key not in value:
            yield Finding(PATH, f"'{key}' is missing: OpenCart {span} refuses the upload (a PHP warning, then '{key.capitalize()} must be between 3 and 128 characters!')", hint=hint)
        elif isinstance(value[key], (list, dict)):
            yield Finding(PATH, f"'{key}' is a JSON {'list' if isinstance(value[key], list) else 'object'}: OpenCart {span} stores it with an 'Array to string conversion' warning", line, hint=hint)
        elif not php_truthy(value[key]):
            yield Finding(PATH, f"'{key}' is {json.dumps(value[key])}, which PHP treats as false: OpenCart {span} refuses the upload", line, hint=hint)
        elif not isinstance(value[key], str):
            yield Finding(PATH, f"'{key}' is {json.dumps(value[key])}, not a string: OpenCart stores it as text", line,
                          hint=f'write it as a string: "{key}": "{value[key]}"', severity=Severity.WARNING)


@rule("JSN003", "install-json-value-unsafe", "warning", _TARGETS)
def install_json_value_unsafe(ctx: Context) -> Iterator[Result]:
    """A value of install.json is longer than its database column, holds HTML, or the link is not
    an http(s) URL.

    ``name`` is ``varchar(128)``, ``version``/``author``/``link`` ``varchar(255)`` (4.0.2.3:DB:2967,
    4.1.0.4:DB:3076) and the connection is not in strict mode, so longer values are cut silently.
    Twig's autoescape is off in every 4.x release and ``upload()`` stores the values raw
    (4.1.0.4:I:344-345): HTML in ``name`` or ``description`` is rendered in the Installer list;
    the list links the name to ``link`` (installer_extension.twig:16-17).

    Fail::

        === target: 4.1
        === install.json
        {"name": "<b>My Extension</b>", "description": "Adds <script>alert(1)</script>"}
        === expect: install.json:1

    Fail::

        === target: 4.0
        === install.json
        {"name": "My Extension", "version": "1.0.0", "author": "Acme", "link": "javascript:alert(1)"}

    Pass::

        === target: 4.1
        === install.json
        {"name": "My Extension", "description": "Adds a note to the footer (< 1 KB).", "link": "https://example.com"}
    """
    decoded = _decoded(ctx)
    if decoded is None or not isinstance(decoded[0], dict):
        return
    value, text = decoded[0], ctx.text(PATH)
    for key, limit in _LIMITS.items():
        item = value.get(key)
        if isinstance(item, str) and len(item) > limit:
            yield Finding(PATH, f"'{key}' is {len(item)} characters: OpenCart stores {limit} and cuts the rest silently", key_line(text, key),
                          hint=f"keep '{key}' to {limit} characters")
    for key in ("name", "description"):
        item = value.get(key)
        if isinstance(item, str) and _HTML_RE.search(item):
            yield Finding(PATH, f"'{key}' holds HTML: OpenCart renders it unescaped in the Installer (Twig autoescape is off)", key_line(text, key),
                          hint=f"write '{key}' as plain text")
    link = value.get("link")
    if isinstance(link, str) and link and not re.match(r"https?://", link, re.I):
        yield Finding(PATH, f"'link' {link!r} is not an http(s) URL: the Installer list links the extension's name to it", key_line(text, "link"),
                      hint="use the extension's web page, e.g. https://example.com/my-extension")


@rule("JSN004", "install-json-key-ignored", "info", _TARGETS)
def install_json_key_ignored(ctx: Context) -> Iterator[Result]:
    """install.json has a key OpenCart never reads; the ``code`` key in particular does not set the
    code (the file name does).

    ``upload()`` keeps only ``name``, ``version``, ``author``, ``link`` (4.0.2.3:I:274-286) and, in
    4.1, ``description`` (4.1.0.4:I:341-350); ``code`` is replaced by the file name
    (4.1.0.4:I:346). ``extension_id``/``extension_download_id`` are used only for zips dropped into
    ``storage/marketplace/`` by hand on 4.1 (:134-143). Info only: ignored keys do no harm.

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {
          "name": "My Extension",
          "code": "my_extension"
        }
        === expect: install.json:3

    Pass::

        === target: 4.1
        === install.json
        {"name": "My Extension", "description": "A note", "version": "1.0", "author": "Acme", "link": "https://example.com"}
    """
    decoded = _decoded(ctx)
    if decoded is None or not isinstance(decoded[0], dict):
        return
    value, text = decoded[0], ctx.text(PATH)
    code = identity(ctx).code
    for key in sorted(value, key=lambda k: (key_line(text, k), k)):
        line = key_line(text, key)
        if key == "code":
            named = f" ({code!r} here)" if code else ""
            differs = f"; {value[key]!r} differs from the file's code {code!r}" if code and value[key] != code else ""
            yield Finding(PATH, f"'code' is ignored: the code is the zip's file name without '.ocmod.zip'{named}{differs}", line,
                          hint="drop the key and name the zip '<code>.ocmod.zip'")
        elif key in ("extension_id", "extension_download_id"):
            yield Finding(PATH, f"'{key}' is ignored on upload (forced to 0); 4.1 reads it only for zips copied into storage/marketplace/ by hand", line,
                          hint="drop it unless the marketplace gave you the id")
        elif key not in _USED:
            yield Finding(PATH, f"'{key}' is ignored by OpenCart 4 (it reads name, version, author, link and, from 4.1, description)", line,
                          hint=f"drop '{key}' or move it into the extension's own settings")
