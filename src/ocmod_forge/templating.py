"""What templates see and how they are written: delimiters, filters, template variables and the
path conventions shared by the renderer, its cache and ``import``."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .project import Project
from .sql import DB_PREFIX_PLACEHOLDER
from .tree import LineMap, PackageTree
from .versions import Target

# Jinja's delimiters, changed so PHP, Twig, XML, SQL and JS pass through templates untouched.
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
# A path segment "@3.0", "@4.1", "@4.x" (4.0 and 4.1) or "@4.0,4.1" keeps a file for those
# targets only, and is itself left out of the built path.
TARGET_SEGMENT = re.compile(r"@((?:3\.0|4\.0|4\.1|4\.x)(?:,(?:3\.0|4\.0|4\.1|4\.x))*)")


def segment_targets(segment: str) -> frozenset[str] | None:
    """The generations a ``@…`` path segment keeps its file for, or None for an ordinary segment."""
    m = TARGET_SEGMENT.fullmatch(segment)
    if m is None:
        return None
    out: set[str] = set()
    for part in m.group(1).split(","):
        out |= {"4.0", "4.1"} if part == "4.x" else {part}
    return frozenset(out)
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


def build_context(project: Project, target: Target | None = None) -> dict[str, Any]:
    """Template variables: ``ext``, ``target`` (a ``versions.Target``: generation and releases),
    ``marketplaces``, ``all_marketplaces``, ``vars``, ``sql``."""
    return {
        "ext": project.identity,
        "target": target or project.targets[0],
        "marketplaces": list(project.enabled_marketplaces),
        "all_marketplaces": list(project.marketplaces),
        "vars": project.variables,
    }


@dataclass(frozen=True)
class Rendered:
    """A rendered project: the package tree and the project's SQL sources (for the SQL rules)."""

    tree: PackageTree
    sql_files: dict[str, str]
    sql_lines: dict[str, LineMap] = field(default_factory=dict)  # rendered .sql.j2 → line map
    # Files read through @project/ includes from outside the template folder (absolute paths):
    # the render cache's key does not walk them, so a cached render checks them itself.
    outside: tuple[str, ...] = ()


def display_path(project: Project, path: Path) -> str:
    """Paths in messages are relative to the current folder when that is shorter."""
    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return rel if len(rel) < len(text) else text
