"""PTH — paths under ``upload/``: allowed destinations, core files, names the installer mishandles."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from .base import Context, Finding, Result, rule

# OpenCart 3.0's installer allow-list (identical in every 3.0 tag), ocmod-facts §1.4.
ALLOWED = (
    "admin/controller/extension/",
    "admin/language/",
    "admin/model/extension/",
    "admin/view/image/",
    "admin/view/javascript/",
    "admin/view/stylesheet/",
    "admin/view/template/extension/",
    "catalog/controller/extension/",
    "catalog/language/",
    "catalog/model/extension/",
    "catalog/view/javascript/",
    "catalog/view/theme/",
    "system/config/",
    "system/library/",
    "image/catalog/",
)


def allowed(rel: str) -> bool:
    """Segment-aware version of the installer's check: a file must be inside an allowed folder."""
    return any(rel.startswith(prefix) and len(rel) > len(prefix) for prefix in ALLOWED)


@lru_cache(maxsize=1)
def core_files() -> dict[str, str]:
    """Core paths under the allowed destinations → the OpenCart 3.0 tags they exist in (ranges)."""
    text = resources.files("ocmod_forge").joinpath("data/core-3.0.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            path, tags = line.split("\t")
            out[path] = tags
    return out


def _uploads(ctx: Context) -> Iterator[tuple[str, str]]:
    prefix = ctx.root_prefix + "upload/"
    for path in ctx.tree:
        if path.startswith(prefix):
            yield path, path[len(prefix) :]


@rule("PTH001", "destination-not-allowed", "error")
def destination_not_allowed(ctx: Context) -> Iterator[Result]:
    """A file under ``upload/`` is outside the folders OpenCart 3.0's installer may write to.

    The installer checks every entry first and aborts the whole copy at the first one outside
    its 15 allowed folders ("The directory %s is not allowed to be written to!"). This check is
    by path segment, stricter than OpenCart's plain string prefix.

    Fail: ``upload/admin/view/template/common/column_left.twig``, ``upload/system/storage/vendor/x.php``
    Pass: ``upload/admin/view/template/extension/module/x.twig``
    """
    for path, rel in _uploads(ctx):
        if not allowed(rel):
            yield Finding(path, f"{rel!r} is not inside a folder OpenCart 3.0's installer may write to; the install stops here")


@rule("PTH002", "overwrites-core-file", "error")
def overwrites_core_file(ctx: Context) -> Iterator[Result]:
    """A file under ``upload/`` has the path of an OpenCart core file.

    The installer overwrites it without a word and uninstall later deletes it, core file and
    all: the store is broken after uninstall. Change core behaviour with events or install.xml.

    Fail: ``upload/admin/language/en-gb/en-gb.php``, ``upload/system/library/cart/cart.php``
    Pass: ``upload/admin/language/en-gb/extension/module/x.php``
    """
    core = core_files()
    for path, rel in _uploads(ctx):
        if rel in core:
            tags = core[rel].replace("-", "–").replace(",", ", ")
            yield Finding(path, f"overwrites OpenCart's own {rel} (core file in {tags}); uninstall deletes it")


@rule("PTH003", "system-config-never-removed", "warning")
def system_config_never_removed(ctx: Context) -> Iterator[Result]:
    """A file is installed under ``system/config/``: OpenCart 3.0's uninstall never removes it.

    Uninstall maps only ``system/library`` paths back to the system folder; config files stay
    behind after the extension is gone.

    Fail: ``upload/system/config/my_extension.php``
    Pass: settings stored with the setting model, or files under ``system/library/``
    """
    for path, rel in _uploads(ctx):
        if rel.startswith("system/config/") and len(rel) > len("system/config/"):
            yield Finding(path, "files under system/config/ are never removed on uninstall")


@rule("PTH004", "dot-file-never-copied", "warning")
def dot_file_never_copied(ctx: Context) -> Iterator[Result]:
    """A file or folder under ``upload/`` starts with a dot: the installer never copies it.

    OpenCart enumerates with ``glob("*")``, which skips dot names (``.htaccess``, ``.gitkeep``).

    Fail: ``upload/system/library/x/.htaccess``
    Pass: names without a leading dot
    """
    for path, rel in _uploads(ctx):
        if any(part.startswith(".") for part in rel.split("/")):
            yield Finding(path, "names starting with '.' are never copied by OpenCart's installer")


@rule("PTH005", "glob-character-in-path", "error")
def glob_character_in_path(ctx: Context) -> Iterator[Result]:
    """A path under ``upload/`` contains ``*``, ``?``, ``[`` or ``]``.

    The installer reuses folder names as glob patterns, so such names break the enumeration of
    everything inside them.

    Fail: ``upload/image/catalog/[old]/a.png``
    Pass: ``upload/image/catalog/old/a.png``
    """
    for path, rel in _uploads(ctx):
        if any(c in rel for c in "*?[]"):
            yield Finding(path, "glob characters (* ? [ ]) in a name break OpenCart's installer")


@rule("PTH006", "case-colliding-paths", "error")
def case_colliding_paths(ctx: Context) -> Iterator[Result]:
    """Two package paths differ only in letter case.

    On a case-insensitive file system (Windows, macOS hosting) one overwrites the other, and
    PHP class loading becomes host-dependent.

    Fail: ``upload/system/library/Foo.php`` and ``upload/system/library/foo.php``
    Pass: one spelling per path
    """
    seen: dict[str, str] = {}
    for path in ctx.tree:
        key = path.lower()
        if key in seen:
            yield Finding(path, f"differs from {seen[key]!r} only in case")
        else:
            seen[key] = path


@rule("PTH007", "backslash-in-path", "error")
def backslash_in_path(ctx: Context) -> Iterator[Result]:
    """A file name in a package folder or project contains a backslash.

    Zipped, the name becomes an entry with ``\\`` in it, which PHP on Linux extracts as one
    file literally named ``upload\\admin\\…`` (ocmod-facts §1.3): it lands outside
    ``upload/`` and is never copied. (Zip entries with backslashes are reported as PKG106.)

    Fail: ``upload/admin/controller/extension/module\\x.php`` (a file made on Windows)
    Pass: ``upload/admin/controller/extension/module/x.php``
    """
    for path in ctx.tree:
        if "\\" in path:
            yield Finding(path, "backslash in a file name: zipped, OpenCart extracts it as one odd file and never installs it")
