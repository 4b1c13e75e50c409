"""PKG2xx — an OpenCart 4.0/4.1 package as its installer sees it: the file name and the code it
gives, the zip entries, the layout, and where each entry lands (opencart4-facts §1, §4 Z1–Z3,
Z8–Z12; the emulation is ``ocmod_forge.installer4``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Severity
from ..installer4 import code_problems, install_plan, namespace_segment, package_code, place, taken_code, upload_refusals
from ..versions import generation_of
from .base import Context, Finding, Result, rule
from .oc4 import entries, identity, releases

_TARGETS = ("4.0", "4.1")
_LAYOUT_ROOTS = ("install.json", "admin", "catalog", "system", "image", "ocmod")


def _suffix_ok(name: str) -> bool:
    return name.endswith(".ocmod.zip")


@rule("PKG201", "package-file-name-refused", "error", _TARGETS)
def package_file_name_refused(ctx: Context) -> Iterator[Result]:
    """OpenCart 4's installer refuses the package's file name: it must end exactly in
    ``.ocmod.zip`` (lower case) and be 1–128 characters long.

    ``upload()`` tests ``substr($filename, -10) != '.ocmod.zip'`` (4.0.2.3:I:213, 4.1.0.4:I:278)
    and the length with ``oc_strlen``/``oc_validate_length`` (4.0.2.3:I:208, 4.1.0.4:I:273;
    4.1.0.0 counts bytes). Browsers and zip tools that change the case or add ``.zip`` make the
    upload fail with "Invalid file type!".

    Fail::

        === zip: my_ext.OCMOD.ZIP
        === target: 4.0
        === install.json
        {"name": "My Ext", "version": "1.0", "author": "Me", "link": "https://example.com"}

    Fail::

        === zip: my_extension_with_a_name_that_goes_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "My Ext"}

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "My Ext"}
    """
    name = ctx.package_name
    if name is None:
        return
    seen: set[str] = set()
    for release in releases(ctx):
        for refusal in upload_refusals(name, release):
            if refusal.check in ("length", "suffix") and refusal.check not in seen:
                seen.add(refusal.check)
                if refusal.check == "suffix":
                    stem = re.sub(r"(?i)(\.ocmod)?\.(zip|xml)$", "", name)
                    yield Finding(name, f"{name!r} does not end with '.ocmod.zip' in lower case: OpenCart 4 refuses the upload ({refusal.message})",
                                  hint=f"rename the file to '{stem}.ocmod.zip'")
                else:
                    yield Finding(name, f"the file name is {len(name)} characters long: OpenCart 4 accepts 1–128 ({refusal.message})",
                                  hint="shorten the extension code; the file name is the code plus '.ocmod.zip'")


_VERSIONED_RE = re.compile(r"_v\d+(?:_\d+)*$|_\d+(?:_\d+)+$")


@rule("PKG202", "extension-code-unusable", "error", _TARGETS)
def extension_code_unusable(ctx: Context) -> Iterator[Result]:
    """The code OpenCart 4 takes from the file name cannot name the extension.

    The code is ``basename($filename, '.ocmod.zip')`` (4.0.2.3:I:278, 4.1.0.4:I:234); it becomes
    the folder ``extension/CODE/``, the namespace segment (``ucwords`` on ``_``, underscores
    removed, SEA:21) and the route prefix ``extension/CODE/``. A ``.`` (``x_v1.2``) is the route
    method separator, spaces and ``(1)`` from a renamed download are stripped from routes, ``__``
    maps to the same namespace as ``_`` (4.1.0.4's autoloader then includes both packages' files),
    upper case is found case-insensitively in the database but not on disk. ``opencart`` is the
    default package ("Extension already installed!") and ``ocmod`` is taken in 4.1
    (``extension/ocmod/`` ships with it). A version in the name (``my_ext_v2``) is legal but
    changes the code, namespace and routes with every release (warning).

    Fail::

        === zip: my_ext_v1.2.ocmod.zip
        === target: 4.0
        === install.json
        {"name": "My Ext", "version": "1.2", "author": "Me", "link": "https://example.com"}

    Fail::

        === zip: my__ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "My Ext"}

    Fail::

        === zip: ocmod.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "OCMOD"}

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.0
        === install.json
        {"name": "My Ext", "version": "1.2", "author": "Me", "link": "https://example.com"}
    """
    name = ctx.package_name
    if name is None or not _suffix_ok(name):
        return  # PKG201: the upload is refused before a code exists
    code = package_code(name)
    problems = code_problems(code)
    if problems:
        clean = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]+", "_", code.lower())).strip("_") or "my_extension"
        yield Finding(name, f"code {code!r} (the file name without '.ocmod.zip') is unusable: {'; '.join(problems)}",
                      hint=f"name the file '{clean}.ocmod.zip' (lower-case letters, digits, single '_') and use the namespace segment {namespace_segment(clean)}")
        return
    for release in releases(ctx):
        refusal = taken_code(code, release)
        if refusal is not None:
            yield Finding(name, f"code {code!r} is taken by OpenCart {release} itself: {refusal.message}",
                          hint="choose a vendor-prefixed code such as 'acme_" + code + "' and rename the file and namespaces")
            return
    if code == "ocmod":
        yield Finding(name, "code 'ocmod' works on 4.0 but OpenCart 4.1 ships extension/ocmod/: the package cannot be installed after an upgrade",
                      hint="choose a vendor-prefixed code such as 'acme_ocmod'", severity=Severity.WARNING)
    if _VERSIONED_RE.search(code):
        yield Finding(name, f"code {code!r} looks versioned: the next version's file name gives another code, folder, namespace and routes",
                      hint="keep the version in install.json and name the file after a fixed code", severity=Severity.WARNING)


def _slip(ctx: Context, entry: str) -> str:
    """What each supported release does with a ``..`` entry."""
    code = identity(ctx).code or "CODE"
    written = sorted({place(entry, code, r).target for r in releases(ctx) if place(entry, code, r).escapes})
    skipped = any(place(entry, code, r).kind == "skipped" for r in releases(ctx))
    parts = []
    if written:
        parts.append(f"OpenCart ≤ 4.1.0.3 writes it to {', '.join(repr(w) for w in written)} relative to the store root, outside extension/{code}/ (zip slip)")
    if skipped:
        parts.append("4.1.0.4 skips it, so the file is missing")
    return "; ".join(parts)


@rule("PKG203", "zip-entry-unsafe", "error", _TARGETS)
def zip_entry_unsafe(ctx: Context) -> Iterator[Result]:
    """The zip is unreadable, or has entries OpenCart 4's installer mishandles: a ``..`` segment,
    an absolute name, the same name twice, or ``\\`` separators.

    Up to 4.1.0.3 ``install()`` writes ``CODE/../../x.php`` relative to ``extension/`` — outside it
    (4.0.2.3:I:359,396); 4.1.0.4 skips such entries (:430-432). Absolute names and duplicates
    depend on the zip library; ``ocmod/`` entries written with ``\\`` are never registered by 4.1's
    ``xml()``, which tests the raw name (fact check A5). A file that is not a zip breaks the
    Installer page itself on ≤ 4.1.0.2 until it is deleted by hand (fact check W6).

    Fail::

        === target: 4.0
        === install.json
        {"name": "X", "version": "1", "author": "A", "link": "https://example.com"}
        === zip-entry: name ../../evil.php

    Fail::

        === target: 4.1
        === zip-entry: raw this is not a zip

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === zip-entry: name admin/controller/module/x.php
    """
    for kind, path, message in ctx.tree.notes:
        where = path or ctx.package_name or ctx.tree.origin or "package"
        if kind == "not-a-zip":
            yield Finding(where, f"{message}; OpenCart 4.0.1.0–4.1.0.2 keep it in storage/marketplace/ and the Installer page fails on every visit",
                          hint="rebuild the archive (ocmod-forge build) and check it with 'unzip -t' before uploading")
        elif kind == "traversal":
            what = _slip(ctx, path) if "\x00" not in path else "a NUL byte in a name"
            yield Finding(where, f"entry with a '..' segment: {what}", hint="zip the package from its root folder so every name is relative, without '..'")
        elif kind == "absolute":
            yield Finding(where, f"{message}: OpenCart installs it as extension/CODE/{path.lstrip('/')} but other unzip tools write it anywhere",
                          hint="store names relative to the package root (admin/…, catalog/…, install.json)")
        elif kind == "duplicate":
            yield Finding(where, "the same entry name twice: OpenCart extracts the first, zip tools may show reviewers the second",
                          hint="rebuild the archive so each name appears once")
        elif kind == "backslash":
            if path.replace("\\", "/").startswith("ocmod/") and ctx.target == "4.1":
                yield Finding(where, "OCMOD file named with '\\' separators: OpenCart 4.1 neither registers it (xml() tests the raw name) nor copies it",
                              hint="rebuild the archive with '/' separators (ocmod-forge build does)")
            else:
                yield Finding(where, "entry name uses '\\' separators: OpenCart 4 turns them into '/', other tools extract one odd file",
                              hint="rebuild the archive with '/' separators (ocmod-forge build does)", severity=Severity.WARNING)


def _wrapper_folders(ctx: Context) -> list[tuple[str, str]]:
    """(root folder, the layout found inside it) for root folders that wrap a 4.x package."""
    out = []
    layout = re.compile(r"(?:[^/]+/)?(admin|catalog)/(controller|model|view|language)/|(?:[^/]+/)?install\.json$")
    roots = sorted({p.split("/", 1)[0] for p in ctx.tree if "/" in p})
    for root in roots:
        if root in _LAYOUT_ROOTS or root in ("upload", "__MACOSX") or root.startswith("."):
            continue
        inside = [p[len(root) + 1 :] for p in ctx.tree if p.startswith(root + "/")]
        hit = next((rel for rel in inside if layout.match(rel)), None)
        if hit is not None:
            out.append((root, hit))
    return out


@rule("PKG204", "package-layout-not-4x", "error", _TARGETS)
def package_layout_not_4x(ctx: Context) -> Iterator[Result]:
    """The package has an OpenCart 3.0 layout (``upload/``, ``install.xml``) or a folder wrapping
    its ``admin/``/``catalog/``: OpenCart 4 installs every entry under ``extension/CODE/<entry>``
    (4.1.0.4:I:435-437), so these files end up where nothing loads them.

    OpenCart 4 has no ``upload/`` folder and no allow-list; the package root itself must hold
    ``install.json``, ``admin/``, ``catalog/``, ``system/`` (and ``image/``, 4.1 ``ocmod/``).
    A zip of the project folder instead of its content, or the vendor's release zip that holds
    the real ``.ocmod.zip``, installs as ``extension/CODE/<folder>/admin/…``.

    Fail::

        === target: 4.0
        === install.json
        {"name": "X", "version": "1", "author": "A", "link": "https://example.com"}
        === my_ext/admin/controller/module/my_ext.php
        <?php

    Fail::

        === target: 4.1
        === install.xml
        <modification><code>x</code></modification>
        === upload/admin/controller/extension/module/x.php
        <?php

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
    """
    code = identity(ctx).code or "CODE"
    if "install.xml" in ctx.tree:
        yield Finding("install.xml", f"install.xml is an OpenCart 3.0 file: OpenCart 4 copies it to extension/{code}/install.xml and never reads it",
                      hint="OpenCart 4 changes core behaviour with events; 4.1 reads OCMOD only from ocmod/<name>.ocmod.xml")
    if any(p.startswith("upload/") for p in ctx.tree):
        yield Finding("upload/", f"upload/ is OpenCart 3.0's layout: OpenCart 4 installs it as extension/{code}/upload/… where nothing loads it",
                      hint="move the files out of upload/ to the package root (admin/…, catalog/…, system/…) and use 4.x paths")
    for root, hit in _wrapper_folders(ctx):
        yield Finding(root + "/", f"folder {root + '/'!r} wraps the package: {root}/{hit}… installs as extension/{code}/{root}/… where nothing loads it",
                      hint=f"zip the content of {root + '/'!r} (install.json, admin/, catalog/ at the zip root), not the folder")


def _dot_or_junk(path: str) -> str | None:
    """The junk folder or dot name a path is inside (``__MACOSX/``, ``x/.git/``, ``x/.DS_Store``)."""
    parts = path.split("/")
    for index, part in enumerate(parts):
        if part == "__MACOSX" or (part.startswith(".") and part not in (".", "..")):
            return "/".join(parts[: index + 1]) + ("/" if index < len(parts) - 1 else "")
    return None


@rule("PKG205", "stray-entry-installed", "warning", _TARGETS)
def stray_entry_installed(ctx: Context) -> Iterator[Result]:
    """The package holds files that OpenCart 4 copies into ``extension/CODE/`` for no use: root
    entries other than ``install.json``, ``admin/``, ``catalog/``, ``system/``, ``image/``,
    ``ocmod/``, and dot-files or ``__MACOSX/`` anywhere.

    Every entry without a special prefix goes to ``DIR_EXTENSION/CODE/<entry>`` (4.1.0.4:I:435-437)
    — inside the web root, with no file-type filter: READMEs, ``.git/``, ``.DS_Store``, composer
    trees, even PHP scripts such as ``setup.php`` become downloadable or runnable by URL.

    Fail::

        === target: 4.0
        === install.json
        {"name": "X", "version": "1", "author": "A", "link": "https://example.com"}
        === README.md
        # X
        === admin/.DS_Store
        junk

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/x.php
        <?php
        === ocmod/x.ocmod.xml
        <modification/>
    """
    code = identity(ctx).code or "CODE"
    layout_issue = {"upload", "install.xml"} | {root for root, _ in _wrapper_folders(ctx)}
    last = releases(ctx)[-1]
    found: dict[str, tuple[str, int, str]] = {}  # where → (what it is, how many entries, placement folder)
    for path in entries(ctx):
        placed = place(path, code, last)
        if placed.kind not in ("extension", "image") or placed.escapes:
            continue  # skipped by the installer, outside the web root (system/storage/), or PKG203's
        root, _, rest = path.partition("/")
        junk = _dot_or_junk(path)
        if root not in _LAYOUT_ROOTS and root not in layout_issue and root and not path.startswith("/"):
            where = root + "/" if rest else root
            what = "macOS resource-fork folder" if root == "__MACOSX" else "dot-file" if root.startswith(".") else "PHP script" if where.endswith(".php") else "root entry"
        elif junk is not None:
            parts = junk.split("/")
            vendor = parts.index("vendor") if "vendor" in parts[:-1] else -1
            if vendor >= 0:  # a bundled composer tree: one finding for all its dot-files
                where, what = "/".join(parts[: vendor + 1]) + "/", "dot-files of the bundled vendor/ tree"
            else:
                where, what = junk, ("macOS resource-fork folder" if "__MACOSX" in junk else "dot-file")
        else:
            continue
        folder = f"extension/{code}/" if placed.kind == "extension" else "the store's image/ folder"
        seen = found.get(where)
        found[where] = (what, (seen[1] if seen else 0) + 1, folder)
    for where, (what, count, folder) in found.items():
        served = "reachable over HTTP and runnable" if where.endswith(".php") else "served from the web root"
        label = f"{count} {what} under {where!r} are" if what.startswith("dot-files") else f"{what} {where!r} is"
        yield Finding(where, f"{label} copied into {folder} and {served}, for no use",
                      hint="leave it out of the package (ocmod-forge build skips dot-files; keep docs and dev files outside templates/)")


def _core_exists(tree: object, target: str) -> bool:
    exists = getattr(tree, "exists", None)
    return bool(exists(target)) if callable(exists) else False


@rule("PKG206", "core-file-not-installed", "warning", _TARGETS, needs_opencart=True)
def core_file_not_installed(ctx: Context) -> Iterator[Result]:
    """An ``image/…`` or ``system/storage/…`` file of the package already exists in OpenCart: the
    installer skips it without a word (``if (!is_file($base . $path) …)``, 4.1.0.4:I:477), does
    not record it, and uninstall leaves it.

    Only these two prefixes can collide: everything else goes into the new ``extension/CODE/``
    folder. The store keeps its own file, so the package's version never arrives (a bundled
    library older or newer than the core's, a replaced logo).

    Fail::

        === target: 4.0
        === install.json
        {"name": "X", "version": "1", "author": "A", "link": "https://example.com"}
        === system/storage/vendor/twig/twig/composer.json
        {}
        === opencart 4.0.2.3: system/storage/vendor/twig/twig/composer.json
        {}

    Pass::

        === target: 4.0
        === install.json
        {"name": "X", "version": "1", "author": "A", "link": "https://example.com"}
        === image/catalog/my_ext/logo.png
        png
        === opencart 4.0.2.3: system/storage/vendor/twig/twig/composer.json
        {}
    """
    from ..errors import OpenCartTreeError
    from ..opencart import load_tree

    code = identity(ctx).code or "CODE"
    for root in ctx.opencart_paths:
        try:
            tree = load_tree(root)
        except OpenCartTreeError:
            continue
        if tree.version != "unknown" and generation_of(tree.version) != ctx.target:
            continue
        release = tree.version if tree.version in releases(ctx) else releases(ctx)[-1]
        for path in entries(ctx):
            p = place(path, code, release)
            if p.kind in ("image", "storage") and not p.escapes and _core_exists(tree, p.target):
                yield Finding(path, f"OpenCart {tree.version} already has {p.target}: the installer silently keeps the store's file and does not record this one",
                              hint="give the file a name of your own (e.g. under image/catalog/<code>/), or ship libraries under system/library/")


@rule("PKG207", "storage-vendor-not-autoloaded", "warning", ("4.1",))
def storage_vendor_not_autoloaded(ctx: Context) -> Iterator[Result]:
    """A library is shipped under ``system/storage/vendor/``: OpenCart 4.1.0.4 no longer registers it.

    4.0.x and 4.1.0.0–4.1.0.3 rebuild the composer-style autoloader from
    ``DIR_STORAGE/vendor/*/*/composer.json`` after an install (``vendor`` step); 4.1.0.4 has no
    such step and only includes ``DIR_STORAGE/vendor/autoload.php`` (4.1.0.4:FW:12-14), so the
    package's classes are not found.

    Fail::

        === target: 4.1
        === install.json
        {"name": "X"}
        === system/storage/vendor/acme/util/composer.json
        {"autoload": {"psr-4": {"Acme\\\\Util\\\\": "src/"}}}

    Pass::

        === target: 4.1
        === install.json
        {"name": "X"}
        === system/library/acme/util.php
        <?php
    """
    if "4.1.0.4" not in releases(ctx):
        return
    vendor = [p for p in entries(ctx) if p.startswith("system/storage/vendor/")]
    manifests = [p for p in vendor if re.fullmatch(r"system/storage/vendor/[^/]+/[^/]+/composer\.json", p)]
    for path in manifests or vendor[:1]:
        where = path if manifests else "system/storage/vendor/"
        yield Finding(where, "OpenCart 4.1.0.4 has no vendor step: libraries under system/storage/vendor/ are not autoloaded any more",
                      hint="ship the library under system/library/ (namespace Opencart\\System\\Library\\Extension\\<Code>) or require your own autoloader")


@rule("PKG208", "installed-path-too-long", "warning", _TARGETS)
def installed_path_too_long(ctx: Context) -> Iterator[Result]:
    """The path OpenCart records for an installed file is longer than 255 characters.

    ``extension_path.path`` is ``varchar(255)`` (4.1.0.4:DB:3143) and the connection's
    ``sql_mode`` is not strict, so the row is cut short: uninstall then cannot find the
    ``image/``/``system/storage/`` file to delete it.

    Fail::

        === zip: acme_very_long_code_for_an_extension_that_names_everything_and_more_words_here.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === catalog/view/javascript/node_modules/some_library_with_a_long_name/distribution_files_for_every_browser/minified_versions_with_source_maps/locales_for_every_language/library.min.js
        x

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === catalog/view/javascript/my_ext/library.min.js
        x
    """
    code = identity(ctx).code or "CODE"
    plan = install_plan(entries(ctx), code, releases(ctx)[-1])
    for p in plan.long_paths:
        yield Finding(p.entry, f"OpenCart records this file as {len(p.recorded)} characters ({p.recorded[:40]}…) in a varchar(255) column",
                      hint="shorten the folder names (the record is the code, '/', and the entry path)")
