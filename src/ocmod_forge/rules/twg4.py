"""TWG1xx — OpenCart 4 templates: Bootstrap 5 and Font Awesome 5–7 class names, and the AJAX form
contract of the admin (opencart4-facts §3.7; §4 T1, T2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..versions import Target, parse
from .base import Context, Finding, Result, rule
from .oc4php import line_of, literals, own_files, package_code
from .php import blank_strings_and_comments, methods

# Twig expressions and tags inside an attribute value: neither class names nor ids.
_TWIG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_CLASS_ATTR_RE = re.compile(r"\bclass\s*=\s*(\\?[\"'])(.*?)\1", re.S)
_DATA_ATTR_RE = re.compile(r"(?<![\w-])(data-(?:toggle|dismiss))\s*=")

# Bootstrap 3 classes Bootstrap 5 (OpenCart 4.x: 5.1.3–5.3.8) and OpenCart's own stylesheets no
# longer define, with what replaces them. Classes core 4.x templates still use (text-right,
# sr-only, btn-block, thumbnail, media, page-header, close) are left out on purpose.
BS3_REPLACEMENT = {
    "panel": "card",
    "panel-default": "card (no colour class)",
    "panel-primary": "card border-primary",
    "panel-success": "card border-success",
    "panel-info": "card border-info",
    "panel-warning": "card border-warning",
    "panel-danger": "card border-danger",
    "panel-heading": "card-header",
    "panel-title": "card-title",
    "panel-body": "card-body",
    "panel-footer": "card-footer",
    "panel-group": "accordion",
    "panel-collapse": "accordion-collapse collapse",
    "btn-default": "btn-light",
    "btn-xs": "btn-sm",
    "pull-right": "float-end",
    "pull-left": "float-start",
    "img-responsive": "img-fluid",
    "img-circle": "rounded-circle",
    "input-group-addon": "input-group-text",
    "input-group-btn": "the button directly inside input-group",
    "well": "card card-body",
    "well-sm": "card card-body p-2",
    "well-lg": "card card-body p-4",
    "glyphicon": "a Font Awesome icon (fa-solid fa-…)",
    "help-block": "form-text",
    "has-error": "is-invalid on the input",
    "has-warning": "a text-warning message",
    "has-success": "is-valid on the input",
    "control-label": "col-form-label",
    "form-group": "mb-3 (or row mb-3)",
    "form-horizontal": "row/col-sm-* markup",
    "table-condensed": "table-sm",
    "navbar-default": "navbar-light bg-light",
    "center-block": "mx-auto d-block",
    "input-sm": "form-control-sm",
    "input-lg": "form-control-lg",
    "dropdown-menu-right": "dropdown-menu-end",
    "caret": "nothing (dropdown-toggle draws the caret)",
    "checkbox": "form-check",
    "radio": "form-check",
}
_BS3_PATTERNS = (
    (re.compile(r"col-xs-(\d+)\Z"), "col-{0}"),
    (re.compile(r"col-(?:xs|sm|md|lg)-offset-(\d+)\Z"), "offset-*-{0}"),
    (re.compile(r"col-(?:xs|sm|md|lg)-(?:push|pull)-\d+\Z"), "order-* classes"),
    (re.compile(r"hidden-(?:xs|sm|md|lg)\Z"), "d-none/d-*-block"),
    (re.compile(r"visible-(?:xs|sm|md|lg)(?:-block|-inline|-inline-block)?\Z"), "d-*-block/d-none"),
    (re.compile(r"label-(default|primary|success|info|warning|danger)\Z"), "badge bg-{0}"),
    (re.compile(r"glyphicon-[a-z0-9-]+\Z"), "a Font Awesome icon"),
    (re.compile(r"btn-group-xs\Z"), "btn-group-sm"),
)
_DATA_REPLACEMENT = {"data-toggle": "data-bs-toggle", "data-dismiss": "data-bs-dismiss"}


def bs3_replacement(name: str) -> str | None:
    """What Bootstrap 5 uses instead of the Bootstrap 3 class ``name``; None for a class that is not one."""
    if name in BS3_REPLACEMENT:
        return BS3_REPLACEMENT[name]
    for pattern, replacement in _BS3_PATTERNS:
        m = pattern.match(name)
        if m:
            return replacement.format(*m.groups(), "")
    return None


def class_tokens(text: str) -> Iterator[tuple[int, str]]:
    """(offset, class name) of every class in ``class="…"`` attributes, twig expressions removed."""
    for m in _CLASS_ATTR_RE.finditer(text):
        value = _TWIG_RE.sub(lambda t: " " * len(t.group(0)), m.group(2))
        for token in re.finditer(r"[^\s\\]+", value):
            yield m.start(2) + token.start(), token.group(0)


def _defined_in_package(ctx: Context) -> frozenset[str]:
    """Class names the package's own stylesheets define (a theme may bring its own CSS)."""
    names: set[str] = set()
    for path in ctx.files(".css", ".scss", ".less"):
        names.update(re.findall(r"\.([A-Za-z][\w-]*)", ctx.text(path)))
    return frozenset(names)


def _templates(ctx: Context) -> list[str]:
    return own_files(ctx, ".twig")


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    return shown + (f" … ({len(numbers)} lines)" if len(numbers) > 8 else "")


@rule("TWG101", "bootstrap3-class", "warning", targets=("4.0", "4.1"))
def bootstrap3_class(ctx: Context) -> Iterator[Result]:
    """A template uses Bootstrap 3 classes or ``data-toggle`` attributes, which OpenCart 4 no
    longer styles or wires up.

    OpenCart 4 ships Bootstrap 5.1.3–5.3.8 (admin and catalog ``view/stylesheet/bootstrap.css``):
    ``panel``, ``btn-default``, ``col-xs-*``, ``pull-right``, ``form-group`` … are defined
    nowhere, and Bootstrap 5 reads ``data-bs-toggle``/``data-bs-dismiss``, so tabs, tooltips,
    collapses and alert close buttons written as ``data-toggle`` do nothing. The page renders
    unstyled or broken; typical of templates ported from 3.0. Classes the package's own
    stylesheets define are not reported. One finding per template, at its first such line.

    Fail::

        === target: 4.1
        === admin/view/template/module/x_demo.twig
        {{ header }}{{ column_left }}
        <div class="panel panel-default">
          <div class="panel-body"><a class="btn btn-default pull-right" data-toggle="tooltip">x</a></div>
        </div>
        === expect: admin/view/template/module/x_demo.twig:2

    Pass::

        === target: 4.1
        === admin/view/template/module/x_demo.twig
        {{ header }}{{ column_left }}
        <div class="card">
          <div class="card-body"><a class="btn btn-light float-end" data-bs-toggle="tooltip">x</a></div>
        </div>
    """
    own = _defined_in_package(ctx)
    for path in _templates(ctx):
        text = ctx.text(path)
        found: dict[str, str] = {}
        lines: list[int] = []
        for offset, name in class_tokens(text):
            replacement = bs3_replacement(name)
            if replacement is not None and name not in own:
                found.setdefault(name, replacement)
                lines.append(line_of(text, offset))
        for m in _DATA_ATTR_RE.finditer(text):
            found.setdefault(m.group(1), _DATA_REPLACEMENT[m.group(1)])
            lines.append(line_of(text, m.start()))
        if not found:
            continue
        numbers = sorted(set(lines))
        names = sorted(found)
        listed = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
        where = f"line{'s' if len(numbers) > 1 else ''} {_lines(numbers)}"
        yield Finding(
            path,
            f"Bootstrap 3 {'markup' if len(names) > 1 else 'class'} {listed} on {where}: OpenCart 4's Bootstrap 5 does not know it",
            numbers[0],
            1,
            hint="use Bootstrap 5: " + "; ".join(f"{n} → {found[n]}" for n in names[:6]) + (" …" if len(names) > 6 else ""),
        )


@lru_cache(maxsize=1)
def missing_icons() -> dict[str, tuple[str, str]]:
    """Font Awesome class → (first, last) 4.x release that does not define it (data/fontawesome-missing-4x.tsv)."""
    text = resources.files("ocmod_forge").joinpath("data/fontawesome-missing-4x.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, span = line.split("\t")
            first, _, last = span.partition("-")
            out[name] = (first, last)
    return out


# Font Awesome 6 style classes; 4.0.0.0 ships Font Awesome 5.15.4, which has only fas/far/fab.
_FA6_STYLES = {"fa-solid": "fas", "fa-regular": "far", "fa-brands": "fab"}


def _missing_in(target: Target, first: str, last: str) -> list[str]:
    return [r for r in target.releases if parse(first) <= parse(r) <= parse(last)]


@rule("TWG102", "font-awesome-icon-missing", "warning", targets=("4.0", "4.1"))
def font_awesome_icon_missing(ctx: Context) -> Iterator[Result]:
    """A template uses a Font Awesome class that a supported release does not define: the icon
    is invisible there.

    OpenCart 4.0.0.0 ships Font Awesome 5.15.4, 4.0.1.0–4.1.0.3 Font Awesome 6, 4.1.0.4 Font
    Awesome 7.2.0 (``view/stylesheet/fonts/fontawesome/css/all.min.css``). The short style
    classes ``fas``/``far``/``fab`` exist in all of them; the long ones (``fa-solid``,
    ``fa-regular``, ``fa-brands``) not in 4.0.0.0. Font Awesome 4 names of OpenCart 3.0
    templates (``fa-trash-o``, ``fa-pencil-square-o``, ``fa-floppy-o`` …) exist in no 4.x
    release, and some Font Awesome 4/5 aliases (``fa-pencil``, ``fa-refresh``, ``fa-gear`` …)
    not in 4.0.0.0. Checked against the class lists of every release of the package's range.

    Fail::

        === target: 4.1
        === admin/view/template/module/x_demo.twig
        <button type="button" class="btn btn-danger"><i class="fa fa-trash-o"></i></button>
        === expect: admin/view/template/module/x_demo.twig:1

    Fail::

        === target: 4.0
        === releases: 4.0.0.0-4.0.0.0
        === admin/view/template/module/x_demo.twig
        <button type="submit" class="btn btn-primary"><i class="fa-solid fa-save"></i></button>
        === expect: admin/view/template/module/x_demo.twig:1

    Pass::

        === target: 4.0
        === releases: 4.0.1.0-4.0.2.3
        === admin/view/template/module/x_demo.twig
        <button type="submit" class="btn btn-primary"><i class="fa-solid fa-save"></i></button>
        <button type="button" class="btn btn-danger"><i class="fas fa-trash-can"></i></button>
    """
    target = ctx.target_range
    table = missing_icons()
    for path in _templates(ctx):
        text = ctx.text(path)
        seen: set[str] = set()
        for offset, name in class_tokens(text):
            if name in seen:
                continue
            missing: list[str] = []
            if name in _FA6_STYLES:
                missing = _missing_in(target, "4.0.0.0", "4.0.0.0")
                fix = f"'{_FA6_STYLES[name]}' (defined by every 4.x release)"
            elif name in table:
                missing = _missing_in(target, *table[name])
                fix = "the name of the icon in Font Awesome 6 (fontawesome.com/v6/search), or the Font Awesome 5 alias for 4.0.0.0"
            if not missing:
                continue
            seen.add(name)
            line = line_of(text, offset)
            where = missing[0] if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
            yield Finding(path, f"'{name}' is not a Font Awesome class in OpenCart {where}: the icon is invisible there", line, offset - text.rfind("\n", 0, offset), hint=f"use {fix}")


# --------------------------------------------------------------------------- T2: the AJAX form contract


@dataclass(frozen=True)
class Endpoint:
    """A ``$data[var] = $this->url->link('route.method')`` link to a JSON action of the package."""

    var: str
    controller: str  # package path of the controller holding the action
    method: str
    start: int  # the action's body in the controller's text
    end: int


_LINK_RE = re.compile(r"\$data\s*\[\s*(['\"])(\w+)\1\s*\]\s*=\s*\$this->url->link\(\s*")
_VIEW_RE = re.compile(r"->load->view\(\s*(['\"])([^'\"]+)\1")


def _controller_for(route: str, code: str | None, files: set[str]) -> str | None:
    m = re.fullmatch(r"extension/([a-z0-9_]+)/(.+)", route)
    if not m or (code is not None and m.group(1) != code):
        return None
    path = f"admin/controller/{m.group(2)}.php"
    return path if path in files else None


def _views(text: str, code: str | None) -> list[str]:
    out = []
    for m in _VIEW_RE.finditer(text):
        v = re.fullmatch(r"extension/([a-z0-9_]+)/(.+)", m.group(2))
        if v and (code is None or v.group(1) == code):
            out.append(f"admin/view/template/{v.group(2)}.twig")
    return out


def json_endpoints(ctx: Context) -> dict[str, list[Endpoint]]:
    """Admin template path → the JSON actions the controllers rendering it link to, by variable."""
    files = set(own_files(ctx, ".php"))
    code = package_code(ctx)
    out: dict[str, list[Endpoint]] = {}
    for path in sorted(p for p in files if p.startswith("admin/controller/")):
        text = ctx.text(path)
        views = _views(text, code)
        if not views:
            continue
        found: list[Endpoint] = []
        lits = {lit.start: lit for lit in literals(text)}
        for m in _LINK_RE.finditer(text):
            lit = lits.get(m.end())
            if lit is None or lit.dynamic:
                continue
            target = re.fullmatch(r"([A-Za-z0-9_/]+)[.|]([A-Za-z_]\w*)", lit.value)
            if target is None:
                continue
            route, method = target.group(1), target.group(2)
            controller = _controller_for(route, code, files)
            if controller is None:
                continue
            body = next(((s, e) for name, s, e, public in methods(ctx.text(controller)) if public and name.lower() == method.lower()), None)
            if body is None or "json_encode" not in blank_strings_and_comments(ctx.text(controller))[body[0] : body[1]]:
                continue
            found.append(Endpoint(m.group(2), controller, method, *body))
        for view in views:
            if view in ctx.tree and found:
                out.setdefault(view, []).extend(e for e in found if e not in out.get(view, []))
    return out


_FORM_RE = re.compile(r"<form\b([^>]*)>", re.I | re.S)
_ATTR_RE = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2).strip("\"'") for m in _ATTR_RE.finditer(tag)}


def _ajax_button(text: str, form_id: str, start: int, end: int) -> bool:
    """A submit button with ``data-oc-toggle="ajax"`` inside the form or pointing at it with ``form=``."""
    for m in re.finditer(r"<button\b([^>]*)>", text, re.I):
        attrs = _attrs(m.group(1))
        if attrs.get("data-oc-toggle") != "ajax":
            continue
        if start <= m.start() < end or (form_id and attrs.get("form") == form_id):
            return True
    return False


@rule("TWG103", "save-form-without-ajax", "warning", targets=("4.0", "4.1"))
def save_form_without_ajax(ctx: Context) -> Iterator[Result]:
    """An admin form posts to an action that answers JSON but is not an AJAX form.

    OpenCart 4 admin pages save through ``common.js``: only a ``<form data-oc-toggle="ajax">``
    (from 4.0.2.3 also a submit button with that attribute) is sent with AJAX and its JSON
    answer shown as alerts and field errors (4.0.0.0:admin/view/javascript/common.js:143;
    4.1.0.4:…/common.js:138). Without it the browser submits the form normally and the user
    sees the raw JSON of ``save()``. Checked for forms whose ``action`` is a variable the
    rendering controller sets to a link to one of the package's actions that calls
    ``json_encode``.

    Fail::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=' . $this->session->data['user_token']);
                $this->response->setOutput($this->load->view('extension/x_demo/module/x_demo', $data));
            }
            public function save(): void {
                $this->response->setOutput(json_encode(['success' => 'ok']));
            }
        }
        === admin/view/template/module/x_demo.twig
        <form id="form-x-demo" action="{{ save }}" method="post">
          <button type="submit" class="btn btn-primary">Save</button>
        </form>
        === expect: admin/view/template/module/x_demo.twig:1

    Pass::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=' . $this->session->data['user_token']);
                $this->response->setOutput($this->load->view('extension/x_demo/module/x_demo', $data));
            }
            public function save(): void {
                $this->response->setOutput(json_encode(['success' => 'ok']));
            }
        }
        === admin/view/template/module/x_demo.twig
        <form id="form-x-demo" action="{{ save }}" method="post" data-oc-toggle="ajax">
          <button type="submit" class="btn btn-primary">Save</button>
        </form>
    """
    button_ok = ctx.target_range.at_least("4.0.2.3")
    for view, endpoints in sorted(json_endpoints(ctx).items()):
        text = ctx.text(view)
        for m in _FORM_RE.finditer(text):
            attrs = _attrs(m.group(1))
            action = attrs.get("action", "")
            endpoint = next((e for e in endpoints if re.fullmatch(r"\{\{-?\s*" + re.escape(e.var) + r"\s*(?:\|\s*\w+\s*)*-?\}\}", action.strip())), None)
            if endpoint is None or attrs.get("data-oc-toggle") == "ajax":
                continue
            end = text.find("</form", m.end())
            if _ajax_button(text, attrs.get("id", ""), m.end(), end if end >= 0 else len(text)):
                if button_ok:
                    continue
                message = f"the form posting to {endpoint.method}() relies on its button's data-oc-toggle=\"ajax\", which OpenCart before 4.0.2.3 ignores: the browser shows the raw JSON there"
            else:
                message = f"the form posting to {endpoint.method}() (which answers JSON) has no data-oc-toggle=\"ajax\": the browser submits it normally and shows the raw JSON"
            yield Finding(view, message, line_of(text, m.start()), m.start() - text.rfind("\n", 0, m.start()), hint='add data-oc-toggle="ajax" to the <form> tag')


_JSON_ERROR_KEY_RE = re.compile(r"\$json\s*\[\s*(['\"])error\1\s*\]\s*\[\s*")


@rule("TWG104", "json-error-without-field", "warning", targets=("4.0", "4.1"))
def json_error_without_field(ctx: Context) -> Iterator[Result]:
    """An admin action answers ``$json['error']['<key>']`` but its form has no element to show it.

    ``common.js`` shows ``error.warning`` as an alert and every other key ``k`` in the element
    ``#error-k`` (underscores become dashes), marking ``#input-k`` invalid
    (4.0.2.3:admin/view/javascript/common.js:264-287; 4.1.0.4:…/common.js:178-201). A key
    without ``id="error-k"`` in the template is never shown: the save silently fails from the
    user's point of view. Checked for literal keys of the JSON actions a template's form posts
    to, when the template includes no other template.

    Fail::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=' . $this->session->data['user_token']);
                $this->response->setOutput($this->load->view('extension/x_demo/module/x_demo', $data));
            }
            public function save(): void {
                $json = [];
                if (!$this->request->post['module_x_demo_api_key']) {
                    $json['error']['api_key'] = 'API key required';
                }
                $this->response->setOutput(json_encode($json));
            }
        }
        === admin/view/template/module/x_demo.twig
        <form id="form-x-demo" action="{{ save }}" method="post" data-oc-toggle="ajax">
          <input type="text" name="module_x_demo_api_key" id="input-api-key" class="form-control"/>
        </form>
        === expect: admin/controller/module/x_demo.php:10

    Pass::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=' . $this->session->data['user_token']);
                $this->response->setOutput($this->load->view('extension/x_demo/module/x_demo', $data));
            }
            public function save(): void {
                $json = [];
                if (!$this->request->post['module_x_demo_api_key']) {
                    $json['error']['api_key'] = 'API key required';
                }
                $this->response->setOutput(json_encode($json));
            }
        }
        === admin/view/template/module/x_demo.twig
        <form id="form-x-demo" action="{{ save }}" method="post" data-oc-toggle="ajax">
          <input type="text" name="module_x_demo_api_key" id="input-api-key" class="form-control"/>
          <div id="error-api-key" class="invalid-feedback"></div>
        </form>
    """
    reported: set[tuple[str, int]] = set()
    for view, endpoints in sorted(json_endpoints(ctx).items()):
        template = ctx.text(view)
        if re.search(r"\{%-?\s*(?:include|embed)\b|\binclude\s*\(", template):
            continue  # the element may be in the included template
        ids = set(re.findall(r"\bid\s*=\s*[\"']([^\"'{}]+)[\"']", template))
        posted = {e for e in endpoints if re.search(r"action\s*=\s*[\"']\{\{-?\s*" + re.escape(e.var) + r"\b", template)}
        for endpoint in sorted(posted, key=lambda e: (e.controller, e.start)):
            text = ctx.text(endpoint.controller)
            blank = blank_strings_and_comments(text)
            lits = {lit.start: lit for lit in literals(text)}
            for m in _JSON_ERROR_KEY_RE.finditer(text, endpoint.start, endpoint.end):
                if blank[m.start()] != "$":
                    continue
                lit = lits.get(m.end())
                if lit is None or lit.dynamic or lit.value == "warning" or not re.match(r"\s*\]", blank[lit.end : lit.end + 20]):
                    continue  # a computed key ('name_' . $language_id) names an element per row
                element = "error-" + lit.value.replace("_", "-")
                line = line_of(text, lit.start)
                if element in ids or (endpoint.controller, line) in reported:
                    continue
                reported.add((endpoint.controller, line))
                field = "input-" + lit.value.replace("_", "-")
                also = f" (#{field} is marked invalid, without a message)" if field in ids else ""
                yield Finding(
                    endpoint.controller,
                    f"error '{lit.value}' of {endpoint.method}() has no #{element} in {view}: common.js never shows it{also}",
                    line,
                    lit.start - text.rfind("\n", 0, lit.start),
                    hint=f'add <div id="{element}" class="invalid-feedback"></div> under the field in {view}, or answer $json[\'error\'][\'warning\']',
                )
