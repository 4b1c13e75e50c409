"""PKG — archive layout as OpenCart 3.0's installer sees it (ocmod-facts §1.2–1.3)."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context, Finding, Result, rule

_SCRIPT_ROOTS = ("install.sql", "install.php", "uninstall.sql", "uninstall.php")


def _roots(ctx: Context) -> set[str]:
    return {path.split("/", 1)[0] + ("/" if "/" in path else "") for path in ctx.tree}


@rule("PKG001", "package-name-not-ocmod-zip", "error")
def package_name_not_ocmod_zip(ctx: Context) -> Iterator[Result]:
    """The package file name does not end with ``.ocmod.zip`` (exactly, lowercase).

    OpenCart 3.0's installer compares the last ten characters of the uploaded name and refuses
    anything else with "Invalid file type!": ``.zip``, ``.OCMOD.ZIP`` and ``.ocmod.xml`` too
    (OpenCart 2.x accepted a bare ``.ocmod.xml``; 3.0 does not).

    Fail::

        === zip: meschain-sync.zip
        === install.xml
        <modification><name>MesChain Sync</name><code>meschain_sync</code></modification>
        === expect: meschain-sync.zip:0

    Fail::

        === zip: meschain-sync.OCMOD.zip
        === install.xml
        <modification><name>MesChain Sync</name><code>meschain_sync</code></modification>

    Pass::

        === zip: meschain-sync-enterprise-v3.1.1.ocmod.zip
        === install.xml
        <modification><name>MesChain Sync</name><code>meschain_sync</code></modification>
    """
    name = ctx.package_name
    if name is not None and not name.endswith(".ocmod.zip"):
        yield Finding(name, f"{name!r} does not end with '.ocmod.zip'; OpenCart refuses it (Invalid file type!)", hint=_rename_hint(name))


def _rename_hint(name: str) -> str:
    _folder, _, base = name.rpartition("/")
    stem = base
    for suffix in (".ocmod.zip", ".ocmod.xml", ".zip", ".xml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    fixed = stem + ".ocmod.zip"
    if base.lower().endswith(".xml"):
        return f"OpenCart 3.0 installs only zips: zip the modification as install.xml at the root of {fixed!r}"
    return f"rename the file to {fixed!r} (lowercase '.ocmod.zip')"


@rule("PKG002", "wrapper-folder", "error")
def wrapper_folder(ctx: Context) -> Iterator[Result]:
    """``install.xml`` and ``upload/`` sit inside a top folder instead of at the zip root.

    OpenCart 3.0 looks only at the root: it copies nothing, stores no modification, and still
    reports success. Zip the folder's content, not the folder.

    Fail::

        === myext/install.xml
        <modification><name>My Extension</name><code>vendor_myext</code></modification>
        === myext/upload/admin/language/en-gb/extension/module/myext.php
        <?php
        $_['heading_title'] = 'My Extension';
        === expect: myext/install.xml:0

    Pass::

        === install.xml
        <modification><name>My Extension</name><code>vendor_myext</code></modification>
        === upload/admin/language/en-gb/extension/module/myext.php
        <?php
        $_['heading_title'] = 'My Extension';
    """
    roots = _roots(ctx)
    if "install.xml" in roots or "upload/" in roots:
        return
    for root in sorted(r for r in roots if r.endswith("/")):
        inner = {p[len(root) :].split("/", 1)[0] for p in ctx.tree if p.startswith(root)}
        if "install.xml" in inner or "upload" in inner:
            content = " ".join(sorted(n + ("/" if n == "upload" else "") for n in inner & {"install.xml", "upload"}))
            yield Finding(root + ("install.xml" if "install.xml" in inner else "upload/"), f"package is wrapped in {root!r}: OpenCart installs nothing from it (and says success)",
                hint=f"zip what is inside {root!r}, not the folder: cd {root.rstrip('/')} && zip -r ../{root.rstrip('/')}.ocmod.zip {content}")


@rule("PKG003", "nothing-to-install", "error")
def nothing_to_install(ctx: Context) -> Iterator[Result]:
    """The package has neither ``install.xml`` nor ``upload/`` at its root (and no wrapper folder).

    Such a package installs nothing; OpenCart records it in the install history anyway. A zip
    with ``admin/`` and ``catalog/`` at its root is laid out for OpenCart 4, whose installer
    reads extensions that way; OpenCart 3.0 copies only what is under ``upload/``.

    Fail::

        === admin/controller/extension/module/x.php
        <?php
        class ControllerExtensionModuleX extends Controller {}
        === expect: package:0

    Fail::

        === README.md
        # My extension

    Pass::

        === upload/admin/controller/extension/module/x.php
        <?php
        class ControllerExtensionModuleX extends Controller {}
    """
    roots = _roots(ctx)
    if not ctx.tree and ctx.tree.notes:
        return  # an unreadable zip is reported by PKG101
    if "install.xml" in roots or "upload/" in roots:
        return
    if any(any(p.startswith(r) and p[len(r) :].split("/", 1)[0] in ("install.xml", "upload") for p in ctx.tree) for r in roots if r.endswith("/")):
        return  # PKG002 explains it
    store = sorted(r for r in roots if r in ("admin/", "catalog/", "system/", "image/"))
    if store:
        hint = f"for OpenCart 3.0 move {', '.join(store)} under upload/ (upload/{store[0]}…), and put an install.xml at the root if the package modifies core files"
    else:
        hint = "put the files to copy into the store under upload/ (upload/admin/…, upload/catalog/…) and/or an OCMOD install.xml at the zip root"
    yield Finding(ctx.package_name or "package", "no install.xml and no upload/ at the package root: OpenCart 3.0 installs nothing", hint=hint)


@rule("PKG004", "root-entry-ignored", "warning")
def root_entry_ignored(ctx: Context) -> Iterator[Result]:
    """The zip root holds entries OpenCart 3.0's installer never reads.

    Only ``install.xml`` and ``upload/`` are used. ``install.sql`` and ``install.php`` are never
    run (OpenCart 2.x ran them; 3.0 does not): tables must be created by the extension's own
    ``install()``. ``SQL/``, ``docs/``, ``README`` and ``__MACOSX/`` are extracted and deleted.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === install.sql
        CREATE TABLE IF NOT EXISTS `oc_x_log` (`id` INT NOT NULL);
        === expect: install.sql:0

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === SQL/install_tables.sql
        CREATE TABLE IF NOT EXISTS `oc_x_log` (`id` INT NOT NULL);
        === expect: SQL/:0

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === admin/controller/extension/module/x.php
        <?php
        class ControllerExtensionModuleX extends Controller {}
        === docs/README.md
        # X
        === expect: admin/:0
        === expect: docs/:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/admin/controller/extension/module/x.php
        <?php
        class ControllerExtensionModuleX extends Controller {}
    """
    prefix = ctx.root_prefix  # inside a wrapper folder, judge what its author meant as the root
    entries: dict[str, list[str]] = {}
    for path in ctx.tree:
        if path.startswith(prefix):
            rel = path[len(prefix) :]
            entries.setdefault(rel.split("/", 1)[0], []).append(rel)
    install = "the install() method of the extension's admin controller (OpenCart calls it from Extensions > Extensions > Install; run the SQL there with $this->db->query())"
    for root, rels in sorted(entries.items()):
        if root in ("install.xml", "upload"):
            continue
        is_folder = any("/" in rel for rel in rels)
        where = prefix + root + ("/" if is_folder else "")
        scripts = [rel for rel in rels if rel.lower().endswith((".sql", ".php"))]
        if not is_folder and (root.lower() in _SCRIPT_ROOTS or scripts):
            message = f"{root!r} is never run by OpenCart 3.0: create tables in the extension's install() instead"
            hint = f"move what {root!r} does into {install}, then leave {root!r} out of the zip"
        elif is_folder and root in ("admin", "catalog", "system", "image"):
            message = f"{root + '/'!r} at the package root is ignored by OpenCart 3.0's installer: files to install belong in 'upload/{root}/'"
            hint = f"move {root}/ to upload/{root}/ (e.g. {prefix}upload/{sorted(rels)[0]})"
        elif is_folder and any(rel.lower().endswith(".sql") for rel in rels):
            message = f"{root + '/'!r} holds SQL files OpenCart 3.0 never runs: create tables in the extension's install() instead"
            hint = f"run those statements from {install}; keep the .sql files in the project's sql/ folder (package.sql in ocmod-forge.yaml), which is checked but not zipped"
        else:
            message = f"{root + ('/' if is_folder else '')!r} at the package root is ignored by OpenCart 3.0's installer"
            hint = f"leave {root + ('/' if is_folder else '')!r} out of the zip (OpenCart deletes it after extracting); publish documentation on the marketplace page instead"
        yield Finding(where, message, hint=hint)
