"""EXT — the structure of an OpenCart 4 extension: paths OpenCart 3.0 used, type controllers and
their language files, type codes shared by every package, catalog code that is never registered,
and routes to the package's own files (opencart4-facts §3.1, §3.4, §4 C4–C8)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..installer4 import TYPES
from .base import Context, Finding, Result, rule
from .oc4 import identity, line_of, types_for
from .php import blank_strings_and_comments, call_arguments

_TARGETS = ("4.0", "4.1")
# OpenCart 3.0's extension types (admin/controller/extension/extension/*.php) and 4.x's.
TYPES_30 = ("advertise", "analytics", "captcha", "currency", "dashboard", "feed", "fraud", "menu", "module", "openbay", "payment", "report", "shipping", "theme", "total")
ALL_TYPES = frozenset(TYPES_30) | frozenset(TYPES) | {"language", "marketplace"}
_SIDES = ("admin", "catalog")


def _legacy(path: str) -> str | None:
    """Why ``path`` is an OpenCart 3.0 location that OpenCart 4 never looks at, or None."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] not in _SIDES:
        return None
    side, area = parts[0], parts[1]
    if area in ("controller", "model") and len(parts) > 4 and parts[2] == "extension" and parts[3] in ALL_TYPES:
        return f"OpenCart 3.0's {side}/{area}/extension/<type>/ folder: OpenCart 4 looks for {side}/{area}/{parts[3]}/"
    if area == "language" and len(parts) > 5 and parts[3] == "extension" and parts[4] in ALL_TYPES:
        return f"OpenCart 3.0's language folder {side}/language/{parts[2]}/extension/<type>/: OpenCart 4 loads {side}/language/{parts[2]}/{parts[4]}/"
    if area == "view" and len(parts) > 5 and parts[2] == "template" and parts[3] == "extension" and parts[4] in ALL_TYPES:
        return f"OpenCart 3.0's template folder {side}/view/template/extension/<type>/: OpenCart 4 loads {side}/view/template/{parts[4]}/"
    if side == "catalog" and area == "view" and len(parts) > 4 and parts[2] == "theme" and "template" in parts[3:-1]:
        return "OpenCart 3.0's catalog/view/theme/<theme>/template/ folder: OpenCart 4 loads catalog/view/template/"
    if area == "view" and path.endswith(".tpl"):
        return "a .tpl view (OpenCart 2.x): OpenCart 4 renders only .twig templates"
    return None


def _side_of(path: str) -> tuple[str, ...]:
    """The applications whose code a PHP file runs in (``system/`` files: both, unless its path says)."""
    if path.startswith(_SIDES):
        return (path.split("/", 1)[0],)
    found = tuple(s for s in _SIDES if f"/{s}/" in f"/{path}")
    return found or _SIDES


@rule("EXT001", "opencart-3-path", "error", _TARGETS)
def opencart_3_path(ctx: Context) -> Iterator[Result]:
    """A file sits where OpenCart 3.0 kept it; OpenCart 4 never looks there.

    4.x finds a package's extensions of type T in ``admin/controller/T/`` (4.1.0.4:EXM:30 glob;
    4.0.2.3:EXM:32 recorded paths), loads views from ``view/template/`` (4.1.0.4:SEC:29) and
    languages from ``language/<code>/``, all below the route prefix ``extension/CODE/``: the 3.0
    folders ``…/extension/<type>/``, ``catalog/view/theme/<theme>/template/`` and ``.tpl`` views are
    dead. (Templates in ``view/template/extension/<type>/`` that the package's own code names are
    left alone: they can be loaded on purpose.)

    Fail::

        === target: 4.1
        === install.json
        {"name": "X"}
        === catalog/controller/extension/module/my_ext.php
        <?php
        === catalog/language/en-gb/extension/module/my_ext.php
        <?php
        === catalog/view/theme/default/template/extension/module/my_ext.twig
        <p>x</p>

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === catalog/controller/module/my_ext.php
        <?php
        === catalog/language/de-de/extension/opencart/module/account.php
        <?php
        === catalog/view/theme/default/stylesheet/my_ext.css
        p {}
    """
    referenced = _referenced_type_folders(ctx)
    for path in ctx.tree:
        why = _legacy(path)
        if why is None:
            continue
        parts = path.split("/")
        if parts[1] == "view" and parts[2] == "template" and (parts[0], parts[4]) in referenced:
            continue
        yield Finding(path, why, hint=f"move it to {_modern(path)!r} and load it as 'extension/<code>/…' (ocmod-forge import keeps both layouts apart with @3.0/@4.x folders)")


def _modern(path: str) -> str:
    parts = path.split("/")
    if parts[1] in ("controller", "model") and parts[2] == "extension":
        return "/".join(parts[:2] + parts[3:])
    if parts[1] == "language" and parts[3] == "extension":
        return "/".join(parts[:3] + parts[4:])
    if parts[1] == "view" and parts[2] == "template":
        return "/".join(parts[:3] + parts[4:])
    if parts[1] == "view" and parts[2] == "theme":
        rest = parts[parts.index("template", 3) + 1 :]
        if rest[:1] == ["extension"] and len(rest) > 2:
            rest = rest[1:]
        return "/".join(["catalog", "view", "template", *rest]).replace(".tpl", ".twig")
    return path.replace(".tpl", ".twig")


def _referenced_type_folders(ctx: Context) -> set[tuple[str, str]]:
    """(side, type) for every ``extension/<type>/`` that a PHP file outside the 3.0 folders names."""
    out: set[tuple[str, str]] = set()
    for path in ctx.files(".php"):
        if _legacy(path) is not None:
            continue
        text = ctx.text(path)
        for m in re.finditer(r"extension/(\w+)/", text):
            if m.group(1) in ALL_TYPES:
                out.update((side, m.group(1)) for side in _side_of(path))
    return out


def _type_controllers(ctx: Context) -> list[tuple[str, str, str]]:
    """(path, type, file code) of every ``admin/controller/<type>/<file>.php`` OpenCart lists."""
    types = set(types_for(ctx))
    out = []
    for path in ctx.files(".php"):
        parts = path.split("/")
        if len(parts) == 4 and parts[:2] == ["admin", "controller"] and parts[2] in types:
            out.append((path, parts[2], parts[3][:-4]))
    return out


@rule("EXT002", "type-controller-without-heading", "warning", _TARGETS)
def type_controller_without_heading(ctx: Context) -> Iterator[Result]:
    """An extension controller (``admin/controller/<type>/<file>.php``) has no English language file
    with ``heading_title``: Extensions > Extensions lists it under a raw key.

    Every PHP file in ``admin/controller/<type>/`` is an extension of that type, and the list
    shows ``$this->language->get($code . '_heading_title')`` after loading
    ``extension/<package>/<type>/<file>`` (4.1.0.4:EXM:64,92). Helper classes placed there appear
    as extensions without a name (and can be "installed").

    Fail::

        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
        === admin/language/en-gb/module/my_ext.php
        <?php
        $_['heading_title'] = 'My Extension';
    """
    for path, kind, code in _type_controllers(ctx):
        language = f"admin/language/en-gb/{kind}/{code}.php"
        if language not in ctx.tree:
            yield Finding(path, f"no {language}: Extensions > Extensions > {kind.capitalize()} shows '{code}_heading_title' as this extension's name",
                          hint=f"add {language} with $_['heading_title'] = '…'; or move a helper class out of admin/controller/{kind}/")
        elif not re.search(r"""\$_\[\s*['"]heading_title['"]\s*\]""", ctx.text(language)):
            yield Finding(path, f"{language} has no $_['heading_title']: the extension list shows '{code}_heading_title'",
                          hint=f"add $_['heading_title'] = '…'; to {language}")


_GENERIC = frozenset(ALL_TYPES) | {"oc", "opencart", "example", "extension", "ext", "plugin", "module", "my", "the", "and", "for", "sample", "demo", "test"}


def _prefixed(file_code: str, package: str) -> bool:
    """Does a type code carry something of its package's code (a vendor or product word)?"""
    flat_file, flat_pkg = file_code.replace("_", ""), package.replace("_", "")
    if flat_pkg in flat_file or (flat_file in flat_pkg and file_code not in _GENERIC):
        return True
    return any(len(token) >= 3 and token not in _GENERIC and token in flat_file for token in package.split("_"))


@rule("EXT003", "type-code-not-prefixed", "info", _TARGETS)
def type_code_not_prefixed(ctx: Context) -> Iterator[Result]:
    """An extension's code (its controller file name) carries nothing of the package's code.

    Codes are global per type: Extensions > Install skips a second ``credit_card`` payment from
    any package (4.1.0.4:XM:107-115) and settings are stored as ``<type>_<code>_…`` — two packages
    with a generic code share, and on uninstall delete, each other's settings (XM:133ff). Info
    only: OpenCart's own example packages use generic codes (``credit_card``, ``german``).

    Fail::

        === zip: acme_pay.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/payment/credit_card.php
        <?php

    Pass::

        === zip: acme_pay.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/payment/acme_credit_card.php
        <?php
    """
    ident = identity(ctx)
    package = ident.code or (re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ident.segment).lower() if ident.segment else None)
    if package is None or package == "opencart":
        return  # the default package owns the canonical codes
    for path, kind, code in _type_controllers(ctx):
        if not _prefixed(code, package):
            yield Finding(path, f"{kind} code {code!r} carries nothing of the package code {package!r}: codes are global per type, and settings are keyed {kind}_{code}_…",
                          hint=f"name the file with a vendor prefix, e.g. admin/controller/{kind}/{package.split('_')[0]}_{code}.php (and its language, view and routes)")


@rule("EXT004", "catalog-code-never-loaded", "warning", _TARGETS)
def catalog_code_never_loaded(ctx: Context) -> Iterator[Result]:
    """The package has catalog controllers or models but no extension controller in
    ``admin/controller/<type>/``: the catalog never registers its namespace.

    The catalog side registers only packages that have a row in ``oc_extension``
    (``SELECT DISTINCT extension``, 4.1.0.4:SEC:18-36), i.e. at least one extension installed in
    Extensions > Extensions — which needs an admin type controller. Events and startups pointing
    at the catalog code fail with "Could not load".

    Fail::

        === target: 4.1
        === install.json
        {"name": "X"}
        === catalog/controller/event/my_ext.php
        <?php

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
        === catalog/controller/event/my_ext.php
        <?php
    """
    catalog = [p for p in ctx.files(".php") if p.startswith(("catalog/controller/", "catalog/model/"))]
    if catalog and not _type_controllers(ctx):
        yield Finding("catalog/", f"{len(catalog)} catalog controller/model file(s) but no admin/controller/<type>/ extension: "
                      "the catalog registers a package only after one of its extensions is installed",
                      hint="add an installable extension (e.g. admin/controller/module/<code>.php with a language file) and install it in Extensions > Extensions")


_LOADERS = ("language", "model", "view", "controller")
_LITERAL_RE = re.compile(r"""\s*(['"])([A-Za-z0-9_/.|\-]*)\1(\s*\.)?""")


def _own_file(ctx: Context, loader: str, side: str, route: str) -> str | None:
    """The package file ``$this->load->LOADER(route)`` would mean on ``side``, if the package has it."""
    route = re.split(r"[.|]", route, maxsplit=1)[0] if loader == "controller" else route
    if loader == "language":
        prefix = f"{side}/language/"
        return next((p for p in ctx.tree if p.startswith(prefix) and p.count("/") >= 3 and p.split("/", 3)[3] == route + ".php"), None)
    folder = {"model": "model", "controller": "controller", "view": "view/template"}[loader]
    candidate = f"{side}/{folder}/{route}{'.twig' if loader == 'view' else '.php'}"
    return candidate if candidate in ctx.tree else None


@rule("EXT005", "route-without-package-code", "warning", _TARGETS)
def route_without_package_code(ctx: Context) -> Iterator[Result]:
    """``$this->load->language/model/view/controller()`` names one of the package's own files
    without the ``extension/<code>/`` prefix (often an OpenCart 3.0 route ``extension/<type>/…``).

    4.x registers a package's languages, templates and classes under ``extension/<code>``
    (4.1.0.4:SEA:29-35); ``extension/module/x`` means a package called ``module``, and
    ``module/x`` a core file: the load fails or loads something else.

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\MyExt\\Module;
        class MyExt extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $this->load->language('extension/module/my_ext');
            }
        }
        === admin/language/en-gb/module/my_ext.php
        <?php
        === expect: admin/controller/module/my_ext.php:5

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\MyExt\\Module;
        class MyExt extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $this->load->language('extension/my_ext/module/my_ext');
                $this->load->model('setting/setting');
                $this->load->language('extension/opencart/module/account');
            }
        }
        === admin/language/en-gb/module/my_ext.php
        <?php
    """
    ident = identity(ctx)
    for path in ctx.files(".php"):
        text = ctx.text(path)
        if "->load->" not in text or _legacy(path) is not None:
            continue  # files in 3.0 folders are EXT001's: OpenCart 4 never runs them
        code = blank_strings_and_comments(text)
        for loader in _LOADERS:
            opener = f"->load->{loader}("
            if opener not in code:
                continue
            for start, _end in call_arguments(text, opener):
                m = _LITERAL_RE.match(text, start)
                if not m:
                    continue
                route, partial = m.group(2), bool(m.group(3))
                why = _route_problem(ctx, ident.owns_route_code, loader, route, partial, _side_of(path))
                if why:
                    yield Finding(path, f"load->{loader}('{route}{'…' if partial else ''}') {why}", line_of(text, start), start - text.rfind("\n", 0, start),
                                  hint=f"write '{ident.route_prefix}{_rest(route)}' (the package's routes start with {ident.route_prefix})")


def _rest(route: str) -> str:
    parts = route.split("/")
    if parts[0] == "extension" and len(parts) > 2:
        return "/".join(parts[2:]) if parts[1] not in ALL_TYPES else "/".join(parts[1:])
    return route


def _route_problem(ctx: Context, owns: Callable[[str], bool], loader: str, route: str, partial: bool, sides: tuple[str, ...]) -> str | None:
    parts = route.split("/")
    if parts[0] == "extension" and len(parts) >= 2:
        second = parts[1]
        if owns(second):
            return None
        if second in ALL_TYPES and (partial or len(parts) > 2):
            return f"is an OpenCart 3.0 route: in 4.x 'extension/{second}/' means a package called {second!r}, not this one"
        if partial or second == "opencart" or len(parts) < 3:
            return None
        rest = "/".join(parts[2:])
        own = next((f for side in sides if (f := _own_file(ctx, loader, side, rest))), None)
        return f"names the package {second!r}, but this file belongs to this package ({own})" if own else None
    if partial:
        return None
    own = next((f for side in sides if (f := _own_file(ctx, loader, side, route))), None)
    return f"misses the package prefix: it loads a core {loader}, not this package's {own}" if own else None
