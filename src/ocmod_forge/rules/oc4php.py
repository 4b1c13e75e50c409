"""PHP facts the OpenCart 4 rules share: string literals, array literals, call arguments, route
strings, event and startup registrations, version guards, and the package's own code.

Everything works on the text with strings and comments blanked (``php.blank_strings_and_comments``)
for structure, and on the raw text for values, so a bracket or comma inside a string never counts.
Results are cached by file text: several rules read the same files in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .base import Context
from .php import blank_strings_and_comments, call_arguments

# Third-party code bundled with a package never holds OpenCart routes or events of the package.
_SKIP_DIRS = ("/vendor/", "/node_modules/")


def package_code(ctx: Context) -> str | None:
    """The extension code OpenCart derives from the zip's file name (``x.ocmod.zip`` → ``x``), or
    None when the package has no such name (a folder being validated)."""
    name = ctx.package_name
    if name and name.endswith(".ocmod.zip") and len(name) > len(".ocmod.zip"):
        return name.rsplit("/", 1)[-1][: -len(".ocmod.zip")]
    return None


# What OpenCart 4 loads from a package: the rest is copied into extension/<code>/ and never run
# by OpenCart (a wrapper folder, README files, tests; the layout rules report them).
_ROOTS = ("admin/", "catalog/", "system/")


def own_files(ctx: Context, *suffixes: str) -> list[str]:
    """Package files with ``suffixes`` under admin/, catalog/ and system/, outside bundled vendor
    trees, sorted."""
    return [p for p in ctx.files(*suffixes) if p.startswith(_ROOTS) and not any(d in "/" + p for d in _SKIP_DIRS)]


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# --------------------------------------------------------------------------- literals


@dataclass(frozen=True)
class Literal:
    """A single- or double-quoted PHP string: its span in the text and its value.

    ``dynamic`` is True for a double-quoted string that interpolates a variable."""

    start: int
    end: int
    value: str
    dynamic: bool


_SINGLE_RE = re.compile(r"'((?:[^'\\]|\\.)*)'", re.S)
_DOUBLE_RE = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)
_INTERPOLATION_RE = re.compile(r"(?<!\\)\$[A-Za-z_{]|\{\$")
_DOUBLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "f": "\f", "e": "\x1b", "0": "\0", "$": "$", '"': '"', "\\": "\\"}


def _unescape_single(body: str) -> str:
    return re.sub(r"\\([\\'])", r"\1", body)


def _unescape_double(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _DOUBLE_ESCAPES.get(m.group(1), "\\" + m.group(1)), body, flags=re.S)


@lru_cache(maxsize=512)
def literals(text: str) -> tuple[Literal, ...]:
    """Every string literal of a PHP file, in order (heredocs and strings in inline HTML excluded).

    A quote starts a literal where the code is blanked and the previous non-blank character of
    the text is code: a quote inside a string or comment is blanked and so is what precedes it.
    """
    code = blank_strings_and_comments(text)
    out: list[Literal] = []
    pos = 0
    length = len(text)
    while pos < length:
        q1, q2 = text.find("'", pos), text.find('"', pos)
        candidates = [q for q in (q1, q2) if q >= 0]
        if not candidates:
            break
        i = min(candidates)
        pos = i + 1
        if code[i] != " ":
            continue  # not blanked: cannot happen for a real quote, but stay safe
        j = i - 1
        while j >= 0 and text[j] in " \t\r\n":
            j -= 1
        if j >= 0 and code[j] == " " and text[j] != " ":
            continue  # inside a string, comment or inline HTML
        if j >= 0 and text[j] == "<" and text[max(0, j - 2) : j + 1] == "<<<":
            continue  # heredoc label
        m = (_SINGLE_RE if text[i] == "'" else _DOUBLE_RE).match(text, i)
        if not m:
            break  # unterminated string: the rest of the file is one
        body = m.group(1)
        if text[i] == "'":
            out.append(Literal(i, m.end(), _unescape_single(body), False))
        else:
            out.append(Literal(i, m.end(), _unescape_double(body), bool(_INTERPOLATION_RE.search(body))))
        pos = m.end()
    return tuple(out)


def literal_at(text: str, start: int, end: int) -> Literal | None:
    """The literal that is the whole expression ``text[start:end]`` (spaces around allowed)."""
    segment = text[start:end]
    lo = start + len(segment) - len(segment.lstrip())
    hi = end - (len(segment) - len(segment.rstrip()))
    for lit in literals(text):
        if lit.start == lo and lit.end == hi:
            return None if lit.dynamic else lit
        if lit.start > lo:
            break
    return None


# --------------------------------------------------------------------------- structure


_OPEN = "([{"
_CLOSE = ")]}"


def matching_close(code: str, open_pos: int) -> int:
    """Position of the bracket closing the one at ``open_pos`` (any of ()[]{} nest), or -1."""
    depth = 0
    for i in range(open_pos, len(code)):
        c = code[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_top(text: str, code: str, start: int, end: int, sep: str = ",") -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``code[start:end]`` separated by ``sep`` at bracket depth 0;
    empty pieces (a trailing comma) are dropped (``text`` decides: a string is blank in ``code``)."""
    pieces: list[tuple[int, int]] = []
    depth = 0
    piece = start
    i = start
    while i < end:
        c = code[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
        elif depth == 0 and code.startswith(sep, i):
            pieces.append((piece, i))
            piece = i + len(sep)
            i += len(sep)
            continue
        i += 1
    pieces.append((piece, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


@dataclass(frozen=True)
class ArrayLiteral:
    """``[…]`` or ``array(…)``: its span and its entries with literal string keys."""

    start: int
    end: int
    entries: dict[str, tuple[int, int]]  # key → value span
    dynamic_keys: bool  # an entry without a literal key (spread, variable key, list item)


_ARRAY_FN_RE = re.compile(r"\barray\s*\(")
_NOT_ARRAY_BEFORE = re.compile(r"[\w)\]}$'\"]")


@lru_cache(maxsize=512)
def arrays(text: str) -> tuple[ArrayLiteral, ...]:
    """Every array literal of a PHP file (index access ``$a['x']`` excluded), in order."""
    code = blank_strings_and_comments(text)
    opens: list[tuple[int, int]] = []  # (position of the bracket, position after it)
    for i, c in enumerate(code):
        if c == "[":
            j = i - 1
            while j >= 0 and code[j] in " \t\r\n":
                j -= 1
            # A blanked string before `[` is a string offset; code before it decides index access.
            if j >= 0 and (_NOT_ARRAY_BEFORE.match(code[j]) or (code[j] == " " and text[j] != " ")):
                continue
            opens.append((i, i + 1))
    opens += [(m.end() - 1, m.end()) for m in _ARRAY_FN_RE.finditer(code)]
    out: list[ArrayLiteral] = []
    for bracket, inner in sorted(opens):
        close = matching_close(code, bracket)
        if close < 0:
            continue
        entries: dict[str, tuple[int, int]] = {}
        dynamic = False
        for a, b in split_top(text, code, inner, close):
            arrow = split_top(text, code, a, b, "=>")
            if len(arrow) != 2:
                dynamic = True
                continue
            key = literal_at(text, *arrow[0])
            if key is None:
                dynamic = True
                continue
            entries.setdefault(key.value, arrow[1])
        out.append(ArrayLiteral(bracket, close + 1, entries, dynamic))
    return tuple(out)


def array_at(text: str, start: int, end: int) -> ArrayLiteral | None:
    """The array literal that is the whole expression ``text[start:end]``."""
    segment = text[start:end]
    lo = start + len(segment) - len(segment.lstrip())
    hi = end - (len(segment) - len(segment.rstrip()))
    for arr in arrays(text):
        if arr.start == lo and arr.end == hi:
            return arr
        if lo <= arr.start and lo + 5 >= arr.start and text[lo:arr.start].strip().lower().startswith("array") and arr.end == hi:
            return arr  # `array(` : the literal starts at its parenthesis
    return None


@lru_cache(maxsize=256)
def _brace_pairs(code: str) -> dict[int, int]:
    """Closing brace position → opening brace position, for every ``{}`` pair."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, c in enumerate(code):
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            pairs[i] = stack.pop()
    return pairs


_VERSION_RE = re.compile(r"\bVERSION\b|version_compare")


def version_guarded(text: str, pos: int) -> bool:
    """Is ``pos`` inside an ``if``/``else`` block whose condition reads OpenCart's ``VERSION``
    (or ``version_compare``)? Such code chooses the route separator or the API form per release."""
    code = blank_strings_and_comments(text)
    pairs = _brace_pairs(code)
    opens = sorted(o for c, o in pairs.items() if o < pos < c)
    for open_pos in opens:
        if _head_mentions_version(code, pairs, open_pos, 0):
            return True
    # A ternary on VERSION in the same statement: `VERSION >= '4.0.2.0' ? '.' : '|'`.
    start = max(code.rfind(";", 0, pos), code.rfind("{", 0, pos), code.rfind("}", 0, pos)) + 1
    end = code.find(";", pos)
    return bool(_VERSION_RE.search(code, start, end if end >= 0 else len(code))) and "?" in code[start : end if end >= 0 else len(code)]


def _head_mentions_version(code: str, pairs: dict[int, int], open_pos: int, depth: int) -> bool:
    boundary = max(code.rfind(";", 0, open_pos), code.rfind("{", 0, open_pos), code.rfind("}", 0, open_pos))
    head = code[boundary + 1 : open_pos]
    if _VERSION_RE.search(head):
        return True
    # `} else {` / `} elseif (…) {`: the condition that chose between the branches is the if's.
    if depth < 20 and boundary >= 0 and code[boundary] == "}" and re.match(r"\s*else\b", head) and boundary in pairs:
        return _head_mentions_version(code, pairs, pairs[boundary], depth + 1)
    return False


# --------------------------------------------------------------------------- routes


# A route with a method: `extension/x/module/y|save`, `common/home.index`; the method is a PHP name.
ROUTE_RE = re.compile(r"((?:[A-Za-z0-9_]+/)+[A-Za-z0-9_]+)([.|])([A-Za-z_][A-Za-z0-9_]*)")
_WHOLE_ROUTE_RE = re.compile(ROUTE_RE.pattern + r"\Z")
_URL_ROUTE_RE = re.compile(r"route=" + ROUTE_RE.pattern + r"(?![A-Za-z0-9_./|])")
# `.x` endings that name a file, not a method.
FILE_SUFFIXES = frozenset(
    (
        "php", "twig", "tpl", "js", "mjs", "css", "scss", "less", "map", "json", "xml", "html", "htm", "txt", "md", "sql", "log", "csv",
        "zip", "gz", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "pdf", "woff", "woff2", "ttf", "eot", "otf", "yml", "yaml", "ini",
    )
)


@dataclass(frozen=True)
class RouteUse:
    """A route with a method in a file: where, the route, separator and method."""

    path: str
    line: int
    col: int
    route: str
    separator: str
    method: str
    offset: int  # in the file's text
    kind: str  # "literal" (a whole PHP string), "url" (route= in a string or template)


def _is_method(separator: str, method: str) -> bool:
    return separator == "|" or method.lower() not in FILE_SUFFIXES


@lru_cache(maxsize=512)
def _php_routes(text: str) -> tuple[tuple[int, str, str, str, str], ...]:
    found: list[tuple[int, str, str, str, str]] = []
    for lit in literals(text):
        if lit.dynamic:
            continue
        m = _WHOLE_ROUTE_RE.match(lit.value)
        if m and _is_method(m.group(2), m.group(3)):
            found.append((lit.start + 1, m.group(1), m.group(2), m.group(3), "literal"))
            continue
        for u in _URL_ROUTE_RE.finditer(lit.value):
            if _is_method(u.group(2), u.group(3)):
                found.append((lit.start + 1 + u.start(), u.group(1), u.group(2), u.group(3), "url"))
    return tuple(found)


def route_uses(ctx: Context) -> list[RouteUse]:
    """Routes with a method the package writes: whole PHP string literals (``'a/b|c'``) and
    ``route=a/b.c`` inside PHP strings, templates and scripts. Offsets of PHP literals are
    approximate inside escaped strings (the value, not the source, is scanned)."""
    out: list[RouteUse] = []
    for path in own_files(ctx, ".php"):
        text = ctx.text(path)
        for offset, route, sep, method, kind in _php_routes(text):
            out.append(RouteUse(path, line_of(text, offset), offset - text.rfind("\n", 0, offset), route, sep, method, offset, kind))
    for path in own_files(ctx, ".twig", ".js"):
        text = ctx.text(path)
        for u in _URL_ROUTE_RE.finditer(text):
            if _is_method(u.group(2), u.group(3)):
                offset = u.start() + len("route=")
                out.append(RouteUse(path, line_of(text, offset), offset - text.rfind("\n", 0, offset), u.group(1), u.group(2), u.group(3), offset, "url"))
    return out


# --------------------------------------------------------------------------- events and startups


@dataclass(frozen=True)
class Value:
    """A value of a registration: its literal text (None when computed) and where it is."""

    text: str | None
    line: int
    col: int
    offset: int


@dataclass(frozen=True)
class Registration:
    """An event or startup the package registers (``addEvent``/``addStartup``, an array with
    ``trigger`` and ``action`` keys, ``new Action(…)``, ``$this->event->register(…)``)."""

    kind: str  # "event", "startup", "action" (new Action), "runtime" (event->register)
    path: str
    line: int
    col: int
    form: str  # "array", "positional", "unknown" (a variable that could not be followed), "literal"
    keys: frozenset[str] | None  # the array's literal keys; None when unknown
    argc: int
    trigger: Value | None
    action: Value | None
    guarded: bool  # chosen by OpenCart's VERSION at run time
    direct: bool  # a call of addEvent/addStartup (not an array found elsewhere)


def _value(text: str, span: tuple[int, int]) -> Value:
    a, b = span
    lit = literal_at(text, a, b)
    lo = a + len(text[a:b]) - len(text[a:b].lstrip())
    return Value(lit.value if lit else None, line_of(text, lo), lo - text.rfind("\n", 0, lo), lo)


_ASSIGN_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _assigned_array(text: str, code: str, var: str, before: int) -> ArrayLiteral | None:
    """The array literal last assigned to ``$var`` before ``before`` in the same function."""
    start = code.rfind("function ", 0, before)
    pattern = _ASSIGN_RE_CACHE.setdefault(var, re.compile(r"\$" + re.escape(var) + r"\s*=(?!=)\s*"))
    found: ArrayLiteral | None = None
    for m in pattern.finditer(code, max(start, 0), before):
        arr = next((a for a in arrays(text) if a.start == m.end() or (a.start > m.end() and code[m.end() : a.start].strip().lower() == "array")), None)
        found = arr if arr is not None and arr.end <= before else None
    return found


_CALLS = (("event", "->addEvent("), ("startup", "->addStartup("))
_POSITIONAL = {"event": ("code", "description", "trigger", "action", "status", "sort_order"), "startup": ("code", "action", "status", "sort_order")}
_ACTION_NEW_RE = re.compile(r"\bnew\s+\\?(?:Opencart\\System\\Engine\\)?Action\s*\(")
_REGISTER_CALL = "->event->register("


@lru_cache(maxsize=256)
def _file_registrations(path: str, text: str) -> tuple[Registration, ...]:
    code = blank_strings_and_comments(text)
    out: list[Registration] = []
    claimed: set[int] = set()  # array literals passed to a call
    for kind, opener in _CALLS:
        if opener not in code:
            continue
        for start, end in call_arguments(text, opener):
            args = split_top(text, code, start, end)
            call_at = start - len(opener) + 2
            line, col = line_of(text, call_at), call_at - text.rfind("\n", 0, call_at)
            guarded = version_guarded(text, call_at)
            if len(args) == 1:
                arr = array_at(text, *args[0])
                var = re.fullmatch(r"\s*\$(\w+)\s*", code[args[0][0] : args[0][1]])
                if arr is None and var:
                    arr = _assigned_array(text, code, var.group(1), start)
                if arr is not None:
                    claimed.add(arr.start)
                    keys = None if arr.dynamic_keys else frozenset(arr.entries)
                    trig = _value(text, arr.entries["trigger"]) if "trigger" in arr.entries else None
                    act = _value(text, arr.entries["action"]) if "action" in arr.entries else None
                    out.append(Registration(kind, path, line, col, "array", keys, 1, trig, act, guarded, True))
                else:
                    out.append(Registration(kind, path, line, col, "unknown", None, 1, None, None, guarded, True))
            elif args:
                names = _POSITIONAL[kind]
                values = {names[i]: _value(text, span) for i, span in enumerate(args[: len(names)])}
                out.append(Registration(kind, path, line, col, "positional", frozenset(values), len(args), values.get("trigger"), values.get("action"), guarded, True))
    # Event definitions kept in arrays and registered in a loop (`foreach ($events as $e) addEvent($e)`).
    for arr in arrays(text):
        if arr.start in claimed or "trigger" not in arr.entries or "action" not in arr.entries:
            continue
        line, col = line_of(text, arr.start), arr.start - text.rfind("\n", 0, arr.start)
        trig, act = _value(text, arr.entries["trigger"]), _value(text, arr.entries["action"])
        out.append(Registration("event", path, line, col, "array", None if arr.dynamic_keys else frozenset(arr.entries), 1, trig, act, version_guarded(text, arr.start), False))
    for m in _ACTION_NEW_RE.finditer(code):
        close = matching_close(code, m.end() - 1)
        args = split_top(text, code, m.end(), close) if close > 0 else []
        if args:
            act = _value(text, args[0])
            if act.text is not None:
                out.append(Registration("action", path, act.line, act.col, "literal", None, len(args), None, act, version_guarded(text, m.start()), True))
    if _REGISTER_CALL in code:
        for start, end in call_arguments(text, _REGISTER_CALL):
            args = split_top(text, code, start, end)
            if args:
                trig = _value(text, args[0])
                out.append(Registration("runtime", path, trig.line, trig.col, "literal", None, len(args), trig, None, version_guarded(text, start), True))
    return tuple(sorted(out, key=lambda r: (r.line, r.col, r.kind)))


def registrations(ctx: Context) -> list[Registration]:
    """Every event and startup registration in the package's PHP files, in file and line order."""
    out: list[Registration] = []
    for path in own_files(ctx, ".php"):
        text = ctx.text(path)
        if "addEvent" in text or "addStartup" in text or "'trigger'" in text or '"trigger"' in text or "Action" in text or "->register(" in text:
            out.extend(_file_registrations(path, text))
    return out


def action_offsets(ctx: Context) -> dict[str, set[int]]:
    """Path → offsets of the action values of event registrations (their own rule reports them)."""
    out: dict[str, set[int]] = {}
    for reg in registrations(ctx):
        if reg.action is not None and reg.kind in ("event", "action"):
            out.setdefault(reg.path, set()).add(reg.action.offset + 1)
    return out


def startup_offsets(ctx: Context) -> dict[str, set[int]]:
    """Path → offsets of the action values of startup registrations."""
    out: dict[str, set[int]] = {}
    for reg in registrations(ctx):
        if reg.action is not None and reg.kind == "startup":
            out.setdefault(reg.path, set()).add(reg.action.offset + 1)
    return out
