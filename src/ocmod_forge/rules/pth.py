"""PTH — paths under ``upload/``: allowed destinations, core files, names the installer mishandles."""

from __future__ import annotations

import difflib
import re
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


# Where a file outside the allowed folders most likely belongs: (prefix, replacement), first match wins.
_MOVES = (
    ("admin/controller/", "admin/controller/extension/"),
    ("admin/model/", "admin/model/extension/"),
    ("admin/view/template/", "admin/view/template/extension/"),
    ("catalog/controller/", "catalog/controller/extension/"),
    ("catalog/model/", "catalog/model/extension/"),
    ("catalog/view/template/", "catalog/view/theme/default/template/extension/"),
    ("catalog/view/stylesheet/", "catalog/view/theme/default/stylesheet/"),
    ("catalog/view/image/", "catalog/view/theme/default/image/"),
    ("system/storage/vendor/", "system/library/"),
    ("system/", "system/library/"),
    ("image/", "image/catalog/"),
)


def destination_hint(rel: str) -> str:
    """Where a file the installer refuses should go instead."""
    for prefix, replacement in _MOVES:
        if rel.startswith(prefix):
            target = replacement + rel[len(prefix) :]
            if prefix.startswith("system/"):
                return f"move it to upload/{target} (and load it from there)"
            return f"the extension's own files go to upload/{target}; to change OpenCart's own {rel} use an install.xml operation on it instead"
    close = difflib.get_close_matches(rel[: max(len(p) for p in ALLOWED)], ALLOWED, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}? move it to upload/{close[0]}{rel.rsplit('/', 1)[-1]}"
    return f"only these folders can be installed into: {', '.join(ALLOWED)}; anything else (here {rel.split('/', 1)[0]!r}) has to be set up by the extension's install() or by hand"


@rule("PTH001", "destination-not-allowed", "error")
def destination_not_allowed(ctx: Context) -> Iterator[Result]:
    """A file under ``upload/`` is outside the folders OpenCart 3.0's installer may write to.

    The installer checks every entry first and aborts the whole copy at the first one outside
    its 15 allowed folders ("The directory %s is not allowed to be written to!"). This check is
    by path segment, stricter than OpenCart's plain string prefix. Core templates and
    controllers are changed with install.xml; the extension's own files go under ``extension/``.

    Fail::

        === upload/admin/view/template/common/column_left.twig
        <nav id="column-left"></nav>
        === expect: upload/admin/view/template/common/column_left.twig:0

    Fail::

        === upload/system/storage/vendor/guzzlehttp/guzzle/src/Client.php
        <?php
        namespace GuzzleHttp;
        class Client {}
        === expect: upload/system/storage/vendor/guzzlehttp/guzzle/src/Client.php:0

    Fail::

        === upload/catalog/controller/module/x.php
        <?php
        class ControllerExtensionModuleX extends Controller {}

    Pass::

        === upload/admin/view/template/extension/module/x.twig
        <div class="panel panel-default">{{ heading_title }}</div>
        === upload/system/library/vendor_x/client.php
        <?php
        class VendorXClient {}
    """
    for path, rel in _uploads(ctx):
        if not allowed(rel):
            yield Finding(path, f"{rel!r} is not inside a folder OpenCart 3.0's installer may write to; the install stops here", hint=destination_hint(rel))


def core_hint(rel: str) -> str:
    """How to reach the same end without shipping OpenCart's own file ``rel``."""
    parts = rel.split("/")
    if "extension" in parts[:-1] and not rel.startswith(("system/", "image/")):
        at = parts.index("extension")
        if at + 2 < len(parts):
            kind, name = parts[at + 1], parts[-1]
            stem, dot, suffix = name.partition(".")
            return f"OpenCart ships its own {kind} {stem!r}: give the extension a vendor-prefixed name, e.g. {'/'.join(parts[:-1])}/vendor_{stem}{dot}{suffix}"
    if re.match(r"(admin|catalog)/language/[^/]+/", rel):
        side, lang = parts[0], parts[2]
        return f"put the extension's strings in {side}/language/{lang}/extension/<type>/<name>.php and load them with $this->load->language('extension/<type>/<name>')"
    if rel.endswith((".twig", ".php")) and not rel.startswith("image/"):
        key = re.sub(r"^catalog/view/theme/[^/]+/", "catalog/view/theme/*/", rel)
        return f'change it with an install.xml operation (<file path="{key}">) or an event, so uninstall leaves the original in place'
    folder = "/".join(parts[:2]) if rel.startswith("image/") else "/".join(parts[:3])
    return f"ship the extension's own copy under a folder of its own (e.g. {folder}/vendor_x/{parts[-1]}) and load that instead"


@rule("PTH002", "overwrites-core-file", "error")
def overwrites_core_file(ctx: Context) -> Iterator[Result]:
    """A file under ``upload/`` has the path of an OpenCart core file.

    The installer overwrites it without a word and uninstall later deletes it, core file and
    all: the store is broken after uninstall. Change core behaviour with events or install.xml.

    Fail::

        === upload/admin/language/en-gb/en-gb.php
        <?php
        $_['text_meschain'] = 'MesChain';
        === expect: upload/admin/language/en-gb/en-gb.php:0

    Fail::

        === upload/system/library/cart/cart.php
        <?php
        namespace Cart;
        class Cart {}

    Fail::

        === upload/admin/controller/extension/module/account.php
        <?php
        class ControllerExtensionModuleAccount extends Controller {}

    Pass::

        === upload/admin/language/en-gb/extension/module/meschain.php
        <?php
        $_['heading_title'] = 'MesChain';
    """
    core = core_files()
    for path, rel in _uploads(ctx):
        if rel in core:
            tags = core[rel].replace("-", "–").replace(",", ", ")
            yield Finding(path, f"overwrites OpenCart's own {rel} (core file in {tags}); uninstall deletes it", hint=core_hint(rel))


@rule("PTH003", "system-config-never-removed", "warning")
def system_config_never_removed(ctx: Context) -> Iterator[Result]:
    """A file is installed under ``system/config/``: OpenCart 3.0's uninstall never removes it.

    Uninstall maps only ``system/library`` paths back to the system folder; config files stay
    behind after the extension is gone.

    Fail::

        === upload/system/config/meschain.php
        <?php
        $_['meschain_timeout'] = 30;
        === expect: upload/system/config/meschain.php:0

    Pass::

        === upload/system/library/meschain/config.php
        <?php
        return array('timeout' => 30);
    """
    for path, rel in _uploads(ctx):
        if rel.startswith("system/config/") and len(rel) > len("system/config/"):
            stem = rel[len("system/config/") :].rsplit(".", 1)[0].replace("/", "_")
            yield Finding(path, "files under system/config/ are never removed on uninstall",
                hint=f"keep settings in the setting table ($this->model_setting_setting->editSetting('module_{stem}', …), deleted in uninstall()), "
                f"or move the file to upload/system/library/{stem}/config.php, which uninstall removes")


@rule("PTH004", "dot-file-never-copied", "warning")
def dot_file_never_copied(ctx: Context) -> Iterator[Result]:
    """A file or folder under ``upload/`` starts with a dot: the installer never copies it.

    OpenCart enumerates with ``glob("*")``, which skips dot names (``.htaccess``, ``.gitkeep``).

    Fail::

        === upload/system/library/meschain/.htaccess
        Deny from all
        === expect: upload/system/library/meschain/.htaccess:0

    Fail::

        === upload/image/catalog/meschain/.gitkeep (empty)

    Pass::

        === upload/system/library/meschain/client.php
        <?php
        class MeschainClient {}
    """
    for path, rel in _uploads(ctx):
        dotted = next((part for part in rel.split("/") if part.startswith(".")), None)
        if dotted is None:
            continue
        if dotted == ".htaccess":
            hint = "OpenCart never installs it: start each PHP file with `if (!defined('DIR_APPLICATION')) exit;` instead, or tell store owners to add the rule by hand"
        elif dotted in (".gitkeep", ".gitignore", ".keep", ".DS_Store", ".git", ".svn", ".idea", ".vscode"):
            hint = f"leave {dotted!r} out of the package: it is not part of the extension"
        else:
            hint = f"rename {dotted!r} to {dotted.lstrip('.')!r} so the installer copies it"
        yield Finding(path, "names starting with '.' are never copied by OpenCart's installer", hint=hint)


@rule("PTH005", "glob-character-in-path", "error")
def glob_character_in_path(ctx: Context) -> Iterator[Result]:
    """A path under ``upload/`` contains ``*``, ``?``, ``[`` or ``]``.

    The installer reuses folder names as glob patterns, so such names break the enumeration of
    everything inside them.

    Fail::

        === upload/image/catalog/[old]/banner.png
        png
        === expect: upload/image/catalog/[old]/banner.png:0

    Pass::

        === upload/image/catalog/old/banner.png
        png
    """
    for path, rel in _uploads(ctx):
        if any(c in rel for c in "*?[]"):
            fixed = re.sub(r"[*?]", "-", rel.replace("[", "").replace("]", ""))
            yield Finding(path, "glob characters (* ? [ ]) in a name break OpenCart's installer", hint=f"rename it to upload/{fixed}")


@rule("PTH006", "case-colliding-paths", "error", ("3.0", "4.0", "4.1"))
def case_colliding_paths(ctx: Context) -> Iterator[Result]:
    """Two package paths differ only in letter case.

    On a case-insensitive file system (Windows, macOS hosting) one overwrites the other, and
    PHP class loading becomes host-dependent.

    Fail::

        === upload/system/library/meschain/Client.php
        <?php
        class MeschainClient {}
        === upload/system/library/meschain/client.php
        <?php
        class MeschainClient {}
        === expect: upload/system/library/meschain/client.php:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === system/library/meschain/Client.php
        <?php
        class MeschainClient {}
        === system/library/meschain/client.php
        <?php
        class MeschainClient {}
        === expect: system/library/meschain/client.php:0

    Pass::

        === upload/system/library/meschain/client.php
        <?php
        class MeschainClient {}
    """
    seen: dict[str, str] = {}
    for path in ctx.tree:
        key = path.lower()
        if key in seen:
            first = seen[key]
            keep = next((p for p in (path, first) if p.startswith(ctx.root_prefix + "upload/") and p[len(ctx.root_prefix) + 7 :] == p[len(ctx.root_prefix) + 7 :].lower()), None)
            if keep is not None:
                drop = first if keep == path else path
                hint = f"keep {keep!r} (OpenCart 3.0 loads routes and library classes by lowercase file name) and remove {drop!r}"
            else:
                hint = f"keep one of {first!r} and {path!r} and remove the other"
            yield Finding(path, f"differs from {first!r} only in case", hint=hint)
        else:
            seen[key] = path


@rule("PTH007", "backslash-in-path", "error")
def backslash_in_path(ctx: Context) -> Iterator[Result]:
    r"""A file name in a package folder or project contains a backslash.

    Zipped, the name becomes an entry with ``\`` in it, which PHP on Linux extracts as one
    file literally named ``upload\admin\…`` (ocmod-facts §1.3): it lands outside
    ``upload/`` and is never copied. (Zip entries with backslashes are reported as PKG106.)

    Fail::

        === upload/admin/controller/extension/module\meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {}
        === expect: upload/admin/controller/extension/module\meschain.php:0

    Pass::

        === upload/admin/controller/extension/module/meschain.php
        <?php
        class ControllerExtensionModuleMeschain extends Controller {}
    """
    for path in ctx.tree:
        if "\\" in path:
            yield Finding(path, "backslash in a file name: zipped, OpenCart extracts it as one odd file and never installs it",
                hint=f"rename it so the backslashes are folders: {_slashed(path)!r} (a file made on Windows with a separator in its name)")


def _slashed(path: str) -> str:
    return path.replace("\\", "/")
