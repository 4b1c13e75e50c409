"""PHP — syntax (PHP's own parser), OpenCart 3.0 class names, and PHP 7.3 compatibility."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..verdicts import VerdictFactory
from .background import CachedPhpBatch, PhpJob, no_verdicts
from .base import Context, Finding, Result, Skip, prefetch, rule

# Inline HTML, comments, strings and heredocs, in the order PHP's lexer would meet them.
_NON_CODE_RE = re.compile(
    r"\A.*?(?:<\?php|<\?=|<\?|\Z)"  # anything before the first open tag
    r"|\?>.*?(?:<\?php|<\?=|<\?|\Z)"  # inline HTML between close and open tags
    r"|//[^\n]*?(?=\n|\?>|\Z)|#(?!\[)[^\n]*?(?=\n|\?>|\Z)"
    r"|/\*.*?(?:\*/|\Z)"
    r"|'(?:[^'\\]|\\.)*(?:'|\Z)"
    r'|"(?:[^"\\]|\\.)*(?:"|\Z)'
    r"|<<<[ \t]*(['\"]?)([A-Za-z_]\w*)\1\r?\n.*?^[ \t]*\2\b",
    re.S | re.M,
)


def _blank(match: re.Match[str]) -> str:
    text = match.group(0)
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(part) for part in text.split("\n"))


@lru_cache(maxsize=1024)
def blank_strings_and_comments(text: str) -> str:
    """The PHP code with strings, comments and inline HTML replaced by spaces (newlines kept),
    so pattern checks only see code. Cached: several rules scan the same files."""
    return _NON_CODE_RE.sub(_blank, text)


def code_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line, code with strings and comments blanked) for each line of a PHP file."""
    yield from enumerate(blank_strings_and_comments(text).split("\n"), 1)


def call_arguments(text: str, opener: str = "->query(") -> list[tuple[int, int]]:
    """(start, end) offsets of the argument text of every ``opener`` call in PHP code, found on
    the code with strings and comments blanked, so the closing parenthesis is the real one even
    when the call goes on (``->query(…)->row;``) or an SQL string holds ``);``."""
    code = blank_strings_and_comments(text)
    spans: list[tuple[int, int]] = []
    pos = code.find(opener)
    while pos >= 0:
        start = pos + len(opener)
        depth = 1
        for paren in _PAREN_RE.finditer(code, start):
            depth += 1 if paren.group(0) == "(" else -1
            if depth == 0:
                spans.append((start, paren.start()))
                break
        pos = code.find(opener, start)
    return spans


_PAREN_RE = re.compile(r"[()]")


_FUNCTION_RE = re.compile(r"\bfunction\s+&?(\w+)\s*\(")
_HIDDEN_RE = re.compile(r"\b(?:private|protected)\b[\w\s]*\Z")


@lru_cache(maxsize=1024)
def methods(text: str) -> list[tuple[str, int, int, bool]]:
    """(name, body start, body end, public) of every function with a body, found on the code
    with strings and comments blanked (a brace inside a string never counts). Cached: the
    PHP and SEC rules read the same files. Do not change the returned list."""
    code = blank_strings_and_comments(text)
    found: list[tuple[str, int, int, bool]] = []
    for m in _FUNCTION_RE.finditer(code):
        open_at = code.find("{", m.end())
        semicolon = code.find(";", m.end())
        if open_at < 0 or (0 <= semicolon < open_at):
            continue  # abstract or interface method: no body
        line_start = code.rfind("\n", 0, m.start()) + 1
        public = not _HIDDEN_RE.search(code, line_start, m.start())
        depth = 0
        for brace in _BRACE_RE.finditer(code, open_at):
            depth += 1 if brace.group(0) == "{" else -1
            if depth == 0:
                found.append((m.group(1), open_at, brace.start(), public))
                break
    return found


_BRACE_RE = re.compile(r"[{}]")


# One php process checks every file as `php -l` would: PHP's own parser first (token_get_all
# with TOKEN_PARSE raises ParseError exactly where `php -l` reports a syntax error), then, for
# files that parse, its compiler via OPcache without executing anything (redeclared functions,
# abstract methods in a concrete class, …). false = OPcache refused the file: `php -l` on that
# one file gives the message.
_LINT_SCRIPT = r"""
$dir = dirname($argv[1]);
$out = array();
$compile = function_exists('opcache_compile_file');
foreach (json_decode(file_get_contents($argv[1]), true) as $name) {
    $file = $dir . '/' . $name;
    try { token_get_all(file_get_contents($file), TOKEN_PARSE); }
    catch (ParseError $e) { $out[] = array($e->getLine(), $e->getMessage()); continue; }
    $out[] = ($compile && @opcache_compile_file($file) === false) ? false : null;
}
echo json_encode($out);
"""
_LINT_FLAGS = ("-d", "opcache.enable_cli=1", "-d", "display_errors=0", "-d", "log_errors=0")
_LINT_RE = re.compile(r"(?:PHP )?(?:Parse|Fatal) error:\s*(.*) in \S+ on line (\d+)")
# "(previously declared in /tmp/…/f0.php:2)": the job's temporary path must not reach messages.
_TEMP_PLACE_RE = re.compile(r" in \S+:(\d+)\)")


class PhpLint(CachedPhpBatch):
    """``php -l`` over many files (PHP's parser, then its compiler via OPcache)."""

    cache_name = "php-lint"

    def __init__(self, files: dict[str, str], verdicts: VerdictFactory = no_verdicts) -> None:
        super().__init__(shutil.which("php"), files, "\0".join((_LINT_SCRIPT, *_LINT_FLAGS, _LINT_RE.pattern, _TEMP_PLACE_RE.pattern)), verdicts)

    def start(self, php: str, todo: dict[str, str]) -> PhpJob:
        self.names = {f"f{index}.php": path for index, path in enumerate(sorted(todo))}
        return PhpJob(php, _LINT_FLAGS, _LINT_SCRIPT, list(self.names), files={name: todo[path] for name, path in self.names.items()})

    def read(self, php: str, job: PhpJob, answer: Any) -> dict[str, Any] | None:
        if not isinstance(answer, list) or len(answer) != len(self.names):
            return None
        verdicts: dict[str, Any] = {}
        for name, value in zip(self.names, answer, strict=False):
            if value is False:  # OPcache refused it: `php -l` on that one file gives the message
                lint = subprocess.run([php, "-d", "display_errors=stderr", "-l", job.path(name)], capture_output=True, text=True, timeout=60)
                m = _LINT_RE.search(lint.stdout + lint.stderr)
                value = None if lint.returncode == 0 else [int(m.group(2)), _TEMP_PLACE_RE.sub(r" on line \1)", m.group(1))] if m else [1, "php -l failed"]
            verdicts[self.names[name]] = value
        return verdicts

    def errors(self) -> dict[str, tuple[int, str]] | None:
        """What ``php -l`` reports, by path; None when php is not available or failed."""
        verdicts = self.verdicts()
        if verdicts is None:
            return None
        return {path: (int(v[0]), str(v[1])) for path, v in sorted(verdicts.items()) if v}


def php_parse_errors(files: dict[str, str], verdicts: VerdictFactory = no_verdicts) -> dict[str, tuple[int, str]] | None:
    """What ``php -l`` reports, by path, from the installed php; None when php is not available.

    With a verdict store (the linter passes the cache's), unchanged files cost nothing next time.
    """
    return PhpLint(files, verdicts).errors()


def _php_files(ctx: Context) -> dict[str, str]:
    return {path: ctx.text(path) for path in ctx.files(".php")}


@prefetch("PHP001")
def _start_php_lint(ctx: Context) -> None:
    ctx.background["PHP001"] = PhpLint(_php_files(ctx), ctx.verdicts)


@rule("PHP001", "php-syntax-error", "error", ("3.0", "4.0", "4.1"))
def php_syntax_error(ctx: Context) -> Iterator[Result]:
    """A PHP file does not parse.

    Checked with the installed PHP exactly as ``php -l`` would: its parser, then its compiler
    (without executing anything), all files in one process; verdicts are cached by content. Without ``php`` on PATH
    the check is reported as skipped, never as passed.

    Fail::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function index() {
                $data['heading_title'] = $this->language->get('heading_title')
                $this->response->setOutput($this->load->view('extension/module/meschain', $data));
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:5

    Fail::

        === upload/system/library/meschain/helper.php
        <?php
        function meschain_money($value) { return number_format($value, 2); }
        function meschain_money($value) { return round($value, 2); }
        === expect: upload/system/library/meschain/helper.php:3

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === admin/controller/module/meschain.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\VendorX\\Module;
        class Meschain extends \\Opencart\\System\\Engine\\Controller {
            public function index() {
                $data['heading_title'] = $this->language->get('heading_title')
                $this->response->setOutput($this->load->view('extension/module/meschain', $data));
            }
        }
        === expect: admin/controller/module/meschain.php:6

    Pass::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function index() {
                $data['heading_title'] = $this->language->get('heading_title');
                $this->response->setOutput($this->load->view('extension/module/meschain', $data));
            }
        }
    """
    started = ctx.background.pop("PHP001", None)
    lint = started if isinstance(started, PhpLint) else PhpLint(_php_files(ctx), ctx.verdicts)
    if lint.empty:
        return
    errors = lint.errors()
    if errors is None:
        yield Skip("php is not on PATH; PHP syntax was not checked")
        return
    for path, (line, message) in sorted(errors.items()):
        yield Finding(path, f"php -l: {message}", line, 1, hint=syntax_fix(message, line))


def syntax_fix(message: str, line: int) -> str:
    """What to change for a ``php -l`` message."""
    expecting = re.search(r"unexpected (.+?), expecting (.+)$", message)
    unclosed = re.search(r"Unclosed '(.)' on line (\d+)", message)
    redeclare = re.search(r"Cannot redeclare (?:function )?([\w\\]+)\(\)", message)
    abstract = re.search(r"implement the remaining methods \((.+?)\)", message)
    if unclosed:
        return f"the {unclosed.group(1)!r} opened on line {unclosed.group(2)} is never closed: add its closing bracket"
    if "unexpected end of file" in message:
        return "a block, string or heredoc is still open at the end of the file: close it"
    if expecting is None and "unexpected" in message and line > 1:
        return f"look at the end of line {line - 1}: a missing ';' or ')' there makes PHP stop at the next token, on line {line}"
    if expecting:
        return f"PHP wanted {expecting.group(2)} before {expecting.group(1)}: most often a ';' or ')' is missing at the end of line {max(line - 1, 1)} or on line {line}"
    if redeclare:
        name = redeclare.group(1).rsplit("\\", 1)[-1]
        return f"declare {name}() once: rename one of them, or wrap the declaration in if (!function_exists('{name}')) {{ … }}"
    if abstract:
        return f"implement {abstract.group(1)} in the class, or declare the class abstract"
    return f"fix line {line}; `php -l` on the file shows the same message"


@rule("PHP002", "missing-php-open-tag", "error", ("3.0", "4.0", "4.1"))
def missing_php_open_tag(ctx: Context) -> Iterator[Result]:
    """A PHP file does not start with ``<?php``.

    Anything before the tag (a BOM, a blank line, a short ``<?`` tag) is sent to the browser
    before OpenCart's headers, breaking redirects, JSON responses and downloads.

    Fail::

        === upload/catalog/controller/extension/module/meschain.php

        <?php
        class ControllerExtensionModuleMeschain extends Controller {}
        === expect: upload/catalog/controller/extension/module/meschain.php:1

    Fail::

        === upload/catalog/controller/extension/module/meschain.php (bom)
        <?php
        class ControllerExtensionModuleMeschain extends Controller {}

    Fail::

        === upload/catalog/controller/extension/module/meschain.php
        <?
        class ControllerExtensionModuleMeschain extends Controller {}

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === catalog/controller/module/meschain.php (bom)
        <?php
        namespace Opencart\\Catalog\\Controller\\Extension\\VendorX\\Module;
        class Meschain extends \\Opencart\\System\\Engine\\Controller {}

    Pass::

        === upload/catalog/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {}
    """
    for path in ctx.files(".php"):
        data = ctx.tree[path].data
        if data.strip() and not data.startswith(b"<?php"):  # empty files are TPL002's
            yield Finding(path, "file does not start with '<?php' (BOM, whitespace or short tag first)", 1, 1, hint=open_tag_fix(data))


def open_tag_fix(data: bytes) -> str:
    """What to delete or change at the start of a PHP file that does not begin with ``<?php``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "save the file as UTF-8 without BOM (the 3 bytes EF BB BF before <?php)"
    lead = data[: len(data) - len(data.lstrip())]
    if lead:
        lines = lead.count(b"\n")
        what = f"{lines} blank line(s)" if lines else f"{len(lead)} space(s)"
        return f"delete the {what} before <?php"
    if data.startswith(b"<?=") or (data.startswith(b"<?") and data[2:5].lower() != b"php"):
        return "write the full open tag <?php (short tags are off on most hosts)"
    if data[:5].lower() == b"<?php":
        return "write the open tag in lowercase: <?php"
    return "move what stands before <?php (HTML belongs in a Twig template) so the file starts with <?php"


# Starts with the literal word (fast to search); class_heads() then checks what stands before it.
_CLASS_RE = re.compile(r"class\s+(\w+)(?:\s+extends\s+\\?([\w\\]+))?")
_CLASS_LEAD_RE = re.compile(r"(?:^|\n)[ \t]*(?:(?:abstract|final|readonly)[ \t]+)*\Z")


def class_heads(code: str) -> list[re.Match[str]]:
    """``class Name [extends Parent]`` declarations in code with strings and comments blanked:
    only where the word stands first on its line (or after abstract/final), so ``Foo::class``
    and ``$class`` are not declarations."""
    found = []
    for m in _CLASS_RE.finditer(code):
        line_start = code.rfind("\n", 0, m.start()) + 1
        if _CLASS_LEAD_RE.search(code, line_start - 1 if line_start else 0, m.start()):
            found.append(m)
    return found


def expected_class(path: str) -> str | None:
    """The class OpenCart 3.0's loader instantiates for a controller or model file, else None."""
    m = re.search(r"(?:^|/)(admin|catalog)/(controller|model)/(.+)\.php$", path)
    if not m:
        return None
    route = m.group(3)
    return m.group(2).capitalize() + re.sub(r"[^a-zA-Z0-9]", "", route.title().replace("/", ""))


@rule("PHP003", "class-name-mismatch", "error")
def class_name_mismatch(ctx: Context) -> Iterator[Result]:
    """An OpenCart 3.0 controller or model declares a class its loader will not look for.

    The loader strips every non-alphanumeric character from ``Controller`` + route (``Model`` for
    models): ``extension/module/my_dash`` needs ``ControllerExtensionModuleMyDash``. A mismatch
    is a fatal "Class not found" when the page opens.

    Fail::

        === upload/admin/controller/extension/mestech/dashboard.php
        <?php
        class ControllerMestechDashboard extends Controller {
            public function index() {}
        }
        === expect: upload/admin/controller/extension/mestech/dashboard.php:2

    Fail::

        === upload/admin/model/extension/module/my_dash.php
        <?php
        class ModelExtensionModuleMy_dash extends Model {
            public function getTotals() { return array(); }
        }

    Pass::

        === upload/admin/controller/extension/mestech/dashboard.php
        <?php
        class ControllerExtensionMestechDashboard extends Controller {
            public function index() {}
        }
        === upload/admin/model/extension/module/my_dash.php
        <?php
        class ModelExtensionModuleMyDash extends Model {
            public function getTotals() { return array(); }
        }
    """
    for path in ctx.files(".php"):
        expected = expected_class(path)
        if expected is None:
            continue
        text = ctx.text(path)
        heads = class_heads(blank_strings_and_comments(text))
        classes = [m.group(1) for m in heads]
        if classes and not any(c.lower() == expected.lower() for c in classes):
            line = text.count("\n", 0, heads[0].start()) + 1
            route = re.sub(r"^.*?(?:admin|catalog)/(?:controller|model)/|\.php$", "", path)
            yield Finding(path, f"declares {classes[0]!r}; OpenCart 3.0 loads {expected!r} for this file", line, 1,
                hint=f"rename the class to {expected} (the route {route!r} with every non-alphanumeric character dropped), or move the file to the route its class names")


# Syntax and functions newer than PHP 7.3, the minimum of OpenCart 3.0.3.x. Patterns run on code
# with strings and comments blanked; names after `->`, `::` or `function` are members or
# definitions (a method called match(), a str_contains() polyfill), legal on 7.3, and skipped.
# Each entry: pattern, label, kind, needles (a pattern runs only on files containing one of them,
# and a "signature" pattern only inside function signatures: most files never pay for most).
_NAME_CONSTRUCTS = ("match", "arrow", "function")
_F80 = ("str_contains", "str_starts_with", "str_ends_with", "get_debug_type", "fdiv", "preg_last_error_msg", "get_resource_id")
_F81 = ("array_is_list", "enum_exists")
_NEWER: list[tuple[re.Pattern[str], str, str, tuple[str, ...]]] = [
    (re.compile(r"\bmatch\s*\([^\n]*\)\s*\{"), "match expression (PHP 8.0)", "match", ("match",)),
    (re.compile(r"\?->"), "nullsafe operator ?-> (PHP 8.0)", "", ("?->",)),
    (re.compile(r"\bfn\s*&?\s*\("), "arrow function fn() (PHP 7.4)", "arrow", ("fn",)),
    (re.compile(r"\?\?="), "null coalescing assignment ??= (PHP 7.4)", "", ("??=",)),
    (re.compile(r"\b(" + "|".join(_F80) + r")\s*\("), "{0}() (PHP 8.0)", "function", _F80),
    (re.compile(r"\b(" + "|".join(_F81) + r")\s*\("), "{0}() (PHP 8.1)", "function", _F81),
    (re.compile(r"^[ \t]*enum\s+\w+", re.M), "enum (PHP 8.1)", "", ("enum",)),
    (re.compile(r"\breadonly\s+(?:public|protected|private|class|\??\w+\s+\$)"), "readonly (PHP 8.1)", "", ("readonly",)),
    (re.compile(r"function\s+__construct\s*\([^)]*?\b(?:public|protected|private)\s+"), "constructor property promotion (PHP 8.0)", "", ("__construct",)),
    (re.compile(r"(?:\(|,)\s*\??[A-Za-z_\\]+\s*\|\s*[A-Za-z_\\]+\s+&?\$\w+"), "union type (PHP 8.0)", "signature", ("|",)),
    (re.compile(r"\)\s*:\s*\??[A-Za-z_\\]+\s*\|\s*\??[A-Za-z_\\]+"), "union return type (PHP 8.0)", "signature", ("|",)),
    (re.compile(r"(?:\(|,)\s*\??mixed\s+&?\$\w+"), "mixed parameter type (PHP 8.0)", "signature", ("mixed",)),
    (re.compile(r"\)\s*:\s*\??(?:mixed|never|static)\b"), "return type mixed/never/static (PHP 8.0+)", "", ("mixed", "never", "static")),
    (re.compile(r"(?:public|protected|private|var)\s+(?:static\s+)?(?!static\b|function\b|const\b)\??[A-Za-z_\\]+\s+\$\w+\s*[;=]"), "typed property (PHP 7.4)", "",
     ("public", "protected", "private", "var")),
    (re.compile(r"^[ \t]*#\[", re.M), "attribute #[...] (PHP 8.0)", "", ("#[",)),
    (re.compile(r"(?<![\w$])\d+(?:_\d+)+\b"), "numeric literal separator (PHP 7.4)", "digits", ()),
    (re.compile(r"=[ \t]*throw\b|\?\?[ \t]*throw\b|=>[ \t]*throw\b"), "throw expression (PHP 8.0)", "", ("throw",)),
    (re.compile(r"[(,][ \t]*\w+[ \t]*:[ \t]*(?!:)[$'\"\w\[]"), "named argument (PHP 8.0)", "call", (":",)),
    (re.compile(r"\([^)]*=\s*new\b"), "new in a default value (PHP 8.1)", "signature", ("new",)),
    (re.compile(r"[\w)]\s*\(\s*\.\.\.\s*\)"), "first-class callable syntax f(...) (PHP 8.1)", "", ("...",)),
]
_MEMBER_OR_DEFINITION_RE = re.compile(r"(?:->|::|\bfunction\s*&?|\bnew|\bconst)\s*\Z")
# A function or closure head up to its body or `;`: where parameter and return types live.
_SIGNATURE_RE = re.compile(r"function\b[^{;]*")
_DIGIT_SEPARATOR_RE = re.compile(r"[0-9]_[0-9]")


def _spans(code: str, kind: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """The parts of ``code`` a pattern has to scan (empty when it cannot match at all)."""
    if needles and not any(n in code for n in needles):
        return []
    if kind == "digits" and not _DIGIT_SEPARATOR_RE.search(code):
        return []
    if kind == "signature":
        return [m.span() for m in _SIGNATURE_RE.finditer(code) if any(n in m.group(0) for n in needles)]
    return [(0, len(code))]


@rule("PHP004", "syntax-newer-than-target-php", "error")
def syntax_newer_than_target_php(ctx: Context) -> Iterator[Result]:
    """PHP syntax or a function newer than the target's minimum PHP (7.3 for OpenCart 3.0.3.x).

    Stores on the oldest supported PHP get a parse error or "Call to undefined function" on
    the first page that loads the file. Strings and comments are ignored.

    Fail::

        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function isTrendyol($url) {
                return str_contains($url, 'trendyol.com');
            }
        }
        === expect: upload/admin/model/extension/module/meschain.php:4

    Fail::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            private function label($status) {
                return match ($status) { 1 => 'active', 0 => 'paused', default => 'unknown' };
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:4

    Fail::

        === upload/catalog/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function customerEmail() {
                return $this->customer?->getEmail();
            }
        }
        === expect: upload/catalog/model/extension/module/meschain.php:4

    Fail::

        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function productIds($rows) {
                return array_map(fn($row) => (int)$row['product_id'], $rows);
            }
        }
        === expect: upload/admin/model/extension/module/meschain.php:4

    Fail::

        === upload/system/library/meschain/client.php
        <?php
        namespace Meschain;
        class Client {
            private int $timeout = 30;
            public function __construct(private string $apiKey) {}
        }
        === expect: upload/system/library/meschain/client.php:4
        === expect: upload/system/library/meschain/client.php:5

    Fail::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            public function status() {
                $this->session->data['meschain_seen'] ??= 0;
                $this->response->setOutput(json_encode(value: array('ok' => true), flags: JSON_UNESCAPED_UNICODE));
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:4
        === expect: upload/admin/controller/extension/module/meschain.php:5

    Pass::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {
            private $timeout = 30;
            public function status() {
                if (!isset($this->session->data['meschain_seen'])) {
                    $this->session->data['meschain_seen'] = 0;
                }
                $ids = array_map(function ($row) { return (int)$row['product_id']; }, array());
                $trendyol = strpos($this->request->get['url'], 'trendyol.com') !== false;
                $this->response->setOutput(json_encode(array('ok' => true), JSON_UNESCAPED_UNICODE));
            }
            public function match($pattern) { return preg_match($pattern, 'x'); }
        }
    """
    for path in ctx.files(".php"):
        code = blank_strings_and_comments(ctx.text(path))
        found: dict[int, tuple[int, str, str]] = {}  # line -> (column, label, fix): first construct per line
        for pattern, label, kind, needles in _NEWER:
            for m in (m for lo, hi in _spans(code, kind, needles) for m in pattern.finditer(code, lo, hi)):
                if kind in _NAME_CONSTRUCTS and _MEMBER_OR_DEFINITION_RE.search(code, max(0, m.start() - 40), m.start()):
                    continue
                if kind == "call" and code[m.start()] == "(" and not (m.start() and (code[m.start() - 1].isalnum() or code[m.start() - 1] == "_")):
                    continue  # a call's parenthesis follows its name; `(a: …` alone is not an argument list
                start = code.rfind("\n", 0, m.start()) + 1
                end = code.find("\n", m.start())
                line_text = code[start : end if end >= 0 else len(code)]
                # `case X:` and ternaries look like named arguments; require a call context.
                if label.startswith("named") and re.search(r"\?|\bcase\b|::", line_text):
                    continue
                number = code.count("\n", 0, m.start()) + 1
                name = label.format(m.group(1)) if "{0}" in label else label
                if number not in found or m.start() - start + 1 < found[number][0]:
                    found[number] = (m.start() - start + 1, name, older_php(label, m.group(0), m.group(1) if m.groups() else ""))
        for number, (col, name, fix) in sorted(found.items()):
            yield Finding(path, f"{name} is newer than PHP 7.3, OpenCart 3.0's minimum", number, col, hint=fix)


# What PHP 7.3 code does the same, by construct label (functions by name).
_OLDER = {
    "match": "use a switch, or an array lookup with a default: $labels[$status] ?? 'unknown'",
    "nullsafe": "test for null first: ($a !== null ? $a->b() : null)",
    "arrow": "write a closure: function ($row) use ($needed) { return …; }",
    "null coalescing assignment": "write $a = $a ?? value; (or an isset() test)",
    "enum": "use a class with constants (const ACTIVE = 1;)",
    "readonly": "use a private property set in the constructor and read through a getter",
    "constructor property promotion": "declare the property (private $apiKey;) and assign it in the constructor body",
    "union type": "drop the type from the parameter and document it (@param int|string $a)",
    "union return type": "drop the return type and document it (@return int|string)",
    "mixed parameter": "drop the type from the parameter (mixed means any type anyway)",
    "return type mixed": "drop the return type (document it with @return)",
    "typed property": "drop the type from the property and document it (/** @var int */)",
    "attribute": "remove the attribute (PHP 7.3 reads '#[' as a comment start, so it is silently ignored)",
    "throw expression": "throw in an if statement: if ($a === null) { throw new \\Exception(…); }",
    "named argument": "pass the arguments by position, in the order of the function's parameters",
    "new in a default": "default the parameter to null and create the object in the body",
    "first-class callable": "pass a closure or a callable: 'strlen', array($this, 'method')",
}
_OLDER_FUNCTIONS = {
    "str_contains": "strpos($haystack, $needle) !== false",
    "str_starts_with": "strpos($haystack, $needle) === 0",
    "str_ends_with": "substr($haystack, -strlen($needle)) === $needle",
    "get_debug_type": "is_object($value) ? get_class($value) : gettype($value)",
    "fdiv": "$a / $b (after checking $b != 0)",
    "preg_last_error_msg": "preg_last_error() (a number; compare with the PREG_*_ERROR constants)",
    "get_resource_id": "(int)$resource",
    "array_is_list": "$array === array_values($array)",
    "enum_exists": "class_exists()",
}


def older_php(label: str, text: str, name: str) -> str:
    """The PHP 7.3 way to write the construct ``label`` (``text``: the code that matched)."""
    if name in _OLDER_FUNCTIONS:
        return f"write {_OLDER_FUNCTIONS[name]} instead of {name}(), or define a polyfill guarded by if (!function_exists('{name}'))"
    if label.startswith("numeric literal separator"):
        return f"write {text.replace('_', '')} (no underscores in numbers before PHP 7.4)"
    if label.startswith("return type mixed") and "static" in text:
        return "drop the return type and document it (@return static)"
    return next((fix for key, fix in _OLDER.items() if label.startswith(key)), "rewrite it without the newer syntax or function (see the PHP migration guides)")


# `$this->name(`: a call of a method of the same object (or one it inherits).
SELF_CALL_RE = re.compile(r"\$this->(\w+)\s*\(")


def class_table(ctx: Context) -> dict[str, tuple[str, str | None, dict[str, tuple[int, bool]], set[str]]]:
    """Class short name (lower case) → (path, parent short name, methods {name: (body offset,
    public)}, names the class calls as ``$this->name()``), for every class with a body."""
    out: dict[str, tuple[str, str | None, dict[str, tuple[int, bool]], set[str]]] = {}
    for path in ctx.files(".php"):
        text = ctx.text(path)
        code = blank_strings_and_comments(text)
        found = class_heads(code)
        if not found:
            continue
        all_methods = methods(text)
        for index, m in enumerate(found):
            end = found[index + 1].start() if index + 1 < len(found) else len(code)
            own = [(name, start, stop, public) for name, start, stop, public in all_methods if m.end() <= start < end]
            parent = m.group(2).rsplit("\\", 1)[-1].lower() if m.group(2) else None
            table = {name.lower(): (start, public) for name, start, _stop, public in own}
            calls = {call.lower() for _n, start, stop, _p in own for call in SELF_CALL_RE.findall(code, start, stop)}
            out.setdefault(m.group(1).lower(), (path, parent, table, calls))
    return out


@rule("PHP005", "action-overrides-base-helper", "warning", ("3.0", "4.0", "4.1"))
def action_overrides_base_helper(ctx: Context) -> Iterator[Result]:
    """A public method of a controller overrides a protected or private helper that a base class
    of the package calls on ``$this``.

    Public controller methods are routes; a helper of the same name in the base class is then
    replaced for every caller: the base class runs the action where it meant its helper (in the
    MesChain Automation page, an action named ``token()`` replaced the base class's token
    helper and the page recursed until PHP ran out of memory). Rename the action.

    Fail::

        === upload/system/library/meschain/base.php
        <?php
        namespace Meschain;
        abstract class Base extends \\Controller {
            protected function token() {
                return 'user_token=' . $this->session->data['user_token'];
            }
            public function index() {
                $data['refresh'] = $this->url->link('extension/module/meschain', $this->token(), true);
                $this->response->setOutput($this->load->view('extension/module/meschain', $data));
            }
        }
        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends \\Meschain\\Base {
            public function token() {
                $this->model_extension_module_meschain->regenerateApiToken();
                $this->response->setOutput('ok');
            }
        }
        === expect: upload/admin/controller/extension/module/meschain.php:3

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === system/library/meschain/base.php
        <?php
        namespace Meschain;
        abstract class Base extends \\Controller {
            protected function token() {
                return 'user_token=' . $this->session->data['user_token'];
            }
            public function index() {
                $data['refresh'] = $this->url->link('extension/module/meschain', $this->token(), true);
                $this->response->setOutput($this->load->view('extension/module/meschain', $data));
            }
        }
        === admin/controller/module/meschain.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\VendorX\\Module;
        class ControllerExtensionModuleMeschain extends \\Meschain\\Base {
            public function token() {
                $this->model_extension_module_meschain->regenerateApiToken();
                $this->response->setOutput('ok');
            }
        }
        === expect: admin/controller/module/meschain.php:4

    Pass::

        === upload/system/library/meschain/base.php
        <?php
        namespace Meschain;
        abstract class Base extends \\Controller {
            protected function token() {
                return 'user_token=' . $this->session->data['user_token'];
            }
            public function index() {
                $data['refresh'] = $this->url->link('extension/module/meschain', $this->token(), true);
                $this->response->setOutput($this->load->view('extension/module/meschain', $data));
            }
        }
        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends \\Meschain\\Base {
            public function regenerate() {
                $this->model_extension_module_meschain->regenerateApiToken();
                $this->response->setOutput('ok');
            }
        }
    """
    classes = class_table(ctx)
    for _name, (path, parent, table, _calls) in sorted(classes.items(), key=lambda item: (item[1][0], item[0])):
        if "/controller/" not in "/" + path:
            continue
        seen: set[str] = set()
        while parent is not None and parent in classes and parent not in seen:
            seen.add(parent)
            base_path, grand, base_table, base_calls = classes[parent]
            for method, (offset, public) in sorted(table.items(), key=lambda item: item[1][0]):
                base = base_table.get(method)
                if public and base is not None and not base[1] and method in base_calls:
                    yield Finding(
                        path,
                        f"public {method}() replaces the helper {method}() that {parent_label(base_path)} calls on $this: "
                        "the base class now runs this action; rename it",
                        ctx.text(path).count("\n", 0, offset) + 1,
                        1,
                        hint=f"rename the action (e.g. {_renamed(method)}()) and the links to its route; if it is meant to override the helper, make it protected "
                        f"like the one in {parent_label(base_path)}",
                    )
            parent = grand


def _renamed(method: str) -> str:
    return "action" + method[:1].upper() + method[1:] if not method.startswith("action") else method + "Action"


def parent_label(path: str) -> str:
    """How a base class is named in messages: its file's name."""
    return path.rsplit("/", 1)[-1]
