"""TWG — Twig templates: tag structure, and a full parse with the real Twig library when present."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..toolinfo import TWIG_AUTOLOAD, TWIG_ENVIRONMENT, file_identity
from ..verdicts import VerdictFactory
from .background import CachedPhpBatch, PhpJob, no_verdicts
from .base import Context, Finding, Result, Skip, prefetch, rule

if TYPE_CHECKING:
    from ..opencart import OpenCartTree

_PAIRED = {"if", "for", "block", "macro", "apply", "spaceless", "embed", "filter", "with", "autoescape", "verbatim", "raw", "sandbox", "guard", "cache"}
_MIDDLE = {"else": ("if", "for"), "elseif": ("if",)}
_TAG_RE = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_VERBATIM_RE = re.compile(r"(\{%-?\s*(verbatim|raw)\s*-?%\})(.*?)(\{%-?\s*end\2\s*-?%\})", re.S)


def _where(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[pos]``."""
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


def structure_problems(text: str) -> list[tuple[int, int, str]]:
    """Unclosed delimiters and unbalanced block tags, with their lines and columns."""
    # Whatever sits inside verbatim/raw is text, not tags (newlines kept so lines stay right).
    text = _VERBATIM_RE.sub(lambda m: m.group(1) + re.sub(r"[^\n]", " ", m.group(3)) + m.group(4), text)
    problems: list[tuple[int, int, str]] = []
    for opener, closer in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
        pos = 0
        while True:
            start = text.find(opener, pos)
            if start < 0:
                break
            end = text.find(closer, start + 2)
            nxt = min([p for p in (text.find("{{", start + 2), text.find("{%", start + 2), text.find("{#", start + 2)) if p >= 0], default=-1)
            if end < 0 or (opener != "{#" and 0 <= nxt < end):
                problems.append((*_where(text, start), f"'{opener}' is never closed with '{closer}'"))
                break
            pos = end + 2
    if problems:
        return problems
    stack: list[tuple[str, int, int]] = []
    for m in _TAG_RE.finditer(text):
        tag, rest = m.group(1), m.group(2)
        line, col = _where(text, m.start())
        if tag == "set" and "=" not in rest:
            tag = "set_block"
        if tag in _PAIRED or tag == "set_block":
            stack.append((tag, line, col))
        elif tag.startswith("end"):
            name = tag[3:] if tag[3:] != "set" else "set_block"
            if not stack:
                problems.append((line, col, f"'{{% {tag} %}}' without an opening '{{% {tag[3:]} %}}'"))
            elif stack[-1][0] != name:
                inner = stack[-1]
                problems.append((line, col, f"'{{% {tag} %}}' found while '{{% {inner[0].replace('_block', '')} %}}' opened on line {inner[1]} is still open"))
                names = [entry[0] for entry in stack]
                if name in names:  # close through to the matching opener; report this once
                    del stack[len(names) - 1 - names[::-1].index(name) :]
            else:
                stack.pop()
        elif tag in _MIDDLE and (not stack or stack[-1][0] not in _MIDDLE[tag]):
            problems.append((line, col, f"'{{% {tag} %}}' outside an if/for"))
    for tag, line, col in stack:
        problems.append((line, col, f"'{{% {tag.replace('_block', '')} %}}' is never closed"))
    return problems


@rule("TWG001", "twig-structure", "error", ("3.0", "4.0", "4.1"))
def twig_structure(ctx: Context) -> Iterator[Result]:
    """A Twig template has an unclosed ``{{``, ``{%`` or ``{#``, or unbalanced block tags.

    OpenCart compiles templates when the page is first shown: the admin or the storefront gets
    a fatal Twig syntax error instead of the page. Checked without PHP.

    Fail::

        === upload/admin/view/template/extension/module/meschain.twig
        {% for marketplace in marketplaces %}
          {% if marketplace.enabled %}
          <li>{{ marketplace.name }}</li>
        {% endfor %}
        === expect: upload/admin/view/template/extension/module/meschain.twig:4

    Fail::

        === upload/admin/view/template/extension/module/meschain.twig
        <div class="panel-heading">
          <h3 class="panel-title">{{ heading_title }</h3>
        </div>
        === expect: upload/admin/view/template/extension/module/meschain.twig:2

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === admin/view/template/module/meschain.twig
        {% for marketplace in marketplaces %}
          {% if marketplace.enabled %}
          <li>{{ marketplace.name }}</li>
        {% endfor %}
        === expect: admin/view/template/module/meschain.twig:4

    Pass::

        === upload/admin/view/template/extension/module/meschain.twig
        {% for marketplace in marketplaces %}
          {% if marketplace.enabled %}
          <li>{{ marketplace.name }}</li>
          {% endif %}
        {% endfor %}
    """
    for path in ctx.files(".twig"):
        for line, col, message in structure_problems(ctx.text(path)):
            yield Finding(path, message, line, col, hint=structure_fix(message))


def structure_fix(message: str) -> str:
    """What to add or remove for a ``structure_problems`` message."""
    unclosed = re.match(r"'(\{.)' is never closed with '(.\})'", message)
    crossed = re.match(r"'\{% (\w+) %\}' found while '\{% (\w+) %\}' opened on line (\d+)", message)
    stray = re.match(r"'\{% (\w+) %\}' without an opening", message)
    open_tag = re.match(r"'\{% (\w+) %\}' is never closed", message)
    if unclosed:
        return f"end it with {unclosed.group(2)!r} before the next tag starts (a single '}}' or '%' is the usual slip)"
    if crossed:
        return f"add {{% end{crossed.group(2)} %}} before {{% {crossed.group(1)} %}} to close the {crossed.group(2)} opened on line {crossed.group(3)}"
    if stray:
        return f"remove {{% {stray.group(1)} %}} or add the {{% {stray.group(1)[3:]} … %}} it should close"
    if open_tag:
        return f"add {{% end{open_tag.group(1)} %}} where the {open_tag.group(1)} block should end"
    return "{% else %} and {% elseif %} belong between {% if %} and {% endif %} ({% else %} also in {% for %} … {% endfor %})"


_PARSE_SCRIPT = r"""
require '%s';
$files = json_decode(file_get_contents($argv[1]), true);
$env = new \Twig\Environment(new \Twig\Loader\ArrayLoader($files), array('autoescape' => false));
$out = array();
foreach ($files as $name => $code) {
    try { $env->parse($env->tokenize(new \Twig\Source($code, $name))); $out[$name] = null; }
    catch (\Twig\Error\SyntaxError $e) { $out[$name] = array($e->getTemplateLine(), $e->getRawMessage()); }
}
echo json_encode(array('version' => \Twig\Environment::VERSION, 'results' => $out));
"""


@rule("TWG002", "twig-parse-error", "error", ("3.0", "4.0", "4.1"))
def twig_parse_error(ctx: Context) -> Iterator[Result]:
    """A Twig template does not parse with the real Twig library.

    Uses Debian's php-twig (``/usr/share/php/Twig``, Twig 3) when php and it are installed;
    reported as skipped otherwise. OpenCart 3.0 adds no filters, functions or tags of its own,
    so an unknown one is an error in the store too. OpenCart 3.0.3.9 to 3.0.5.1 ship Twig 3, so
    tags Twig 3 removed (``spaceless``, ``filter``, ``for … if``) break the page there even
    though 3.0.3.8's Twig 2 still accepted them. With ``--opencart``, TWG003 also parses with the
    Twig of each given release (1.24, 2.13 or 3.x).

    Fail::

        === upload/admin/view/template/extension/module/meschain.twig
        <h1>{{ heading_title|uper }}</h1>
        === expect: upload/admin/view/template/extension/module/meschain.twig:1

    Fail::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        <ul>
        {% spaceless %}
          <li>{{ text_sync }}</li>
        {% endspaceless %}
        </ul>
        === expect: upload/catalog/view/theme/default/template/extension/module/meschain.twig:2

    Fail::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        {% for product in products if product.quantity > 0 %}
          <li>{{ product.name }}</li>
        {% endfor %}
        === expect: upload/catalog/view/theme/default/template/extension/module/meschain.twig:1

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === admin/view/template/module/meschain.twig
        <h1>{{ heading_title|uper }}</h1>
        === expect: admin/view/template/module/meschain.twig:1

    Pass::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        <h1>{{ heading_title|upper }}</h1>
        <ul>
        {%- for product in products %}
          {% if product.quantity > 0 %}<li>{{ product.name }}</li>{% endif %}
        {%- endfor %}
        </ul>
    """
    started = ctx.background.pop("TWG002", None)
    parse = started if isinstance(started, TwigParse) else TwigParse(_twig_files(ctx), ctx.verdicts)
    if parse.empty:
        return
    if parse.php is None:
        yield Skip("php and php-twig are not both installed; Twig templates were not parsed")
        return
    results = parse.verdicts()
    if results is None:
        yield Skip("the Twig parser could not be run")
        return
    for path, (version, value) in sorted(results.items()):
        if value:
            yield Finding(path, f"Twig {version} syntax error: {value[1]}", int(value[0] or 1), 1, hint=twig_fix(str(value[1])))


def twig_fix(message: str) -> str:
    """What to change for a Twig syntax error message, portable across the Twig versions
    OpenCart 3.0 ships (1.24, 2.13, 3.x)."""
    suggestion = re.search(r'Did you mean "([^"]+)"', message)
    unknown = re.match(r'Unknown "([^"]+)" (filter|function|tag|test)', message)
    if suggestion:
        return f"write {suggestion.group(1)!r} (Twig's own suggestion)"
    if 'of value "if"' in message:
        return "move the condition into the loop: {% for x in items %}{% if … %}…{% endif %}{% endfor %} (\"for … if\" is gone in Twig 3, OpenCart 3.0.3.9+)"
    if unknown and unknown.group(1) in ("spaceless", "filter", "apply"):
        return ("use whitespace control ({%- … -%}, {{- … -}}) or apply the filter to the value ({{ value|upper }}): every Twig OpenCart 3.0 ships understands those, "
            "while {% spaceless %} and {% filter %} are gone in Twig 3 and {% apply %} is missing in Twig 1.24 (OpenCart 3.0.2.0–3.0.3.4)")
    if unknown:
        return f"OpenCart 3.0 adds no {unknown.group(2)}s of its own: use a Twig built-in, or compute the value in the controller ($data['…'] = …)"
    if 'Unexpected token "end of statement block"' in message:
        return "the tag lacks its expression: {% if condition %}, {% include 'extension/….twig' %}, {% set name = value %}"
    if message.startswith("Unclosed"):
        return "close the bracket or quote in this expression"
    return "fix the expression or tag on this line; Twig stops at the first error, so check again after the fix"


def _twig_files(ctx: Context) -> dict[str, str]:
    return {path: ctx.text(path) for path in ctx.files(".twig")}


class TwigParse(CachedPhpBatch):
    """Twig's parser (the system's php-twig) over many templates."""

    cache_name = "twig-parse"

    def __init__(self, files: dict[str, str], verdicts: VerdictFactory = no_verdicts) -> None:
        php = shutil.which("php")
        self.script = _PARSE_SCRIPT % TWIG_AUTOLOAD
        usable = php if php is not None and os.path.isfile(TWIG_AUTOLOAD) else None
        super().__init__(usable, files, "\0".join((self.script, file_identity(TWIG_AUTOLOAD), file_identity(TWIG_ENVIRONMENT))), verdicts)

    def start(self, php: str, todo: dict[str, str]) -> PhpJob:
        return PhpJob(php, (), self.script, todo)

    def read(self, php: str, job: PhpJob, answer: Any) -> dict[str, Any] | None:
        try:
            version, results = str(answer["version"]), dict(answer["results"])
            return {path: [version, results[path]] for path in self.todo}
        except (KeyError, TypeError, ValueError):
            return None


@prefetch("TWG002")
def _start_twig_parse(ctx: Context) -> None:
    ctx.background["TWG002"] = TwigParse(_twig_files(ctx), ctx.verdicts)


# Parses templates with the Twig an OpenCart release ships, loaded the way that release loads
# it: Twig 1 through its own autoloader (3.0.2.0-3.0.3.4), Twig 2/3 from system/storage/vendor.
_RELEASE_SCRIPT = r"""
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);
$input = json_decode(file_get_contents($argv[1]), true);
$base = $input['base'];
if ($input['kind'] === 'autoloader') {
    require $base . '/Autoloader.php';
    Twig_Autoloader::register();
    $env = new Twig_Environment(new Twig_Loader_Array($input['templates']));
    $version = Twig_Environment::VERSION;
} else {
    spl_autoload_register(function ($class) use ($base) {
        if (strncmp($class, 'Twig\\', 5) === 0) { $file = $base . '/src/' . str_replace('\\', '/', substr($class, 5)) . '.php'; }
        elseif (strncmp($class, 'Twig_', 5) === 0) { $file = $base . '/lib/' . str_replace('_', '/', $class) . '.php'; }
        else { return; }
        if (is_file($file)) { require $file; }
    });
    if (!function_exists('trigger_deprecation')) {
        if ($input['deprecation'] && is_file($input['deprecation'])) { require $input['deprecation']; }
        else { function trigger_deprecation(...$arguments) {} }
    }
    foreach (glob($base . '/src/Resources/*.php') ?: array() as $resource) { require_once $resource; }
    $env = new \Twig\Environment(new \Twig\Loader\ArrayLoader($input['templates']));
    $version = \Twig\Environment::VERSION;
}
$out = array();
foreach ($input['templates'] as $name => $code) {
    try {
        if (class_exists('\Twig\Source')) { $env->parse($env->tokenize(new \Twig\Source($code, $name))); }
        else { $env->parse($env->tokenize($code, $name)); }
        $out[$name] = null;
    } catch (Exception $e) {
        $out[$name] = array(method_exists($e, 'getTemplateLine') ? $e->getTemplateLine() : 0, method_exists($e, 'getRawMessage') ? $e->getRawMessage() : $e->getMessage());
    }
}
echo json_encode(array('version' => $version, 'results' => $out));
"""


def release_twig(tree: OpenCartTree, scratch: Path) -> tuple[str, Path | None, Path | None]:
    """(how the release loads Twig, the Twig folder, symfony's deprecation function file) for an
    OpenCart tree; zip trees are copied below ``scratch`` first."""
    loader = "system/library/template/twig.php"
    if tree.exists(loader) and "Twig_Autoloader" in tree.read(loader):
        return "autoloader", tree.folder("system/library/template/Twig/", scratch), None
    contracts = tree.folder("system/storage/vendor/symfony/deprecation-contracts/", scratch)
    return "vendor", tree.folder("system/storage/vendor/twig/twig/", scratch), contracts / "function.php" if contracts else None


@rule("TWG003", "twig-error-in-release", "error", needs_opencart=True)
def twig_error_in_release(ctx: Context) -> Iterator[Result]:
    """A Twig template does not parse with the Twig of an OpenCart release given by ``--opencart``.

    OpenCart 3.0 ships three Twig generations: 1.24 (3.0.2.0-3.0.3.4), 2.13 (3.0.3.5-3.0.3.8)
    and 3.x (3.0.3.9 on). A tag or filter one of them lacks breaks the page in stores on that
    release only: ``{% apply %}`` does not exist in Twig 1.24, ``{% spaceless %}`` no longer in
    Twig 3. TWG002 parses with the system's Twig; this rule loads each given release's own Twig
    the way that release does and parses every template with it. Needs php.

    The examples give the release the system's Twig 3 (Debian's php-twig); without it they
    are skipped, as the rule skips any tree that holds no Twig.

    Fail::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        <ul>
        {% spaceless %}<li>{{ text_sync }}</li>{% endspaceless %}
        </ul>
        === opencart 3.0.3.9: system/storage/vendor/twig/twig/src (php-twig)
        === expect: upload/catalog/view/theme/default/template/extension/module/meschain.twig:2

    Pass::

        === upload/catalog/view/theme/default/template/extension/module/meschain.twig
        <ul>
        {%- for product in products %}<li>{{ product.name|upper }}</li>{%- endfor %}
        </ul>
        === opencart 3.0.3.9: system/storage/vendor/twig/twig/src (php-twig)
    """
    from ..errors import OpenCartTreeError
    from ..opencart import load_tree

    files = _twig_files(ctx)
    if not files or not ctx.opencart_paths:
        return
    php = shutil.which("php")
    if php is None:
        yield Skip("php is not on PATH; templates were not parsed with the releases' Twig")
        return
    for source in ctx.opencart_paths:
        try:
            tree = load_tree(source)
        except OpenCartTreeError as exc:
            yield Skip(f"{source}: {exc}")
            continue
        with tempfile.TemporaryDirectory(prefix="ocmod-forge-twig-") as scratch:
            kind, base, contracts = release_twig(tree, Path(scratch))
            if base is None:
                yield Skip(f"OpenCart {tree.version} ({source}): no Twig library in this tree")
                continue
            payload = {"kind": kind, "base": str(base), "deprecation": str(contracts) if contracts else "", "templates": files}
            job = PhpJob(php, ("-d", "display_errors=0", "-d", "log_errors=0"), _RELEASE_SCRIPT, payload)
            try:
                answer = job.answer()
            finally:
                job.close()
        try:
            version, results = str(answer["version"]), dict(answer["results"])
        except (KeyError, TypeError, ValueError):
            yield Skip(f"OpenCart {tree.version} ({source}): its Twig could not be loaded by this php")
            continue
        for path, value in sorted(results.items()):
            if value:
                yield Finding(path, f"Twig {version} (OpenCart {tree.version}) syntax error: {value[1]}", int(value[0] or 1), 1, hint=twig_fix(str(value[1])))
