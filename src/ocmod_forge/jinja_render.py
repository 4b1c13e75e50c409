"""The Jinja side of rendering: environment, loader, bytecode cache and error mapping.

Imported only when a render is not in the render cache (render.py), since importing Jinja
costs more than a cached build does.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from jinja2.lexer import Token, TokenStream

from .cache import Verdicts, cache_dir, enabled, prune
from .errors import RenderError
from .project import Marketplace, Project
from .sql import SQL_SPLIT, split_salt, split_sql
from .templating import (
    DELIMITERS,
    FILTERS,
    MARKERS,
    PARTIALS_DIR,
    PER_MARKETPLACE,
    TEMPLATE_SUFFIX,
    Rendered,
    build_context,
    display_path,
    segment_targets,
)
from .tree import LineMap, PackageFile, PackageTree
from .versions import Target

PROJECT_PREFIX = "@project/"


class OutsideProject(jinja2.TemplateError):
    """An ``@project/`` include that resolves outside the project folder."""


class _Loader(jinja2.BaseLoader):
    """Partials by name (``api/x.php.j2``) and project templates as ``@project/<path>``
    (relative to the template folder, never outside the project or template folder).

    Loading project templates through a loader (rather than ``from_string``) lets Jinja's
    bytecode cache skip recompiling unchanged templates on the next build.
    """

    def __init__(self, root: Path | None, partials: Path | None, boundary: Path | None = None) -> None:
        self.root = root
        # Includes may reach the project folder and the template folder (which a project file
        # may place elsewhere, e.g. shared by several projects), nothing else.
        self.allowed = tuple(p.resolve() for p in (boundary, root) if p is not None)
        self.templates = root.resolve() if root is not None else None
        self.outside: set[str] = set()  # files read from outside the template folder
        self.partials = jinja2.FileSystemLoader(str(partials) if partials is not None else [])

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        if template.startswith(PROJECT_PREFIX) and self.root is not None:
            path = (self.root / template[len(PROJECT_PREFIX) :]).resolve()  # an absolute path stays absolute
            if self.allowed and not any(path.is_relative_to(folder) for folder in self.allowed):
                raise OutsideProject(f"{template!r} is outside the project and template folders")
            if not path.is_file():
                raise jinja2.TemplateNotFound(template)
            if self.templates is not None and not path.is_relative_to(self.templates):
                self.outside.add(str(path))
            source = _read_template(path, str(path))
            mtime = path.stat().st_mtime
            return source, str(path), lambda: path.stat().st_mtime == mtime
        return self.partials.get_source(environment, template)


# --------------------------------------------------------------------------- line tracing
#
# To report a finding at the template line that produced it, the traced environment marks the
# template text as Jinja reads it: before every piece of literal text, after every newline
# inside it, and before every ``[= … =]`` output, a mark ``NUL file SOH line NUL`` names the
# template line it comes from. Marks pass through rendering untouched (they are plain text to
# Jinja) and are stripped afterwards, leaving the output and a map of each output line to the
# template line it starts in.

_MARK, _SEP = "\x00", "\x01"


class _TracingEnvironment(jinja2.Environment):
    """An environment whose templates mark every output line with the template line it comes from."""

    def _tokenize(self, source: str, name: str | None, filename: str | None = None, state: str | None = None) -> TokenStream:
        stream = super()._tokenize(source, name, filename, state)
        where = filename or name or ""

        def marked() -> Iterator[Token]:
            for token in stream:
                if token.type == "data":
                    yield Token(token.lineno, "data", _marked_data(token.value, where, token.lineno))
                    continue
                if token.type == "variable_begin":
                    yield Token(token.lineno, "data", f"{_MARK}{where}{_SEP}{token.lineno}{_MARK}")
                yield token

        return TokenStream(marked(), name, filename)


def _marked_data(text: str, where: str, line: int) -> str:
    parts = text.split("\n")
    out = [f"{_MARK}{where}{_SEP}{line}{_MARK}{parts[0]}"]
    for offset, part in enumerate(parts[1:], 1):
        out.append(f"\n{_MARK}{where}{_SEP}{line + offset}{_MARK}{part}" if part else "\n")
    return "".join(out)


def unmark(text: str, default: str, display: Callable[[str], str]) -> tuple[str, LineMap]:
    """The output without marks, and for each output line the (template, line) it starts in.
    ``default`` names the template of text before any mark; ``display`` turns the file names
    in marks into the paths findings show."""
    if _MARK not in text:
        return text, tuple((default, n) for n in range(1, text.count("\n") + 2 - text.endswith("\n")))
    pieces = text.split(_MARK)
    clean: list[str] = []
    lines: list[tuple[str, int]] = []
    shown: dict[str, str] = {}
    current = (default, 1)
    start: tuple[str, int] | None = None  # origin of the line being written
    for index, piece in enumerate(pieces):
        if index % 2:
            where, _, number = piece.rpartition(_SEP)
            if where not in shown:
                shown[where] = display(where) if where else default
            current = (shown[where], int(number))
            continue
        if not piece:
            continue
        clean.append(piece)
        segments = piece.split("\n")
        for position, segment in enumerate(segments):
            if position:
                lines.append(start or current)
                start = None
            if start is None and (segment or position < len(segments) - 1):
                start = current
    if start is not None:
        lines.append(start)
    return "".join(clean), tuple(lines)


def _bytecode_cache(fingerprint: str) -> jinja2.BytecodeCache | None:
    """A per-user cache of compiled templates (see cache.py); None when caching is off.

    Keys include a checksum of each template's source, so an edit is never served stale, and the
    file names carry a fingerprint of the environment (delimiters, options, tracing, Jinja and
    this module), so code compiled by another configuration is never loaded.
    """
    base = cache_dir("jinja")
    if base is None:
        return None
    # Every edit of a template adds a file; keep the cache from growing without end.
    prune(base, _KEEP_BYTECODE, ".cache")
    return jinja2.FileSystemBytecodeCache(base, pattern=f"__{fingerprint}_%s.cache")


_KEEP_BYTECODE = 2000


def _fingerprint(traced: bool) -> str:
    import hashlib

    from .toolinfo import file_identity

    parts = (repr(sorted(DELIMITERS.items())), "trim lstrip keep-newline strict", str(traced), jinja2.__version__, file_identity(__file__))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def make_environment(partials: Path | None = None, root: Path | None = None, boundary: Path | None = None, *, traced: bool = False) -> jinja2.Environment:
    """The one Jinja environment every render uses (StrictUndefined, no autoescape). ``@project/``
    includes resolve against ``root`` and must stay inside ``boundary`` (default: ``root``).
    ``traced``: templates mark their output with its template lines (see ``unmark``)."""
    loader = _Loader(root, partials, boundary)
    env = (_TracingEnvironment if traced else jinja2.Environment)(
        block_start_string=DELIMITERS["block_start_string"],
        block_end_string=DELIMITERS["block_end_string"],
        variable_start_string=DELIMITERS["variable_start_string"],
        variable_end_string=DELIMITERS["variable_end_string"],
        comment_start_string=DELIMITERS["comment_start_string"],
        comment_end_string=DELIMITERS["comment_end_string"],
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        loader=loader,
        bytecode_cache=_bytecode_cache(_fingerprint(traced)),
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


# --------------------------------------------------------------------------- context


def load_sql(project: Project, env: jinja2.Environment, context: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]], dict[str, LineMap]]:
    """The project's SQL files: (display path → rendered text, file stem → statements, display
    path → line map of the rendered ``.sql.j2`` files).

    Split problems are not raised here: the SQL rules report them with file and line, and the
    build refuses to write the zip.
    """
    texts: dict[str, str] = {}
    statements: dict[str, list[str]] = {}
    maps: dict[str, LineMap] = {}
    store = Verdicts(SQL_SPLIT, split_salt()) if enabled("verdicts") else None
    if not project.sql.is_dir():
        return texts, statements, maps
    for path in sorted(project.sql.iterdir()):
        name = path.name
        shown = display_path(project, path)
        if name.startswith(".") or not path.is_file():
            continue
        if name.endswith(".sql" + TEMPLATE_SUFFIX):
            text, maps[shown] = unmark(_render_text(env, _read_template(path, shown), shown, context), shown, lambda where: display_path(project, Path(where)))
            stem = name[: -len(".sql" + TEMPLATE_SUFFIX)]
        elif name.endswith(".sql"):
            text = _read_template(path, shown)
            stem = name[: -len(".sql")]
        else:
            continue
        texts[shown] = text
        statements[stem] = [s.text for s in split_sql(text, store)[0]]
    return texts, statements, maps


def make_environments(project: Project) -> tuple[jinja2.Environment, jinja2.Environment]:
    """The plain environment (path segments) and the traced one (file contents) of a project."""
    root = project.templates
    return make_environment(root / PARTIALS_DIR, root, project.root), make_environment(root / PARTIALS_DIR, root, project.root, traced=True)


def render_uncached(
    project: Project, target: Target | None = None, environments: tuple[jinja2.Environment, jinja2.Environment] | None = None
) -> Rendered:
    """Render every file of the project's template folder into a package tree for ``target``.
    ``environments`` (from :func:`make_environments`) may be shared by the renders of one build."""
    root = project.templates
    if not root.is_dir():
        raise RenderError("template folder not found", display_path(project, root))
    env, traced = environments or make_environments(project)
    target = target or project.targets[0]
    context = build_context(project, target)
    sql_files, context["sql"], sql_lines = load_sql(project, traced, context)

    def shown(where: str) -> str:
        return display_path(project, Path(where))

    files: dict[str, PackageFile] = {}
    compiled: dict[str, jinja2.Template] = {}
    for rel in _template_files(root):
        display = display_path(project, root / rel)
        per_item: Iterable[Marketplace | None] = project.enabled_marketplaces if PER_MARKETPLACE in rel else (None,)
        for marketplace in per_item:
            local = dict(context)
            if marketplace is not None:
                local["marketplace"] = marketplace
            out_path = _render_path(env, rel, local, display, marketplace, target.generation)
            if out_path is None:
                continue
            lines: LineMap | None = None
            if rel.endswith(TEMPLATE_SUFFIX):
                text, lines = unmark(_render_file(traced, rel, display, local, compiled), display, shown)
                data = text.encode("utf-8")
            else:
                data = (root / rel).read_bytes()
            if out_path in files:
                raise RenderError(f"renders to {out_path!r}, which {files[out_path].source} also renders to", display)
            files[out_path] = PackageFile(data=data, source=display, lines=lines)
    outside = {*_outside(env), *_outside(traced)}
    return Rendered(PackageTree(files=files, origin=str(project.path), kind="project"), sql_files, sql_lines, tuple(sorted(outside)))


def _outside(env: jinja2.Environment) -> set[str]:
    loader = env.loader
    return set(loader.outside) if isinstance(loader, _Loader) else set()


def _render_path(
    env: jinja2.Environment, rel: str, context: dict[str, Any], display: str, marketplace: Marketplace | None, generation: str
) -> str | None:
    """The output path of a template, or None when a segment renders empty (a conditional file)
    or names other targets (``@4.x/…`` when building for 3.0)."""
    if rel.endswith(TEMPLATE_SUFFIX):
        rel = rel[: -len(TEMPLATE_SUFFIX)]
    segments: list[str] = []
    for segment in rel.split("/"):
        kept_for = segment_targets(segment)
        if kept_for is not None:
            if generation not in kept_for:
                return None
            continue
        if marketplace is not None:
            segment = segment.replace(PER_MARKETPLACE, marketplace.code)
        if any(marker in segment for marker in MARKERS):
            segment = _render_text(env, segment, display, context).strip()
        if not segment:
            return None
        if segment in (".", "..") or "/" in segment or "\\" in segment or "\x00" in segment:
            raise RenderError(f"path segment renders to {segment!r}, which would leave the package root", display)
        segments.append(segment)
    return str(PurePosixPath(*segments))


def _render_file(
    env: jinja2.Environment, rel: str, display: str, context: dict[str, Any], cache: dict[str, jinja2.Template]
) -> str:
    """Render a project template file (compiled once per build, cached across builds)."""
    return _render_text(env, "", display, context, cache, name=PROJECT_PREFIX + rel)


def _render_text(
    env: jinja2.Environment,
    source: str,
    display: str,
    context: dict[str, Any],
    cache: dict[str, jinja2.Template] | None = None,
    name: str | None = None,
) -> str:
    """Render a template text (or the named loader template), turning every Jinja failure into a
    ``RenderError`` with its line. ``cache`` keeps compiled templates by display name, for files
    rendered once per marketplace.
    """
    try:
        template = cache.get(display) if cache is not None else None
        if template is None:
            template = env.get_template(name) if name else env.from_string(source)
            if cache is not None:
                cache[display] = template
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename if exc.filename and exc.filename != "<template>" else display
        if exc.name and exc.filename:
            where = _shorten(exc.filename)
        raise RenderError(f"template syntax error: {exc.message}", where, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        where = "the project folder" if str(exc.name).startswith(PROJECT_PREFIX) else f"{PARTIALS_DIR}/"
        raise RenderError(f"included template {exc.name!r} not found in {where}", display, _line_of(exc, display)) from None
    except jinja2.UndefinedError as exc:
        where, line = _location(exc, display)
        message = re.sub(r"'ocmod_forge\.project\.(\w+) object'", r"\1", exc.message or "")
        raise RenderError(f"undefined variable: {message}{_did_you_mean(message, context)}", where, line) from None
    except OutsideProject as exc:
        where, line = _location(exc, display)
        raise RenderError(f"include {exc.message}", where, line) from None
    except RecursionError:
        raise RenderError("template recursion is too deep (an include or macro calls itself)", display) from None
    except jinja2.TemplateError as exc:
        where, line = _location(exc, display)
        raise RenderError(f"template error: {exc}", where, line) from None
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, KeyError) as exc:
        where, line = _location(exc, display)
        raise RenderError(f"template error: {type(exc).__name__}: {exc}", where, line) from None


def _did_you_mean(message: str, context: dict[str, Any]) -> str:
    """`` (did you mean 'name'?)`` for a mistyped variable or attribute, else ``""``."""
    import dataclasses
    import difflib

    from . import project as project_types

    candidates: list[str] = []
    m = re.match(r"(\w+) has no attribute '(\w+)'", message)
    if m:
        kind = getattr(project_types, m.group(1), None)
        if dataclasses.is_dataclass(kind):
            candidates = [f.name for f in dataclasses.fields(kind)]
        wanted = m.group(2)
    else:
        m = re.match(r"'(\w+)' is undefined", message)
        if not m:
            return ""
        candidates, wanted = list(context), m.group(1)
    close = difflib.get_close_matches(wanted, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _location(exc: BaseException, display: str) -> tuple[str, int | None]:
    """The innermost template frame of a render error: a partial if the error happened there."""
    where, line = display, None
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename
        if name == "<template>":
            where, line = display, frame.lineno
        elif name.endswith(TEMPLATE_SUFFIX) and os.path.isabs(name):
            where, line = _shorten(name), frame.lineno
    return where, line


def _line_of(exc: BaseException, display: str) -> int | None:
    return _location(exc, display)[1]


def _template_files(root: Path) -> list[str]:
    """Template-relative POSIX paths, sorted; dot-files and the partials folder are never output."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not (rel_dir == "." and d == PARTIALS_DIR)
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            found.append(rel)
    return found


def _read_template(path: Path, display: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError(f"cannot read template: {exc.strerror}", display) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RenderError("template is not valid UTF-8", display, data[: exc.start].count(b"\n") + 1) from None


def _shorten(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path
