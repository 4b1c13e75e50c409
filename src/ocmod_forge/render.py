"""Rendering a project into a ``PackageTree``, through the render cache.

A render never writes to the package folder; its result is remembered in the per-user cache
(cache.py) under a digest of everything it depends on, and the Jinja side (jinja_render.py) is
imported only when that misses. Delimiters, filters and template variables: templating.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .cache import cache_dir, load_json, store_json
from .errors import RenderError
from .project import Project

# Re-exported for callers that render (tests, the importer): the filters live in templating.py.
from .templating import DELIMITERS, FILTERS, Rendered, build_context, camel, cdata, display_path, php_sql, php_str, sql_ident, to_json, xml_text  # noqa: F401
from .toolinfo import file_identity
from .tree import LineMap, PackageFile, PackageTree
from .versions import Target

# --------------------------------------------------------------------------- rendering


def render_project(project: Project, target: Target | None = None) -> Rendered:
    """Render every file of the project's template folder into a package tree for ``target``
    (default: the project's first target).

    Served from the render cache when the templates, partials, SQL files, project settings,
    current folder (it shapes paths in messages) and the rendering code are all unchanged.
    """
    return render_targets(project, [target or project.targets[0]])[0]


def render_targets(project: Project, targets: Sequence[Target]) -> list[Rendered]:
    """``render_project`` for several targets; the renders the cache cannot serve share one pair of
    Jinja environments, so each template is compiled once, not once per target (the target is
    only a render variable)."""
    root = project.templates
    if not root.is_dir():
        raise RenderError("template folder not found", display_path(project, root))
    folder = cache_dir("render")
    sources = _sources_digest(project, root) if folder is not None else None  # the same for every target
    environments: Any = None
    results = []
    for target in targets:
        key = _render_key(project, root, target, sources) if sources is not None else None
        cached = _load_rendered(project, os.path.join(folder, key + ".json")) if folder is not None and key is not None else None
        if cached is None:
            from .jinja_render import make_environments, render_uncached

            environments = environments or make_environments(project)
            cached = render_uncached(project, target, environments)
            if folder is not None and key is not None:
                _store_rendered(folder, key, cached)
        results.append(cached)
    return results


# Modules whose code decides a render; a change to any of them (or to Jinja) misses the cache.
_RENDER_CODE = ("render.py", "jinja_render.py", "templating.py", "project.py", "sql.py", "tree.py")
_KEEP_RENDERS = 16


def _render_key(project: Project, root: Path, target: Target, sources: str | None = None) -> str | None:
    """Digest of every input of a render, or None when an input cannot be read (the real
    render then reports it properly). ``sources``: ``_sources_digest`` when already computed."""
    if sources is None:
        sources = _sources_digest(project, root)
        if sources is None:
            return None
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
        repr(build_context(project, target)),
        sources,
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _sources_digest(project: Project, root: Path) -> str | None:
    """Digest of every file of the template folder and the SQL folder, or None when one cannot
    be read or a linked folder makes the walk incomplete."""
    digest = hashlib.sha256()
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
        for outside, digest in data["outside"]:
            if _digest_of(outside) != digest:
                return None  # an included file outside the template folder changed (or is gone)
        files = {
            out: PackageFile(data=_decode(text, binary), source=source, lines=_expand(lines))
            for out, source, text, binary, lines in data["files"]
        }
        sql_lines = {k: _expand(v) or () for k, v in data["sql_lines"].items()}
        tree = PackageTree(files=files, origin=str(project.path), kind="project")
        return Rendered(tree, dict(data["sql_files"]), sql_lines, tuple(o for o, _ in data["outside"]))
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        return None  # another shape: render for real


def _digest_of(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return ""


def _compact(lines: LineMap | None) -> list[list[Any]] | None:
    """A line map as runs ``[source, first line, count]`` (rendered files are mostly literal text)."""
    if lines is None:
        return None
    runs: list[list[Any]] = []
    for source, number in lines:
        if runs and runs[-1][0] == source and runs[-1][1] + runs[-1][2] == number:
            runs[-1][2] += 1
        else:
            runs.append([source, number, 1])
    return runs


def _expand(runs: list[list[Any]] | None) -> LineMap | None:
    if runs is None:
        return None
    return tuple((str(source), int(first) + i) for source, first, count in runs for i in range(int(count)))


def _encode(data: bytes) -> tuple[str, bool]:
    """Text for JSON: UTF-8 as it is, anything else (images copied verbatim) as base64."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), True


def _decode(text: str, binary: bool) -> bytes:
    return base64.b64decode(text, validate=True) if binary else text.encode("utf-8")


def _store_rendered(folder: str, key: str, rendered: Rendered) -> None:
    files = [[out, f.source, *_encode(f.data), _compact(f.lines)] for out, f in rendered.tree.files.items()]
    document = {
        "files": files,
        "sql_files": rendered.sql_files,
        "sql_lines": {k: _compact(v) for k, v in rendered.sql_lines.items()},
        "outside": [[path, _digest_of(path)] for path in rendered.outside],
    }
    store_json(os.path.join(folder, key + ".json"), document, _KEEP_RENDERS)


