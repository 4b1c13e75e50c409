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

    OpenCart's installer compares the last ten characters of the uploaded name and refuses
    anything else with "Invalid file type!" — ``.zip``, ``.OCMOD.ZIP`` and ``.ocmod.xml`` included.

    Fail: ``meschain-sync.zip``, ``x.OCMOD.zip``
    Pass: ``meschain-sync-enterprise-v3.1.1.ocmod.zip``
    """
    name = ctx.package_name
    if name is not None and not name.endswith(".ocmod.zip"):
        yield Finding(name, f"{name!r} does not end with '.ocmod.zip'; OpenCart refuses it (Invalid file type!)")


@rule("PKG002", "wrapper-folder", "error")
def wrapper_folder(ctx: Context) -> Iterator[Result]:
    """``install.xml`` and ``upload/`` sit inside a top folder instead of at the zip root.

    OpenCart 3.0 looks only at the root: it copies nothing, stores no modification, and still
    reports success. Zip the folder's content, not the folder.

    Fail: ``myext/install.xml``, ``myext/upload/admin/…``
    Pass: ``install.xml``, ``upload/admin/…``
    """
    roots = _roots(ctx)
    if "install.xml" in roots or "upload/" in roots:
        return
    for root in sorted(r for r in roots if r.endswith("/")):
        inner = {p[len(root) :].split("/", 1)[0] for p in ctx.tree if p.startswith(root)}
        if "install.xml" in inner or "upload" in inner:
            yield Finding(root + ("install.xml" if "install.xml" in inner else "upload/"), f"package is wrapped in {root!r}: OpenCart installs nothing from it (and says success)")


@rule("PKG003", "nothing-to-install", "error")
def nothing_to_install(ctx: Context) -> Iterator[Result]:
    """The package has neither ``install.xml`` nor ``upload/`` at its root (and no wrapper folder).

    Such a package installs nothing; OpenCart records it in the install history anyway.

    Fail: a zip holding only ``admin/…`` and ``catalog/…`` (a 4.x layout) or only ``README.md``
    Pass: ``install.xml`` and/or ``upload/…`` at the root
    """
    roots = _roots(ctx)
    if not ctx.tree and ctx.tree.notes:
        return  # an unreadable zip is reported by PKG101
    if "install.xml" in roots or "upload/" in roots:
        return
    if any(any(p.startswith(r) and p[len(r) :].split("/", 1)[0] in ("install.xml", "upload") for p in ctx.tree) for r in roots if r.endswith("/")):
        return  # PKG002 explains it
    yield Finding(ctx.package_name or "package", "no install.xml and no upload/ at the package root: OpenCart 3.0 installs nothing")


@rule("PKG004", "root-entry-ignored", "warning")
def root_entry_ignored(ctx: Context) -> Iterator[Result]:
    """The zip root holds entries OpenCart 3.0's installer never reads.

    Only ``install.xml`` and ``upload/`` are used. ``install.sql`` and ``install.php`` are never
    run (OpenCart 2.x ran them; 3.0 does not): tables must be created by the extension's own
    ``install()``. ``SQL/``, ``docs/``, ``README`` and ``__MACOSX/`` are extracted and deleted.

    Fail: ``install.sql``, ``SQL/install_tables.sql``, ``docs/`` at the zip root
    Pass: only ``install.xml`` and ``upload/``
    """
    prefix = ctx.root_prefix  # inside a wrapper folder, judge what its author meant as the root
    entries: dict[str, list[str]] = {}
    for path in ctx.tree:
        if path.startswith(prefix):
            rel = path[len(prefix) :]
            entries.setdefault(rel.split("/", 1)[0], []).append(rel)
    for root, rels in sorted(entries.items()):
        if root in ("install.xml", "upload"):
            continue
        is_folder = any("/" in rel for rel in rels)
        where = prefix + root + ("/" if is_folder else "")
        scripts = [rel for rel in rels if rel.lower().endswith((".sql", ".php"))]
        if not is_folder and (root.lower() in _SCRIPT_ROOTS or scripts):
            message = f"{root!r} is never run by OpenCart 3.0: create tables in the extension's install() instead"
        elif is_folder and root in ("admin", "catalog", "system", "image"):
            message = f"{root + '/'!r} at the package root is ignored by OpenCart 3.0's installer: files to install belong in 'upload/{root}/'"
        elif is_folder and any(rel.lower().endswith(".sql") for rel in rels):
            message = f"{root + '/'!r} holds SQL files OpenCart 3.0 never runs: create tables in the extension's install() instead"
        else:
            message = f"{root + ('/' if is_folder else '')!r} at the package root is ignored by OpenCart 3.0's installer"
        yield Finding(where, message)
