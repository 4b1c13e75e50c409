"""Rendering a project into a ``PackageTree``: filters, path rules and the render cache.

PHP, Twig, XML, SQL and JS must pass through templates untouched, so Jinja uses its own
delimiters (``DELIMITERS``), documented in the README. A render never writes to the package
folder; its result is remembered in the per-user cache (cache.py) under a digest of everything
it depends on, and the Jinja side (jinja_render.py) is imported only when that misses.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import cache_dir, load_json, store_json
from .toolinfo import file_identity
from .errors import RenderError
from .project import Project
from .sql import DB_PREFIX_PLACEHOLDER
from .tree import PackageFile, PackageTree

DELIMITERS = {
    "block_start_string": "[%",
    "block_end_string": "%]",
    "variable_start_string": "[=",
    "variable_end_string": "=]",
    "comment_start_string": "[#",
    "comment_end_string": "#]",
}
TEMPLATE_SUFFIX = ".j2"
PARTIALS_DIR = "_partials"
PER_MARKETPLACE = "__marketplace__"
MARKERS = ("[%", "[=", "[#")  # a file or path segment holding one of these is a template


# --------------------------------------------------------------------------- filters


def php_str(value: Any) -> str:
    """A PHP single-quoted string literal, quotes included: only ``\\`` and ``'`` need escaping."""
    text = str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def php_sql(statement: Any) -> str:
    """A SQL statement as a PHP expression in which ``{DB_PREFIX}`` becomes the ``DB_PREFIX`` constant."""
    parts = str(statement).split(DB_PREFIX_PLACEHOLDER)
    pieces: list[str] = []
    for index, part in enumerate(parts):
        if index:
            pieces.append("DB_PREFIX")
        if part:
            pieces.append(php_str(part))
    return " . ".join(pieces) if pieces else "''"


def xml_text(value: Any) -> str:
    """Escape text for XML element content or a quoted attribute."""
    return (
        str(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


def cdata(value: Any) -> str:
    """Wrap text in a CDATA section; a ``]]>`` inside is split across two sections."""
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sql_ident(value: Any) -> str:
    """A backtick-quoted MySQL identifier."""
    return "`" + str(value).replace("`", "``") + "`"


def camel(value: Any) -> str:
    """The OpenCart 3.0 class-name form of a route part: ``my_dash`` → ``MyDash``."""
    return "".join(part[:1].upper() + part[1:] for part in str(value).split("_") if part)


def to_json(value: Any) -> str:
    """JSON safe to embed in HTML and JS (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


FILTERS = {
    "php_str": php_str,
    "php_sql": php_sql,
    "xml_text": xml_text,
    "cdata": cdata,
    "sql_ident": sql_ident,
    "camel": camel,
    "json": to_json,
}


def build_context(project: Project) -> dict[str, Any]:
    """Template variables: ``ext``, ``target``, ``marketplaces``, ``all_marketplaces``, ``vars``, ``sql``."""
    return {
        "ext": project.identity,
        "target": project.target,
        "marketplaces": list(project.enabled_marketplaces),
        "all_marketplaces": list(project.marketplaces),
        "vars": project.variables,
    }


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Rendered:
    """A rendered project: the package tree and the project's SQL sources (for the SQL rules)."""

    tree: PackageTree
    sql_files: dict[str, str]


def render_project(project: Project) -> Rendered:
    """Render every file of the project's template folder into a package tree.

    Served from the render cache when the templates, partials, SQL files, project settings,
    current folder (it shapes paths in messages) and the rendering code are all unchanged.
    """
    root = project.templates
    if not root.is_dir():
        raise RenderError("template folder not found", _display(project, root))
    folder = cache_dir("render")
    key = _render_key(project, root) if folder is not None else None
    if folder is not None and key is not None:
        cached = _load_rendered(project, os.path.join(folder, key + ".json"))
        if cached is not None:
            return cached
    from .jinja_render import render_uncached

    rendered = render_uncached(project)
    if folder is not None and key is not None:
        _store_rendered(folder, key, rendered)
    return rendered


# Modules whose code decides a render; a change to any of them (or to Jinja) misses the cache.
_RENDER_CODE = ("render.py", "jinja_render.py", "project.py", "sql.py", "tree.py")
_KEEP_RENDERS = 16


def _render_key(project: Project, root: Path) -> str | None:
    """Digest of every input of a render, or None when an input cannot be read (the real
    render then reports it properly)."""
    digest = hashlib.sha256()
    here = os.path.dirname(__file__)
    jinja = importlib.util.find_spec("jinja2")
    for part in (
        *(file_identity(os.path.join(here, name)) for name in _RENDER_CODE),
        file_identity(jinja.origin or "") if jinja else "",
        os.getcwd(),
        str(project.path),
        str(root),
        str(project.sql),
        repr(build_context(project)),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    try:
        for base, recursive in ((root, True), (project.sql, False)):
            if not base.is_dir():
                digest.update(b"-\0")
                continue
            for dirpath, dirnames, filenames in os.walk(base):
                if any(os.path.islink(os.path.join(dirpath, d)) for d in dirnames):
                    return None  # Jinja follows linked folders, this walk does not: never cache
                dirnames.sort()
                if not recursive:
                    dirnames.clear()
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    with open(path, "rb") as handle:
                        data = handle.read()
                    digest.update(os.path.relpath(path, base).encode("utf-8", "surrogateescape") + b"\0")
                    digest.update(hashlib.sha256(data).digest())
    except OSError:
        return None
    return digest.hexdigest()


def _load_rendered(project: Project, path: str) -> Rendered | None:
    data = load_json(path)
    if data is None:
        return None
    try:
        files = {out: PackageFile(data=_decode(text, binary), source=source) for out, source, text, binary in data["files"]}
        return Rendered(PackageTree(files=files, origin=str(project.path), kind="project"), dict(data["sql_files"]))
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        return None  # another shape: render for real


def _encode(data: bytes) -> tuple[str, bool]:
    """Text for JSON: UTF-8 as it is, anything else (images copied verbatim) as base64."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), True


def _decode(text: str, binary: bool) -> bytes:
    return base64.b64decode(text, validate=True) if binary else text.encode("utf-8")


def _store_rendered(folder: str, key: str, rendered: Rendered) -> None:
    files = [[out, f.source, *_encode(f.data)] for out, f in rendered.tree.files.items()]
    store_json(os.path.join(folder, key + ".json"), {"files": files, "sql_files": rendered.sql_files}, _KEEP_RENDERS)


def _display(project: Project, path: Path) -> str:
    """Paths in messages are relative to the current folder when that is shorter."""
    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return rel if len(rel) < len(text) else text
