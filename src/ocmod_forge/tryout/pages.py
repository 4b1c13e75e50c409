"""Which pages to open: the package's admin pages and the core pages its changes touch."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..manifest import Manifest


@dataclass(frozen=True)
class Page:
    """A page to open. ``core`` pages are opened before install too (the baseline)."""

    name: str  # "product_form", "home", or a route for package pages
    side: str  # admin | catalog
    route: str = ""  # set for package pages and routed core pages
    source: str = ""  # package path of the controller (package pages)

    @property
    def label(self) -> str:
        return f"{'admin' if self.side == 'admin' else 'storefront'} page {self.route or self.name}"


# Core pages every run opens (before and after install): where packages usually show up.
CORE_PAGES = (
    Page("dashboard", "admin"),
    Page("product_form", "admin"),
    Page("order_info", "admin"),
    Page("home", "catalog"),
    Page("product", "catalog"),
)

# Templates (relative to the view's template folder, no extension) → the core page rendering them.
ADMIN_TEMPLATES = {
    "common/column_left": "dashboard",
    "common/header": "dashboard",
    "common/footer": "dashboard",
    "common/dashboard": "dashboard",
    "common/menu": "dashboard",
    "catalog/product_form": "product_form",
    "sale/order_info": "order_info",
}
CATALOG_TEMPLATES = {
    "common/home": "home",
    "common/header": "home",
    "common/footer": "home",
    "common/menu": "home",
    "common/column_left": "home",
    "common/column_right": "home",
    "common/content_top": "home",
    "common/content_bottom": "home",
    "product/product": "product",
}

_ADMIN_VIEW = re.compile(r"^(?:extension/[^/]+/)?admin/view/template/(.+)\.twig$")
_CATALOG_VIEW = re.compile(r"^(?:extension/[^/]+/)?catalog/view/(?:theme/[^/]+/)?template/(.+)\.twig$")


def page_for_template(key: str) -> Page | None:
    """The core page that renders the template with cache key ``key`` (``admin/view/template/…``)."""
    m = _ADMIN_VIEW.match(key)
    if m and m.group(1) in ADMIN_TEMPLATES:
        return next(p for p in CORE_PAGES if p.side == "admin" and p.name == ADMIN_TEMPLATES[m.group(1)])
    m = _CATALOG_VIEW.match(key)
    if m and m.group(1) in CATALOG_TEMPLATES:
        return next(p for p in CORE_PAGES if p.side == "catalog" and p.name == CATALOG_TEMPLATES[m.group(1)])
    return None


def page_for_trigger(trigger: str) -> Page | None:
    """The core page an event trigger such as ``admin/view/catalog/product_form/before`` touches."""
    m = re.match(r"^(admin|catalog)/view/(.+?)/(before|after)$", trigger)
    if not m:
        return None
    side, template = m.group(1), m.group(2)
    table = ADMIN_TEMPLATES if side == "admin" else CATALOG_TEMPLATES
    name = table.get(template)
    if name is None:
        return None
    return next(p for p in CORE_PAGES if p.side == side and p.name == name)


def template_targets(manifest: Manifest) -> list[str]:
    """The ``<file path>`` parts of a manifest that are Twig templates."""
    out: list[str] = []
    for block in manifest.files:
        for part in (block.path or "").split("|"):
            part = part.strip().replace("\\", "/")
            if part.endswith(".twig"):
                out.append(part)
    return out


_TWIG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_STATIC_ID = re.compile(r"""\bid=["']([A-Za-z][\w:.-]*)["']""")


@dataclass(frozen=True)
class Marker:
    """Something of an ``<add>`` text that must show in the rendered page. ``conditional`` when it
    sits inside a Twig ``if``/``for`` of the add text (the page's data may legitimately hide it)."""

    text: str
    is_id: bool
    conditional: bool


_BLOCK = re.compile(r"\{%-?\s*(if|for|endif|endfor)\b")


def _depth(add_text: str, position: int) -> int:
    depth = 0
    for m in _BLOCK.finditer(add_text, 0, position):
        depth += 1 if m.group(1) in ("if", "for") else -1
    return depth


def add_markers(add_text: str) -> list[Marker]:
    """What of an ``<add>`` text can be seen in the rendered page: its static HTML ids, else the
    longest line of plain HTML (no Twig)."""
    masked = _TWIG.sub(lambda m: "\0" * len(m.group(0)), add_text)
    ids: dict[str, Marker] = {}
    for m in _STATIC_ID.finditer(masked):
        if "\0" not in m.group(0) and m.group(1) not in ids:
            ids[m.group(1)] = Marker(m.group(1), True, _depth(add_text, m.start()) > 0)
    if ids:
        return [ids[k] for k in sorted(ids)]
    best, where = "", 0
    offset = 0
    for line in masked.splitlines(keepends=True):
        for piece in re.finditer(r"[^\0]+", line):
            text = piece.group(0).strip()
            if len(text) >= 12 and "<" in text and len(text) > len(best):
                best, where = text, offset + piece.start()
        offset += len(line)
    return [Marker(best, False, _depth(add_text, where) > 0)] if best else []
