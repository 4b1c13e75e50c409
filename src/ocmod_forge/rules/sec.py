"""SEC — security patterns in PHP and Twig that reviewers and store owners must not ship."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Context, Finding, Result, rule
from .php import SELF_CALL_RE, blank_strings_and_comments, call_arguments, code_lines, methods


def _php(ctx: Context) -> Iterator[tuple[str, int, str]]:
    """(path, line number, code) for every PHP line, with strings and comments blanked."""
    for path in ctx.files(".php"):
        for number, line in code_lines(ctx.text(path)):
            yield path, number, line


@rule("SEC001", "tls-verification-disabled", "error")
def tls_verification_disabled(ctx: Context) -> Iterator[Result]:
    """cURL is told not to verify TLS certificates.

    With ``CURLOPT_SSL_VERIFYPEER`` off (or ``CURLOPT_SSL_VERIFYHOST`` 0) anyone on the network
    path can read and change API traffic, marketplace credentials included.

    Fail::

        === upload/system/library/vendor/client.php
        <?php
        $ch = curl_init($url);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
        === expect: upload/system/library/vendor/client.php:3

    Pass::

        === upload/system/library/vendor/client.php
        <?php
        $ch = curl_init($url);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
        curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
        // curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false); in a comment is not code
    """
    pattern = re.compile(r"CURLOPT_SSL_VERIFY(PEER|HOST)\s*(?:,|=>)\s*(false|0|null|'0'|\"0\"|'false'|\"false\")(?![\w.])", re.I)
    for path in ctx.files(".php"):
        text = ctx.text(path)
        if "CURLOPT_SSL_VERIFY" not in text:
            continue
        code = code_lines(text)
        for (number, line), (_n, code_line) in zip(enumerate(text.split("\n"), 1), code, strict=False):
            m = pattern.search(line)
            # The constant must be code, not part of a comment or a string.
            if m and code_line[m.start()] != " ":
                yield Finding(path, f"CURLOPT_SSL_VERIFY{m.group(1).upper()} turned off: TLS certificates are not verified", number, m.start() + 1)


@rule("SEC002", "dangerous-function", "error")
def dangerous_function(ctx: Context) -> Iterator[Result]:
    """Code runs strings or shell commands: ``eval``, ``exec``, ``system``, ``shell_exec``,
    ``passthru``, ``popen``, ``proc_open``, ``assert`` with a string, backticks, or ``base64_decode``
    fed to ``eval``.

    These are the usual shape of backdoors and are refused by marketplace reviewers; an
    extension never needs them.

    Fail: ``eval(base64_decode($x));``, ``shell_exec('ls');``
    Pass: plain PHP calls
    """
    for path in ctx.files(".php"):
        # PHP function names are case-insensitive: search the lower-cased code (much faster
        # than an IGNORECASE pattern), strings and comments blanked.
        code = blank_strings_and_comments(ctx.text(path)).lower()
        found: dict[int, tuple[int, str]] = {}  # line -> (column, message): one finding per line
        for m in _DANGEROUS_RE.finditer(code):
            before = code[m.start() - 1] if m.start() else " "
            if before.isalnum() or before in _NOT_A_CALL_BEFORE:
                continue  # curl_exec(, $this->exec(, Foo::system(, $eval(
            line, col = _line_col(code, m.start())
            found.setdefault(line, (col, f"{m.group(1)}() runs code or shell commands"))
        for m in _BACKTICK_RE.finditer(code):
            line, col = _line_col(code, m.start())
            found.setdefault(line, (col, "backtick operator runs a shell command"))
        for line, (col, message) in sorted(found.items()):
            yield Finding(path, message, line, col)


_DANGEROUS_RE = re.compile(r"(eval|exec|system|shell_exec|passthru|popen|proc_open|assert)\s*\(")
_BACKTICK_RE = re.compile(r"`")
_NOT_A_CALL_BEFORE = frozenset("_>$:\\")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of ``text[pos]``."""
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


@rule("SEC003", "superglobal-access", "warning")
def superglobal_access(ctx: Context) -> Iterator[Result]:
    """Request data is read from ``$_GET``, ``$_POST``, ``$_REQUEST`` or ``$_COOKIE`` directly.

    OpenCart's ``$this->request`` holds the same data cleaned (HTML-escaped); the raw
    superglobals bypass that and are a common source of XSS.

    Fail: ``$id = $_GET['product_id'];``
    Pass: ``$id = (int)$this->request->get['product_id'];``
    """
    for path, number, line in _php(ctx):
        m = re.search(r"\$_(GET|POST|REQUEST|COOKIE)\b", line)
        if m:
            yield Finding(path, f"$_{m.group(1)} used directly; use $this->request", number, m.start() + 1)


_REQUEST_RE = re.compile(r"\$this->request->(?:get|post|request|cookie)\[")
# What may stand right before the request value (whitespace removed, lowercase).
_SAFE_BEFORE = ("(int)", "(integer)", "(float)", "(double)", "(bool)", "(boolean)", "intval(", "floatval(", "->escape(", "->escape((string)")


@rule("SEC004", "sql-from-request-data", "error")
def sql_from_request_data(ctx: Context) -> Iterator[Result]:
    """A database query is built from request data without ``$this->db->escape()`` or an int cast.

    That is SQL injection: the request can rewrite the query.

    Fail: ``$this->db->query("… WHERE id = '" . $this->request->get['id'] . "'");``
    Pass: ``… (int)$this->request->get['id'] …`` or ``$this->db->escape($this->request->post['name'])``
    """
    for path in ctx.files(".php"):
        text = ctx.text(path)
        if "->query(" not in text:
            continue
        # Request data in a query is code between string pieces: search the blanked code.
        code = blank_strings_and_comments(text)
        for start, end in call_arguments(text):
            args = code[start:end]
            for hit in _REQUEST_RE.finditer(args):
                if re.sub(r"\s+", "", args[: hit.start()]).lower().endswith(_SAFE_BEFORE):
                    continue
                yield Finding(path, "query built from request data without escape() or an int cast", *_line_col(text, start + hit.start()))


@rule("SEC005", "twig-raw-request-data", "warning")
def twig_raw_request_data(ctx: Context) -> Iterator[Result]:
    """A Twig template prints a value with ``|raw``.

    OpenCart 3.0 renders Twig with autoescape off, and ``|raw`` in a template usually means
    request or marketplace data is printed as HTML: check it is escaped where it is produced.

    Fail: ``{{ search|raw }}``
    Pass: ``{{ search }}`` (escaped by the controller)
    """
    for path in ctx.files(".twig"):
        for number, line in enumerate(ctx.text(path).split("\n"), 1):
            m = re.search(r"\|\s*raw\b", line)
            if m:
                yield Finding(path, "'|raw' prints unescaped HTML", number, m.start() + 1)


# Reading the POST payload (an element or the whole array); testing REQUEST_METHOD alone, or an
# HTTP client's ->post() call, is not handling POST data.
_ACTS_RE = re.compile(r"request->post\b(?!\s*\()")
_MODIFY_RE = re.compile(r"\(\s*['\"]modify['\"]")


@rule("SEC006", "admin-change-without-modify-permission", "error")
def admin_change_without_modify_permission(ctx: Context) -> Iterator[Result]:
    """An admin controller action uses POST data but never checks ``hasPermission('modify', …)``.

    OpenCart checks only ``access`` before running a controller; changing data is the
    controller's job to guard, or any user who may view the page may change it. Checked per
    action (each public method, which OpenCart 3.0 can route to): one that reads POST data,
    itself or through ``$this->…()`` helpers, must check ``modify`` itself or through a method
    of the package that does (OpenCart's own ``$this->validate()`` pattern, or a helper called
    with ``'modify'``, also from a base class), however deep.

    Fail: ``public function save() { $this->model_x->edit($this->request->post); }`` in a
    controller whose other action checks ``modify``
    Pass: ``if ($this->request->server['REQUEST_METHOD'] == 'POST' && $this->validate())`` with
    ``validate()`` calling ``$this->user->hasPermission('modify', 'extension/module/x')``
    """
    bodies = {path: _bodies(ctx.text(path)) for path in ctx.files(".php")}
    # Helpers inherited from base classes may live in any PHP file of the package.
    everywhere = [pair for local in bodies.values() for pair in local.items()]
    inherited_guards = _closure(everywhere, {name for name, body in everywhere if _MODIFY_RE.search(body)})
    inherited_readers = _closure(everywhere, {name for name, body in everywhere if _ACTS_RE.search(body)})
    for path, local in bodies.items():
        if "/admin/controller/" not in "/" + path:
            continue
        text = ctx.text(path)
        pairs = list(local.items())
        # A method of this class wins over a same-named one elsewhere (every controller has its
        # own validate()); calls to methods it does not define fall back to inherited helpers.
        guards = _closure(pairs, {n for n, b in pairs if _MODIFY_RE.search(b)} | (inherited_guards - set(local)))
        readers = _closure(pairs, {n for n, b in pairs if _ACTS_RE.search(b)} | (inherited_readers - set(local)))
        for name, start, end, public in methods(text):
            key = name.lower()
            if not public or key in guards or key not in readers:
                continue
            where = _ACTS_RE.search(text, start, end) or next(
                (m for m in SELF_CALL_RE.finditer(text, start, end) if m.group(1).lower() in readers), None
            )
            line = text.count("\n", 0, where.start() if where else start) + 1
            yield Finding(path, f"{name}() handles POST data without checking hasPermission('modify', …)", line, 1)


def _bodies(text: str) -> dict[str, str]:
    """Method name (lower case, as PHP matches them) → body text; the first of duplicates."""
    out: dict[str, str] = {}
    for name, start, end, _public in methods(text):
        out.setdefault(name.lower(), text[start:end])
    return out


def _closure(bodies: list[tuple[str, str]], seeds: set[str]) -> set[str]:
    """``seeds`` plus every method among ``bodies`` (name, body) that reaches one of them
    through ``$this->…()`` calls."""
    found = set(seeds)
    changed = True
    while changed:
        changed = False
        for name, body in bodies:
            if name not in found and any(call.lower() in found for call in SELF_CALL_RE.findall(body)):
                found.add(name)
                changed = True
    return found


@rule("SEC007", "admin-link-without-token", "warning")
def admin_link_without_token(ctx: Context) -> Iterator[Result]:
    """An admin link is built without ``user_token``.

    OpenCart 3.0 logs the user out (or shows the login page) when an admin URL lacks the
    session's ``user_token``.

    Fail: ``$this->url->link('extension/module/x', '', true)``
    Pass: ``$this->url->link('extension/module/x', 'user_token=' . $this->session->data['user_token'], true)``
    """
    for path in ctx.files(".php"):
        if "/admin/" not in "/" + path:
            continue
        for number, line in enumerate(ctx.text(path).split("\n"), 1):
            m = re.search(r"->url->link\(\s*'([^']+)'\s*(?:\)|,\s*(''|\"\")\s*[,)])", line)
            if m:
                yield Finding(path, f"link to {m.group(1)!r} has no user_token", number, m.start() + 1)
