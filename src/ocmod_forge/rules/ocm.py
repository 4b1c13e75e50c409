"""OCM — OCMOD in OpenCart 4: none in 4.0, ``ocmod/*.ocmod.xml`` in 4.1 (opencart4-facts §2; §4 O1–O5,
O7–O9). Whether searches match a 4.1 tree (O6) is the anchor rules' job, with the engine.

4.1's installer reads every zip entry ``ocmod/…/<code>.ocmod.xml`` (4.1.0.4:admin/controller/
marketplace/installer.php:559-625), takes the code from the file name, reads name, description,
author, version and link from the first element of that tag anywhere, and stores the row
disabled; Refresh (…/marketplace/modification.php:183-563) applies enabled rows to
``admin/``, ``catalog/``, ``extension/`` and ``system/`` files, and the result reaches the page
only through the events of §2.5.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..diagnostics import Severity
from ..manifest import FileBlock, Manifest, ManifestError, parse_manifest
from ..versions import Target, parse
from .base import Context, Finding, Result, rule
from .oc4php import package_code

SUFFIX = ".ocmod.xml"
CODE_COLUMN = 64  # oc_modification.code varchar(64) (4.1.0.4:system/helper/db_schema.php:4045)
FIELD_COLUMNS = {"name": 64, "author": 64, "version": 32, "link": 255}
PREFIXES = ("admin/", "catalog/", "extension/", "system/")


def _junk(path: str) -> bool:
    return path.startswith("__MACOSX/") or path.rsplit("/", 1)[-1].startswith("._")


def registered(ctx: Context) -> list[str]:
    """Entries 4.1's installer registers as modifications: ``ocmod/`` + ``…/<code>.ocmod.xml``
    (case-sensitive, subfolders allowed), not empty."""
    return [p for p in ctx.tree if p.startswith("ocmod/") and p.endswith(SUFFIX) and ctx.tree[p].data not in (b"", b"0")]


def code_of(path: str) -> str:
    """The modification code: PHP's ``basename($entry, '.ocmod.xml')`` (which keeps a name that
    is nothing but the suffix)."""
    name = path.rsplit("/", 1)[-1]
    return name[: -len(SUFFIX)] if name != SUFFIX else name


def candidates(ctx: Context) -> list[str]:
    """Files that look like OCMOD: named ``*.ocmod.xml`` in any case, anything under ``ocmod/``
    in any case, or XML holding ``<modification``. The root ``install.xml`` (a 3.0 layout) is
    the package rules' to report."""
    out = []
    for path in ctx.tree:
        if _junk(path) or path == "install.xml" or "/vendor/" in "/" + path:
            continue
        lower = path.lower()
        if lower.endswith(SUFFIX) or lower.startswith("ocmod/") or (lower.endswith(".xml") and b"<modification" in ctx.tree[path].data[:4096]):
            out.append(path)
    return out


@lru_cache(maxsize=256)
def _parse(path: str, data: bytes) -> Manifest | ManifestError:
    try:
        return parse_manifest(data, path)
    except ManifestError as exc:
        return exc


def manifests(ctx: Context) -> list[tuple[str, Manifest]]:
    """(path, parsed manifest) of every registered modification that parses."""
    out = []
    for path in registered(ctx):
        result = _parse(path, ctx.tree[path].data)
        if isinstance(result, Manifest):
            out.append((path, result))
    return out


def path_parts(block: FileBlock) -> list[str]:
    """The paths of a ``<file path="a|b">`` as Refresh splits them (``\\`` → ``/``, no trimming)."""
    return (block.path or "").replace("\\", "/").split("|")


@rule("OCM001", "ocmod-on-40", "error", targets=("4.0",))
def ocmod_on_40(ctx: Context) -> Iterator[Result]:
    """A package for OpenCart 4.0 ships OCMOD files: 4.0 has no OCMOD at all.

    4.0.0.0–4.0.2.3 have no modification table, no Modifications page and no code that reads
    ``install.xml`` or ``*.ocmod.xml`` (opencart4-facts §2.1): the file is copied into
    ``extension/<code>/`` like any other and never applied. Change core behaviour with events
    (``addEvent``), or build the package for 4.1 only. (A root ``install.xml`` is reported by the
    package layout rules.)

    Fail::

        === target: 4.0
        === ocmod/x_demo_header.ocmod.xml
        <modification><name>X</name></modification>
        === expect: ocmod/x_demo_header.ocmod.xml:0

    Pass::

        === target: 4.0
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'admin/view/common/header/after', 'action' => 'extension/x_demo/module/x_demo.header']);
    """
    for path in candidates(ctx):
        yield Finding(
            path,
            "OpenCart 4.0 has no OCMOD: this file is copied into the extension's folder and never applied",
            hint="use an event (model_setting_event->addEvent) for 4.0, or keep the OCMOD file only in the 4.1 build (a '@4.1' path segment in a project)",
        )


@rule("OCM002", "ocmod-file-not-registered", "error", targets=("4.1",))
def ocmod_file_not_registered(ctx: Context) -> Iterator[Result]:
    """An OCMOD file is somewhere OpenCart 4.1's installer never looks, so it is never registered.

    The installer reads only zip entries whose name starts with ``ocmod/`` and ends with
    ``.ocmod.xml``, both case-sensitive, and skips empty ones
    (4.1.0.4:admin/controller/marketplace/installer.php:559,567); the name is tested before the
    ``\\`` → ``/`` conversion the extraction applies, so an entry written with backslashes is
    neither registered nor copied. A root ``x.ocmod.xml`` (OpenCart's own 4.1.0.0 example),
    ``OCMOD/``, ``ocmod/x.xml`` or ``ocmod/install.xml`` install nothing and report success.

    Fail::

        === target: 4.1
        === x_demo.ocmod.xml
        <modification><name>X</name></modification>
        === expect: x_demo.ocmod.xml:0

    Fail::

        === target: 4.1
        === ocmod/install.xml
        <modification><name>X</name></modification>
        === expect: ocmod/install.xml:0

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification><name>X</name></modification>
    """
    ok = set(registered(ctx))
    for path in candidates(ctx):
        if path in ok:
            continue
        name = path.rsplit("/", 1)[-1]
        base = name[: -len(SUFFIX)] if name.lower().endswith(SUFFIX) else name.rsplit(".", 1)[0]
        if path.startswith("ocmod/") and path.endswith(SUFFIX):
            why, fix = "is empty: the installer skips it", "put the modification's XML in it"
        elif path.lower().startswith("ocmod/"):
            if not path.startswith("ocmod/"):
                why, fix = "is in a folder spelled " + repr(path.split("/", 1)[0]) + ": the installer reads only 'ocmod/' (lower case)", f"move it to ocmod/{_fixed(base)}{SUFFIX}"
            else:
                why, fix = "does not end with '.ocmod.xml' (lower case): the installer reads only those", f"rename it to ocmod/{_fixed(base)}{SUFFIX}"
        else:
            why, fix = "is not in the package's ocmod/ folder: the installer registers only ocmod/<code>.ocmod.xml", f"move it to ocmod/{_fixed(base)}{SUFFIX}"
        yield Finding(path, f"OCMOD file {why}; OpenCart 4.1 never registers it", hint=fix)
    for kind, entry, _message in ctx.tree.notes:
        normal = entry.replace("\\", "/")
        if kind == "backslash" and normal.startswith("ocmod/") and normal.endswith(SUFFIX):
            yield Finding(
                entry,
                "OCMOD entry written with backslashes: the installer tests the raw name for 'ocmod/', so it is neither registered nor copied",
                hint="rebuild the zip with '/' separators (any zip tool but Windows' 'Send to compressed folder')",
            )


def _fixed(base: str) -> str:
    code = re.sub(r"[^a-z0-9_]+", "_", base.lower()).strip("_")
    return code or "vendor_name"


def _vendor_ok(code: str, package: str | None) -> bool:
    if package:
        vendor = package.split("_", 1)[0]
        return code.startswith(package) or (len(vendor) >= 2 and code.startswith(vendor + "_"))
    head, _, rest = code.partition("_")
    return bool(rest) and len(head) >= 2


@rule("OCM003", "ocmod-code-collision", "warning", targets=("4.1",))
def ocmod_code_collision(ctx: Context) -> Iterator[Result]:
    """A modification's code (its file name) can collide with another package's.

    The code is the file name without ``.ocmod.xml``; if any installed package already has a
    modification with that code, the installer skips this one silently
    (4.1.0.4:admin/controller/marketplace/installer.php:560-565, issue #14448 "two different
    extensions with same ocmod.xml name") — unlike 3.0, which replaced it. A generic name such as
    ``header`` or ``test`` invites that; prefix it with the package code or your vendor name.
    Two files of one package with the same name in different subfolders collide with each other
    (error), and a code longer than the 64-character column is stored cut (error).

    Fail::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === ocmod/header.ocmod.xml
        <modification><name>X</name></modification>
        === expect: ocmod/header.ocmod.xml:0

    Pass::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === ocmod/x_demo_header.ocmod.xml
        <modification><name>X</name></modification>
    """
    package = package_code(ctx)
    seen: dict[str, str] = {}
    for path in registered(ctx):
        code = code_of(path)
        if code.lower() in seen:
            yield Finding(
                path,
                f"modification code '{code}' is also the name of {seen[code.lower()]}: the installer registers only the first",
                severity=Severity.ERROR,
                hint="give every ocmod/ file a different name",
            )
            continue
        seen[code.lower()] = path
        if len(code) > CODE_COLUMN:
            yield Finding(
                path,
                f"modification code is {len(code)} characters; the column holds {CODE_COLUMN}, so it is stored cut",
                severity=Severity.ERROR,
                hint=f"shorten the file name to at most {CODE_COLUMN} characters before '.ocmod.xml'",
            )
        elif not _vendor_ok(code, package):
            prefix = package or "<vendor>"
            yield Finding(
                path,
                f"modification code '{code}' (the file name) is generic: if another package installed its own {code}.ocmod.xml first, this one is skipped without a word",
                hint=f"rename it to ocmod/{prefix}_{code}.ocmod.xml",
            )


@rule("OCM004", "ocmod-code-element-ignored", "info", targets=("4.1",))
def ocmod_code_element_ignored(ctx: Context) -> Iterator[Result]:
    """A modification's ``<code>`` differs from its file name, which is what OpenCart 4.1 uses.

    4.1 takes the code from the file name (``basename($entry, '.ocmod.xml')``) and never reads
    ``<code>`` (4.1.0.4:admin/controller/marketplace/installer.php:560): the code shown in
    Extensions > Modifications and checked for duplicates is the file name. Informational:
    OpenCart's own example keeps a ``<code>`` that differs.

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <code>x_demo</code>
        </modification>
        === expect: ocmod/x_demo_header.ocmod.xml:3

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <code>x_demo_header</code>
        </modification>
    """
    for path, manifest in manifests(ctx):
        node = manifest.fields.get("code")
        if node is not None and node.raw_text.strip() != code_of(path):
            value = node.raw_text.strip()
            yield Finding(
                path,
                f"<code>{value}</code> is ignored: OpenCart 4.1 uses the file name, '{code_of(path)}'",
                node.line,
                node.col,
                hint=f"remove <code>, or rename the file to ocmod/{_fixed(value)}.ocmod.xml if that is the code you mean",
            )


@rule("OCM005", "ocmod-field-invalid", "warning", targets=("4.1",))
def ocmod_field_invalid(ctx: Context) -> Iterator[Result]:
    """A modification's ``<name>`` is missing, nested, or a field is longer than its column.

    At install 4.1 stores the text of the first ``<name>``, ``<description>``, ``<author>``,
    ``<version>`` and ``<link>`` anywhere in the file (not necessarily a child of
    ``<modification>``), whitespace included, into columns of 64, text, 64, 32 and 255
    characters; MySQL in OpenCart's non-strict mode cuts longer values silently
    (4.1.0.4:…/installer.php:573-611; db_schema.php:4045). Without ``<name>`` the list shows an
    empty name and Refresh logs a PHP warning reading it (4.1.0.4:…/modification.php:277).

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <version>1.0.0-beta.2+build.2025.01.13.1234567</version>
        </modification>
        === expect: ocmod/x_demo_header.ocmod.xml:1

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X Demo: header badge</name>
          <version>1.0.0</version>
        </modification>
    """
    for path, manifest in manifests(ctx):
        if "name" not in manifest.fields:
            yield Finding(
                path,
                "no <name>: Extensions > Modifications lists it without a name and Refresh logs a PHP warning",
                manifest.modification_line,
                1,
                hint="add <name>What it changes</name> as the first child of <modification>",
            )
        for field in ("name", "description", "author", "version", "link"):
            node = manifest.fields.get(field)
            if node is not None and manifest.field_counts.get(field, 0) == 0 and manifest.root_tag == "modification":
                yield Finding(
                    path,
                    f"the first <{field}> is not a child of <modification>: OpenCart stores the text of the first <{field}> anywhere, this one",
                    node.line,
                    node.col,
                    hint=f"put <{field}> directly under <modification>, before any <file>",
                )
        for field, limit in FIELD_COLUMNS.items():
            node = manifest.fields.get(field)
            if node is None:
                continue
            value = re.sub(r"<[^>]*>", "", node.raw_text) if field == "name" else node.raw_text
            if len(value) > limit:
                padded = " (whitespace around the text counts)" if len(value.strip()) <= limit else ""
                yield Finding(
                    path,
                    f"<{field}> is {len(value)} characters{padded}; OpenCart stores {limit}",
                    node.line,
                    node.col,
                    hint=f"keep <{field}> to {limit} characters, on one line with the tags: <{field}>{value.strip()[:limit]}</{field}>",
                )


@rule("OCM006", "ocmod-xml-invalid", "error", targets=("4.1",))
def ocmod_xml_invalid(ctx: Context) -> Iterator[Result]:
    """A modification is not well-formed XML, has no ``<modification>``, or an ``<operation>``
    lacks ``<search>`` or ``<add>``.

    4.1's installer does not catch XML errors (libxml only warns), so the broken file is stored
    and enabled like any other (4.1.0.4:…/installer.php:569-626); Refresh then calls methods on
    missing elements — a PHP fatal error that leaves the store in maintenance mode with the
    cache half rebuilt (4.1.0.4:…/modification.php:274,282,366-378).

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="admin/view/template/common/header.twig">
            <operation>
              <add position="after"><![CDATA[<meta name="x">]]></add>
            </operation>
          </file>
        </modification>
        === expect: ocmod/x_demo_header.ocmod.xml:4

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
        </modificaton>
        === expect: ocmod/x_demo_header.ocmod.xml:3

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="admin/view/template/common/header.twig">
            <operation>
              <search><![CDATA[<title>{{ title }}</title>]]></search>
              <add position="after"><![CDATA[<meta name="x">]]></add>
            </operation>
          </file>
        </modification>
    """
    for path in registered(ctx):
        result = _parse(path, ctx.tree[path].data)
        if isinstance(result, ManifestError):
            yield Finding(
                path,
                f"{result.message}: the installer stores it anyway and Refresh fails on it",
                result.line or 1,
                result.col,
                hint="fix the XML (an XML editor or `xmllint --noout` shows the place); CDATA around code keeps < and & legal",
            )
            continue
        if result.root_tag != "modification":
            has_mod = b"<modification" in ctx.tree[path].data  # nested: Refresh takes the first one anywhere
            yield Finding(
                path,
                f"the root element is <{result.root_tag}>, not <modification>" + ("" if has_mod else ": Refresh finds no <modification> and stops with a fatal error"),
                1,
                1,
                severity=Severity.WARNING if has_mod else None,
                hint="make <modification> the root element",
            )
        for block in result.files:
            for op in block.operations:
                missing = [tag for tag, node in (("search", op.search), ("add", op.add)) if node is None]
                if missing:
                    yield Finding(
                        path,
                        f"<operation> without <{'> and <'.join(missing)}>: Refresh stops with a PHP fatal error (maintenance mode stays on)",
                        op.line,
                        op.col,
                        hint='give every <operation> one <search> and one <add position="…">',
                    )


_THEME_RE = re.compile(r"catalog/view/theme/")
_OLD_EXTENSION_RE = re.compile(r"(admin|catalog)/(controller|model)/extension/([^/]+)/(.+)")
_OLD_TEMPLATE_RE = re.compile(r"admin/view/template/extension/([^/]+)/(.+)")
_OLD_LANGUAGE_RE = re.compile(r"(admin|catalog)/language/([^/]+)/extension/([^/]+)/(.+)")


def _old_path_fix(part: str, package: str | None) -> str | None:
    """The 4.x path for a 3.0 path, or None when ``part`` is not a 3.0 path."""
    code = package or "<code>"
    if _THEME_RE.match(part):
        rest = re.sub(r"^catalog/view/theme/[^/]+/template/", "", part)
        return f"catalog/view/template/{rest}" if rest != part else "catalog/view/template/…"
    m = _OLD_EXTENSION_RE.fullmatch(part)
    if m:
        return f"extension/{code}/{m.group(1)}/{m.group(2)}/{m.group(3)}/{m.group(4)} (or the core file it meant)"
    m = _OLD_TEMPLATE_RE.fullmatch(part)
    if m:
        return f"extension/{code}/admin/view/template/{m.group(1)}/{m.group(2)}"
    m = _OLD_LANGUAGE_RE.fullmatch(part)
    if m:
        return f"extension/{code}/{m.group(1)}/language/{m.group(2)}/{m.group(3)}/{m.group(4)}"
    if part.endswith(".tpl"):
        return part[: -len(".tpl")] + ".twig"
    return None


@rule("OCM007", "ocmod-path-prefix", "error", targets=("4.1",))
def ocmod_path_prefix(ctx: Context) -> Iterator[Result]:
    """A ``<file path>`` names a place OpenCart 4.1's Refresh never looks, or a 3.0 path.

    Refresh maps a path only when it starts with ``admin``, ``catalog``, ``extension`` or
    ``system`` (4.1.0.4:…/modification.php:293-307); anything else (``upload/…``, a leading
    ``/`` or space, an empty path) is skipped without a log line. 3.0 paths —
    ``catalog/view/theme/<theme>/template/…``, ``admin/controller/extension/<type>/…``,
    ``admin/view/template/extension/<type>/…``, ``*.tpl`` — exist in no 4.x tree: core views
    are ``catalog/view/template/…`` and extension files live under ``extension/<code>/…``.

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="catalog/view/theme/default/template/common/header.twig">
            <operation>
              <search><![CDATA[<title>]]></search>
              <add position="after"><![CDATA[<meta name="x">]]></add>
            </operation>
          </file>
        </modification>
        === expect: ocmod/x_demo_header.ocmod.xml:3

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="catalog/view/template/common/header.twig|extension/opencart/catalog/view/template/module/account.twig">
            <operation>
              <search><![CDATA[<title>]]></search>
              <add position="after"><![CDATA[<meta name="x">]]></add>
            </operation>
          </file>
        </modification>
    """
    package = package_code(ctx)
    for path, manifest in manifests(ctx):
        for block in manifest.files:
            if block.path is None:
                yield Finding(
                    path,
                    "<file> without a path attribute: Refresh applies it to nothing",
                    block.line,
                    block.col,
                    hint='add path="catalog/view/template/…" (or admin/, extension/<code>/, system/)',
                )
                continue
            for part in path_parts(block):
                if not part.startswith(PREFIXES):
                    fix = part.strip().lstrip("/")
                    fix = fix[len("upload/") :] if fix.startswith("upload/") else fix
                    hint = f"write '{fix}'" if fix.startswith(PREFIXES) else "start the path with admin/, catalog/, extension/<code>/ or system/"
                    yield Finding(path, f"path '{part}' does not start with admin/, catalog/, extension/ or system/: Refresh skips it silently", block.line, block.col, hint=hint)
                    continue
                old = _old_path_fix(part, package)
                if old is not None:
                    yield Finding(path, f"path '{part}' is an OpenCart 3.0 path; no 4.x tree has it", block.line, block.col, hint=f"use the 4.x path: {old}")


# --------------------------------------------------------------------------- what 4.1 applies (§2.5)


@dataclass(frozen=True)
class Effect:
    """What a modification of one path does on each 4.1 release: "yes", "no" or "partly", and why."""

    kind: str
    early: str  # 4.1.0.0–4.1.0.3
    late: str  # 4.1.0.4
    why_early: str
    why_late: str
    class_file: bool  # a PHP class OpenCart loads through its namespace (O7 applies)


_STATIC = (".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot", ".map")
_CART_LIBRARIES = ("system/library/cart/cart.php", "system/library/cart/weight.php", "system/library/cart/length.php")
_NEVER_LANGUAGE = "language files are never read from the OCMOD cache: language/*/before points at a method no 4.1 release has"


def effect(part: str) -> Effect | None:
    """How 4.1 applies a modification of ``part`` (opencart4-facts §2.5), or None when unknown."""
    ext = re.match(r"extension/([^/*?{]+)/(.*)", part)
    rest = ext.group(2) if ext else part
    if part.lower().endswith(_STATIC):
        why = "scripts, stylesheets and images are served from their own files, never from the OCMOD cache"
        return Effect("static", "no", "no", why, why, False)
    if re.match(r"(admin|catalog)/language/", rest):
        return Effect("language", "no", "no", _NEVER_LANGUAGE, _NEVER_LANGUAGE, False)
    if re.match(r"(admin|catalog)/controller/startup/", rest):
        why = "startup controllers run before the modification events are registered, or as extension routes that 4.1.0.4 maps to a wrong class"
        return Effect("startup", "no", "no", why, why, False)
    if re.match(r"system/(config|helper)/", rest):
        why = f"{rest.split('/')[1]} files are included directly, never from the OCMOD cache"
        return Effect("system", "no", "no", why, why, False)
    if rest.startswith("system/library/"):
        if ext:
            return Effect(
                "library",
                "no",
                "partly",
                "no library event exists before 4.1.0.4",
                "only when the class is loaded with $this->load->library(), not with new",
                True,
            )
        if part in _CART_LIBRARIES:
            return Effect("library", "no", "yes", "no library event exists before 4.1.0.4", "", True)
        why = "core creates this class with new or at startup, never through $this->load->library(); only cart/cart, cart/weight and cart/length are loaded so"
        return Effect("library", "no", "no", "no library event exists before 4.1.0.4", why, True)
    if part.startswith("system/"):
        why = "framework, engine and storage files are loaded directly, never from the OCMOD cache"
        return Effect("system", "no", "no", why, why, False)
    m = re.match(r"(admin|catalog)/(controller|model|view/template)/", rest)
    if not m:
        return None
    app, kind = m.group(1), m.group(2)
    if kind == "view/template":
        if ext and app == "catalog":
            why = "the catalog reroutes the view to extension/ocmod/… but never registers that template path: the page fails to render"
            return Effect("twig", "no", "no", why, why, False)
        return Effect("twig", "yes", "yes", "", "", False)
    if kind == "controller":
        if ext and app == "catalog":
            why = "the catalog never registers the OCMOD namespace of extensions"
            return Effect("controller", "no", "no", why, "4.1.0.4 builds the class name with Extension\\ twice, so it is never found", True)
        early = (
            "only as the page's own route"
            + (" and only without a .method" if app == "admin" else "")
            + ", never through $this->load->controller() such as header, column_left and modules"
        )
        if ext:
            return Effect("controller", "partly", "no", early, "4.1.0.4 builds the class name with Extension\\ twice, …\\Ocmod\\Extension\\Extension\\…, so it is never found", True)
        return Effect("controller", "partly", "yes", early, "", True)
    # models
    early = "the admin model event keeps the .method in the route and the catalog has no model event, so the cached copy is never loaded"
    if ext:
        return Effect("model", "no", "no", early, "4.1.0.4 builds the class name with Extension\\ twice, so it is never found", True)
    return Effect("model", "no", "partly", early, "applied only with the namespace rewritten, and reported to die with 'Cannot declare class' even then (issue #15671)", True)


def _split(target: Target) -> tuple[list[str], list[str]]:
    early = [r for r in target.releases if parse(r) < parse("4.1.0.4")]
    late = [r for r in target.releases if parse(r) >= parse("4.1.0.4")]
    return early, late


def _span(releases: list[str]) -> str:
    return releases[0] if len(releases) == 1 else f"{releases[0]}–{releases[-1]}"


def never_applied(eff: Effect, target: Target) -> bool:
    """Is the modification applied on none of the supported releases?"""
    early, late = _split(target)
    return (not early or eff.early == "no") and (not late or eff.late == "no")


def effect_problems(eff: Effect, target: Target) -> list[tuple[str, str, str]]:
    """(releases, "no"/"partly", why) for the supported releases where the modification does not
    fully apply."""
    early, late = _split(target)
    out = []
    if early and eff.early != "yes":
        out.append((_span(early), eff.early, eff.why_early))
    if late and eff.late != "yes":
        out.append((_span(late), eff.late, eff.why_late))
    if len(out) == 2 and out[0][1:] == out[1][1:]:
        out = [(_span(early + late), out[0][1], out[0][2])]
    return out


@rule("OCM009", "ocmod-target-without-effect", "warning", targets=("4.1",))
def ocmod_target_without_effect(ctx: Context) -> Iterator[Result]:
    """A modification changes a file whose cached copy OpenCart 4.1 never (or only sometimes) uses.

    4.1 writes modified files to ``extension/ocmod/`` and reaches them only through events
    (opencart4-facts §2.5): core and admin-extension templates always; core controllers on
    4.1.0.0–4.1.0.3 only as the page's own route, on 4.1.0.4 also through
    ``load->controller()``; core models not before 4.1.0.4, and then reported to fail (issue
    #15671); extension controllers and models not on 4.1.0.4 (the class name gets
    ``Extension\\`` twice) and never on the catalog side; libraries only on 4.1.0.4 through
    ``load->library()`` (in core: cart/cart, cart/weight, cart/length); language, config,
    helper and startup files, the framework, scripts, stylesheets and images never; catalog
    templates of extensions break the page. Checked per path against the package's releases.

    Fail::

        === target: 4.1
        === ocmod/x_demo_lang.ocmod.xml
        <modification>
          <name>X</name>
          <file path="admin/language/en-gb/common/header.php">
            <operation>
              <search><![CDATA[$_['text_logout']]]></search>
              <add position="after"><![CDATA[$_['text_x'] = 'X';]]></add>
            </operation>
          </file>
        </modification>
        === expect: ocmod/x_demo_lang.ocmod.xml:3

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="admin/view/template/common/header.twig">
            <operation>
              <search><![CDATA[<title>]]></search>
              <add position="after"><![CDATA[<meta name="x">]]></add>
            </operation>
          </file>
        </modification>
    """
    target = ctx.target_range
    for path, manifest in manifests(ctx):
        for block in manifest.files:
            for part in path_parts(block):
                if not part.startswith(PREFIXES):
                    continue
                eff = effect(part)
                if eff is None:
                    continue
                problems = effect_problems(eff, target)
                if not problems:
                    continue
                said = [f"{'never applied' if level == 'no' else 'applied only partly'} on OpenCart {releases} ({why})" for releases, level, why in problems]
                yield Finding(
                    path,
                    f"'{part}' is {' and '.join(said)}",
                    block.line,
                    block.col,
                    hint=_EFFECT_HINT.get(eff.kind, "change this behaviour with an event (addEvent) instead"),
                )


_EFFECT_HINT = {
    "language": "add the strings with an event on language/…/after (or your own language file), not OCMOD",
    "static": "ship your own script or stylesheet and add it with $this->document->addScript()/addStyle() in an event",
    "twig": "change the extension's own template in its package, or use a view/…/after event",
    "controller": "use a controller/…/before or /after event instead, which works on every 4.1 release",
    "model": "use a model/….<method>/after event instead, which works on every 4.1 release",
    "library": "extend or wrap the class in your own library instead of editing it",
}


def expected_namespace(part: str) -> str | None:
    """The namespace a cached copy of a PHP class file must declare (None when it cannot be told:
    a wildcard, a library of an extension)."""
    if any(c in part for c in "*?{["):
        return None
    ext = re.match(r"extension/([^/]+)/(admin|catalog)/(controller|model)/(.+)\.php", part)
    core = re.match(r"(admin|catalog)/(controller|model)/(.+)\.php", part)
    lib = re.match(r"system/library/(.+)\.php", part)

    def camel(segments: list[str]) -> str:
        return "\\".join(s.replace("_", " ").title().replace(" ", "") for s in segments)

    if ext:
        folders = ext.group(4).split("/")[:-1]
        return "Opencart\\" + camel([ext.group(2), ext.group(3)]) + "\\Extension\\Ocmod\\Extension\\" + camel([ext.group(1), *folders])
    if core:
        folders = core.group(3).split("/")[:-1]
        return "Opencart\\" + camel([core.group(1), core.group(2)]) + "\\Extension\\Ocmod" + ("\\" + camel(folders) if folders else "")
    if lib:
        folders = lib.group(1).split("/")[:-1]
        return "Opencart\\System\\Library\\Extension\\Ocmod" + ("\\" + camel(folders) if folders else "")
    return None


def _norm(text: str) -> str:
    return text.replace("\\\\", "\\").lower()


@rule("OCM008", "ocmod-namespace-not-rewritten", "error", targets=("4.1",))
def ocmod_namespace_not_rewritten(ctx: Context) -> Iterator[Result]:
    """A modification of a PHP class does not rewrite the class's namespace to the OCMOD one.

    The cached copy is loaded through the ``…\\Extension\\Ocmod\\…`` namespace
    (4.1.0.4:admin/controller/event/modification.php:19-29,95-106): the ``<file>`` needs an
    operation that turns ``namespace Opencart\\Admin\\Controller\\Catalog;`` into
    ``…\\Controller\\Extension\\Ocmod\\Catalog;`` (``…\\Extension\\Ocmod\\Extension\\<Code>\\…``
    for a file of an extension), as OpenCart's example does. Without it the copy declares the
    original class again: depending on which is loaded first the change is silently skipped or
    the page dies with "Cannot declare class" (issue #14389, #15671). Files that 4.1 never
    applies at all are OCM009's.

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="admin/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['title'] .= ' | X';]]></add>
            </operation>
          </file>
        </modification>
        === expect: ocmod/x_demo_header.ocmod.xml:3

    Pass::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification>
          <name>X</name>
          <file path="admin/controller/common/header.php">
            <operation>
              <search><![CDATA[Opencart\\Admin\\Controller\\Common;]]></search>
              <add position="replace"><![CDATA[Opencart\\Admin\\Controller\\Extension\\Ocmod\\Common;]]></add>
            </operation>
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['title'] .= ' | X';]]></add>
            </operation>
          </file>
        </modification>
    """
    target = ctx.target_range
    for path, manifest in manifests(ctx):
        for block in manifest.files:
            adds = [_norm(op.add.text) for op in block.operations if op.add is not None]
            for part in path_parts(block):
                if not part.startswith(PREFIXES) or not part.endswith(".php"):
                    continue
                eff = effect(part)
                if eff is None or not eff.class_file or never_applied(eff, target):
                    continue  # never applied on any supported release: OCM009 says so
                want = expected_namespace(part)
                rewrites = [a for a in adds if "\\extension\\ocmod" in a]
                if not rewrites:
                    example = want or "Opencart\\…\\Extension\\Ocmod\\…"
                    yield Finding(
                        path,
                        f"'{part}' is a PHP class, but no operation rewrites its namespace to the …\\Extension\\Ocmod\\… form: the cached copy is skipped or dies with 'Cannot declare class'",
                        block.line,
                        block.col,
                        hint=f"add an operation first: search the file's namespace line, add position=\"replace\" with 'namespace {example};'",
                    )
                elif want is not None and not any(want.lower() in a for a in rewrites):
                    yield Finding(
                        path,
                        f"'{part}' gets an …\\Extension\\Ocmod\\… namespace, but not {want}: the class is looked for there and not found",
                        block.line,
                        block.col,
                        hint=f"rewrite the namespace to {want}",
                    )


@rule("OCM010", "ocmod-installed-disabled", "info", targets=("4.1",))
def ocmod_installed_disabled(ctx: Context) -> Iterator[Result]:
    """Reminder: OpenCart 4.1 installs every modification disabled.

    The installer stores ``status = 0`` (4.1.0.4:…/installer.php:622): nothing changes until an
    administrator enables the modification in Extensions > Modifications and clicks Refresh.
    Uninstalling deletes the rows but not the cache (…/installer.php:760-762): Refresh again
    afterwards. (3.0 installed modifications enabled.) Put this in the extension's install
    notes.

    Fail::

        === target: 4.1
        === ocmod/x_demo_header.ocmod.xml
        <modification><name>X</name></modification>
        === expect: ocmod/x_demo_header.ocmod.xml:0

    Pass::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
    """
    for path in registered(ctx):
        yield Finding(
            path,
            f"modification '{code_of(path)}' is installed disabled: it does nothing until enabled in Extensions > Modifications and Refresh is clicked",
            hint="tell users to enable it and click Refresh after installing, and to click Refresh again after uninstalling",
        )
