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


@rule("SEC001", "tls-verification-disabled", "error", ("3.0", "4.0", "4.1"))
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

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === system/library/vendor/client.php
        <?php
        $ch = curl_init($url);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
        === expect: system/library/vendor/client.php:3

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
                yield Finding(path, f"CURLOPT_SSL_VERIFY{m.group(1).upper()} turned off: TLS certificates are not verified", number, m.start() + 1,
                    hint=_TLS_FIX)


_TLS_FIX = ("set curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true) and curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2) (or leave both out: those are cURL's defaults); "
    "if the host's CA store lacks the API's certificate authority, give a CA bundle with CURLOPT_CAINFO instead of turning verification off")


@rule("SEC002", "dangerous-function", "error", ("3.0", "4.0", "4.1"))
def dangerous_function(ctx: Context) -> Iterator[Result]:
    """Code runs strings or shell commands: ``eval``, ``exec``, ``system``, ``shell_exec``,
    ``passthru``, ``popen``, ``proc_open``, ``assert`` with a string, backticks, or ``base64_decode``
    fed to ``eval``.

    These are the usual shape of backdoors and are refused by marketplace reviewers; an
    extension never needs them.

    Fail::

        === upload/system/library/meschain/license.php
        <?php
        $payload = 'ZWNobyAiaGVsbG8iOw==';
        eval(base64_decode($payload));
        === expect: upload/system/library/meschain/license.php:3

    Fail::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function backup() {
                shell_exec('mysqldump opencart > ' . DIR_STORAGE . 'backup.sql');
                $size = `du -sh /var/www`;
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:4
        === expect: upload/admin/controller/extension/module/meschain.php:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === system/library/meschain/license.php
        <?php
        $payload = 'ZWNobyAiaGVsbG8iOw==';
        eval(base64_decode($payload));
        === expect: system/library/meschain/license.php:3

    Pass::

        === upload/system/library/meschain/client.php
        <?php
        class MeschainClient {
            public function get($url) {
                $ch = curl_init($url);
                $body = curl_exec($ch);
                curl_close($ch);
                return json_decode($body, true);
            }
        }
    """
    for path in ctx.files(".php"):
        # PHP function names are case-insensitive: search the lower-cased code (much faster
        # than an IGNORECASE pattern), strings and comments blanked.
        code = blank_strings_and_comments(ctx.text(path)).lower()
        found: dict[int, tuple[int, str, str]] = {}  # line -> (column, message, hint): one finding per line
        for m in _DANGEROUS_RE.finditer(code):
            before = code[m.start() - 1] if m.start() else " "
            if before.isalnum() or before in _NOT_A_CALL_BEFORE:
                continue  # curl_exec(, $this->exec(, Foo::system(, $eval(
            line, col = _line_col(code, m.start())
            found.setdefault(line, (col, f"{m.group(1)}() runs code or shell commands", _dangerous_fix(m.group(1), code, m.end())))
        for m in _BACKTICK_RE.finditer(code):
            line, col = _line_col(code, m.start())
            found.setdefault(line, (col, "backtick operator runs a shell command", _SHELL_FIX))
        for line, (col, message, hint) in sorted(found.items()):
            yield Finding(path, message, line, col, hint=hint)


_SHELL_FIX = ("do it in PHP (cURL for HTTP, ZipArchive for archives, the file functions for files, $this->db for the database): "
    "shell commands are disabled on many hosts and reviewers refuse them")


def _dangerous_fix(name: str, code: str, after: int) -> str:
    """What to use instead of the dangerous call ``name(`` whose arguments start at ``after``."""
    if name == "eval":
        if code.startswith("base64_decode", after) or code.startswith("gzinflate", after) or code.startswith("str_rot13", after):
            return "encoded code run through eval() is how backdoors hide: remove it, and find out how it got into the package"
        return "call the code directly instead of building it as a string; for data, use json_decode()"
    if name == "assert":
        return "test the condition with if and throw an exception; a string passed to assert() is run as code on PHP 7"
    return _SHELL_FIX


_DANGEROUS_RE = re.compile(r"(eval|exec|system|shell_exec|passthru|popen|proc_open|assert)\s*\(")
_BACKTICK_RE = re.compile(r"`")
_NOT_A_CALL_BEFORE = frozenset("_>$:\\")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of ``text[pos]``."""
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


@rule("SEC003", "superglobal-access", "warning", ("3.0", "4.0", "4.1"))
def superglobal_access(ctx: Context) -> Iterator[Result]:
    """Request data is read from ``$_GET``, ``$_POST``, ``$_REQUEST`` or ``$_COOKIE`` directly.

    OpenCart's ``$this->request`` holds the same data cleaned (HTML-escaped); the raw
    superglobals bypass that and are a common source of XSS.

    Fail::

        === upload/catalog/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function index() {
                $product_id = $_GET['product_id'];
            }
        }
        === expect: upload/catalog/controller/extension/module/meschain.php:4

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === catalog/controller/module/meschain.php
        <?php
        namespace Opencart\\Catalog\\Controller\\Extension\\VendorX\\Module;
        class Meschain extends \\Opencart\\System\\Engine\\Controller {
            public function index() {
                $product_id = $_GET['product_id'];
            }
        }
        === expect: catalog/controller/module/meschain.php:5

    Pass::

        === upload/catalog/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function index() {
                $product_id = isset($this->request->get['product_id']) ? (int)$this->request->get['product_id'] : 0;
            }
        }
    """
    for path, number, line in _php(ctx):
        m = re.search(r"\$_(GET|POST|REQUEST|COOKIE)\b", line)
        if m:
            source = ctx.text(path).split("\n")[number - 1]
            key = re.match(r"\s*\[\s*(['\"][^'\"]*['\"])\s*\]", source[m.end() :])
            replacement = f"$this->request->{m.group(1).lower()}" + (f"[{key.group(1)}]" if key else "")
            hint = f"read {replacement} instead (cast ids with (int))"
            if "/system/library/" in "/" + path:
                hint += "; a library class has no $this->request: read the value in the controller and pass it in"
            yield Finding(path, f"$_{m.group(1)} used directly; use $this->request", number, m.start() + 1, hint=hint)


_REQUEST_RE = re.compile(r"\$this->request->(?:get|post|request|cookie)\[")
_REQUEST_EXPR_RE = re.compile(r"\$this->request->(?:get|post|request|cookie)(?:\[[^\]\n]*\])+")
# What may stand right before the request value (whitespace removed, lowercase).
_SAFE_BEFORE = ("(int)", "(integer)", "(float)", "(double)", "(bool)", "(boolean)", "intval(", "floatval(", "->escape(", "->escape((string)")


@rule("SEC004", "sql-from-request-data", "error", ("3.0", "4.0", "4.1"))
def sql_from_request_data(ctx: Context) -> Iterator[Result]:
    """A database query is built from request data without ``$this->db->escape()`` or an int cast.

    That is SQL injection: the request can rewrite the query.

    Fail::

        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function getListing() {
                return $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `sku` = '" . $this->request->get['sku'] . "'")->row;
            }
        }
        === expect: upload/admin/model/extension/module/meschain.php:4

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === admin/model/module/meschain.php
        <?php
        namespace Opencart\\Admin\\Model\\Extension\\VendorX\\Module;
        class Meschain extends \\Opencart\\System\\Engine\\Model {
            public function getListing() {
                return $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `sku` = '" . $this->request->get['sku'] . "'")->row;
            }
        }
        === expect: admin/model/module/meschain.php:5

    Pass::

        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function getListing() {
                $sku = $this->db->escape($this->request->get['sku']);
                return $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `sku` = '" . $sku . "' AND `product_id` = '" . (int)$this->request->get['product_id'] . "'")->row;
            }
        }
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
                expr = _REQUEST_EXPR_RE.match(text, start + hit.start())
                value = expr.group(0) if expr else "$this->request->…"
                yield Finding(path, "query built from request data without escape() or an int cast", *_line_col(text, start + hit.start()),
                    hint=f"write $this->db->escape({value}) for text, or (int){value} for ids")


@rule("SEC005", "twig-raw-request-data", "warning", ("3.0", "4.0", "4.1"))
def twig_raw_request_data(ctx: Context) -> Iterator[Result]:
    """A Twig template prints a value with ``|raw``.

    OpenCart 3.0 renders Twig with autoescape off, and ``|raw`` in a template usually means
    request or marketplace data is printed as HTML: check it is escaped where it is produced.

    Fail::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        <h2>{{ text_results }}</h2>
        <p>{{ search|raw }}</p>
        === expect: upload/catalog/view/theme/default/template/extension/module/meschain.twig:2

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === catalog/view/template/module/meschain.twig
        <h2>{{ text_results }}</h2>
        <p>{{ search|raw }}</p>
        === expect: catalog/view/template/module/meschain.twig:2

    Pass::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        <h2>{{ text_results }}</h2>
        <p>{{ search|e }}</p>
    """
    for path in ctx.files(".twig"):
        for number, line in enumerate(ctx.text(path).split("\n"), 1):
            m = re.search(r"\|\s*raw\b", line)
            if m:
                head = line[: m.start()]
                value = re.sub(r"^.*\{\{-?\s*", "", head).strip() or "value"
                yield Finding(path, "'|raw' prints unescaped HTML", number, m.start() + 1,
                    hint=f"print text as {{{{ {value}|e }}}}; keep |raw only for HTML the controller built itself from escaped parts "
                    "(OpenCart 3.0 does not auto-escape, so the controller must escape anything from requests or marketplaces)")


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

    Fail::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function save() {
                $this->load->model('setting/setting');
                $this->model_setting_setting->editSetting('module_meschain', $this->request->post);
                $this->response->redirect($this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true));
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:5

    Pass::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            private $error = array();

            public function index() {
                if (($this->request->server['REQUEST_METHOD'] == 'POST') && $this->validate()) {
                    $this->load->model('setting/setting');
                    $this->model_setting_setting->editSetting('module_meschain', $this->request->post);
                }
            }

            protected function validate() {
                if (!$this->user->hasPermission('modify', 'extension/module/meschain')) {
                    $this->error['warning'] = $this->language->get('error_permission');
                }
                return !$this->error;
            }
        }
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
            route = re.sub(r"^.*?admin/controller/|\.php$", "", path)
            yield Finding(path, f"{name}() handles POST data without checking hasPermission('modify', …)", line, 1,
                hint=f"check first in {name}(): if (!$this->user->hasPermission('modify', '{route}')) {{ refuse with $this->language->get('error_permission') }}, "
                "or call a validate() that does")


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

    Fail::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function index() {
                $data['cancel'] = $this->url->link('marketplace/extension', '', true);
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:4

    Pass::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function index() {
                $data['cancel'] = $this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true);
            }
        }
    """
    for path in ctx.files(".php"):
        if "/admin/" not in "/" + path:
            continue
        for number, line in enumerate(ctx.text(path).split("\n"), 1):
            m = re.search(r"->url->link\(\s*'([^']+)'\s*(?:\)|,\s*(''|\"\")\s*[,)])", line)
            if m:
                yield Finding(path, f"link to {m.group(1)!r} has no user_token", number, m.start() + 1,
                    hint=f"write $this->url->link('{m.group(1)}', 'user_token=' . $this->session->data['user_token'], true)")
