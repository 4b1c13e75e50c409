"""PKG1xx — hostile or broken zip entries found while reading a package (``zipread.py``).

The reader never extracts and never follows an entry it does not trust; what it refused is
kept as notes on the tree, and each kind of note is one rule here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from .base import Context, Finding, Result, rule

_ASCII = str.maketrans({"ı": "i", "İ": "I", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})


def _notes(ctx: Context, hint: Callable[[str, str], str], *kinds: str) -> Iterator[Result]:
    """A finding per reader note of ``kinds``; ``hint(path, package)`` says what to do about it."""
    package = ctx.package_name or ctx.tree.origin or "package"
    for kind, path, message in ctx.tree.notes:
        if kind in kinds:
            yield Finding(path or package, message, 0, 0, hint=hint(path, package))


def _ascii(name: str) -> str:
    """``name`` with accents dropped and other non-ASCII letters replaced (a rename suggestion)."""
    plain = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore").decode("ascii")
    return plain.replace(" ", "-")


@rule("PKG101", "archive-unreadable", "error", ("3.0", "4.0", "4.1"))
def archive_unreadable(ctx: Context) -> Iterator[Result]:
    """The file is not a readable zip archive (truncated, corrupt, or not a zip at all).

    OpenCart 3.0 does not check: on PHP 8 its installer stops with an uncaught error, on PHP 7
    it reports that the install folder could not be found. An HTML error page saved under the
    package's name and a download cut short are the usual causes.

    Fail::

        === zip-entry: raw <html><body>502 Bad Gateway</body></html>

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: truncated

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: raw <html><body>502 Bad Gateway</body></html>

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/admin/language/en-gb/extension/module/x.php
    """
    yield from _notes(ctx, lambda path, package: f"download or build {package!r} again (ocmod-forge build); `unzip -t {package}` must then test every entry OK", "not-a-zip")


@rule("PKG102", "archive-too-many-entries", "error", ("3.0", "4.0", "4.1"))
def archive_too_many_entries(ctx: Context) -> Iterator[Result]:
    """The zip has more entries than the reader's cap (10,000 by default); the rest was not checked.

    No OpenCart extension needs that many files (OpenCart 4.1's own bundled extensions are about
    540); it is a resource-exhaustion pattern, and the entries past the cap were not validated.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: entries 10000

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: entries 10000

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: entries 300
    """
    yield from _notes(
        ctx,
        lambda path, package: "leave out what the store does not run (vendored libraries' tests and docs, node_modules, .git, build caches); "
        "an extension needs a few hundred files",
        "too-many",
    )


@rule("PKG103", "entry-encrypted", "error", ("3.0", "4.0", "4.1"))
def entry_encrypted(ctx: Context) -> Iterator[Result]:
    """An entry is encrypted.

    PHP's ZipArchive cannot extract it without a password, so the file never reaches the store.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: encrypted upload/system/library/vendor_x/license.php
        === expect: upload/system/library/vendor_x/license.php:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: encrypted system/library/vendor_x/license.php
        === expect: system/library/vendor_x/license.php:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/system/library/vendor_x/license.php
        <?php
        === zip-entry: name upload/admin/language/en-gb/extension/module/x.php
    """
    yield from _notes(ctx, lambda path, package: f"zip {path!r} again without a password (no `zip -e`/`-P`, no 7-Zip -p); ocmod-forge build never encrypts", "encrypted")


@rule("PKG104", "entry-name-not-utf8", "error", ("3.0", "4.0", "4.1"))
def entry_name_not_utf8(ctx: Context) -> Iterator[Result]:
    """An entry name has non-ASCII characters but is not marked UTF-8.

    Such names are in a legacy code page (often CP437 from old Windows zippers); extraction
    produces a different, mangled file name, so includes and routes do not find the file.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: cp437 upload/image/catalog/ürün.png
        === expect: upload/image/catalog/ürün.png:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: cp437 image/catalog/ürün.png
        === expect: image/catalog/ürün.png:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/image/catalog/ürün.png
        png
        === zip-entry: name upload/image/catalog/urun.png
    """
    yield from _notes(
        ctx,
        lambda path, package: f"rename it to ASCII ({_ascii(path)!r}), or zip with a tool that sets the UTF-8 flag (Info-ZIP zip 3, 7-Zip, ocmod-forge build)",
        "name-encoding",
    )


@rule("PKG105", "entry-symlink", "error", ("3.0", "4.0", "4.1"))
def entry_symlink(ctx: Context) -> Iterator[Result]:
    """An entry (or a file in a package folder) is a symbolic link.

    A link can point anywhere on the server once extracted; OpenCart packages never need one.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: symlink upload/system/library/vendor_x/config.php -> /etc/passwd
        === expect: upload/system/library/vendor_x/config.php:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: symlink system/library/vendor_x/config.php -> /etc/passwd
        === expect: system/library/vendor_x/config.php:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/system/library/vendor_x/config.php
        <?php
        return array('timeout' => 30);
    """
    yield from _notes(ctx, lambda path, package: f"replace the link with a copy of the file it points to, at {path!r} (Info-ZIP zip stores the file, not the link, unless given -y)", "symlink")


@rule("PKG106", "entry-backslash-name", "error")
def entry_backslash_name(ctx: Context) -> Iterator[Result]:
    r"""An entry name uses backslashes as separators.

    On Linux, PHP's ZipArchive extracts ``upload\admin\x.php`` as one file with backslashes in
    its name at the temp root, so ``upload/`` is not a folder and nothing is installed. Some
    Windows zippers write such names.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload\admin\controller\extension\module\x.php

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/admin/controller/extension/module/x.php
    """
    yield from _notes(ctx, lambda path, package: f"the entry must be named {_slashed(path)!r}: zip with 7-Zip, Info-ZIP zip or ocmod-forge build", "backslash")


def _slashed(path: str) -> str:
    return path.replace("\\", "/")


@rule("PKG107", "entry-absolute-path", "error")
def entry_absolute_path(ctx: Context) -> Iterator[Result]:
    """An entry name is absolute (``/…``) or has a drive letter (``C:…``).

    Depending on the unzip tool it is written outside the extraction folder; never legitimate.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name /var/www/html/index.php
        === expect: /var/www/html/index.php:0

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name C:/xampp/htdocs/admin/index.php

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/admin/controller/extension/module/x.php
    """
    yield from _notes(
        ctx,
        lambda path, package: "zip from inside the package folder (cd package && zip -r ../x.ocmod.zip install.xml upload) so every name starts with install.xml or upload/",
        "absolute",
    )


@rule("PKG108", "entry-path-traversal", "error")
def entry_path_traversal(ctx: Context) -> Iterator[Result]:
    """An entry name contains a ``..`` segment (or a NUL byte).

    OpenCart 3.0 does not filter such names; extraction can write outside the temporary
    folder (zip slip).

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/../../config.php
        === expect: upload/../../config.php:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/admin/config_note.txt
    """
    yield from _notes(ctx, lambda path, package: "remove the entry: a package only writes below upload/ into the store's own folders; change core files with install.xml, not by path", "traversal")


@rule("PKG109", "entry-duplicate-name", "error")
def entry_duplicate_name(ctx: Context) -> Iterator[Result]:
    """Two entries have the same name.

    Which copy ends up in the store depends on the extraction tool; reviewers may read the other.
    Appending to an existing zip (Python's zipfile in mode "a", some build scripts) makes them.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name install.xml
        === expect: install.xml:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/admin/language/en-gb/extension/module/x.php
    """
    yield from _notes(ctx, lambda path, package: f"build the zip from scratch instead of adding to an old one, so {path!r} is stored once", "duplicate")


@rule("PKG110", "entry-too-large", "error", ("3.0", "4.0", "4.1"))
def entry_too_large(ctx: Context) -> Iterator[Result]:
    """An entry, or the whole archive, inflates past the reader's caps (50 MiB, 200 MiB total).

    The entry was not read; it is treated as a zip bomb. The caps are far above any real
    extension; raise them (``ZipLimits`` of ``ocmod_forge.zipread``) only for a package you trust.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: zeros upload/image/catalog/banner.png 51
        === expect: upload/image/catalog/banner.png:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: zeros image/catalog/banner.png 51
        === expect: image/catalog/banner.png:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/admin/view/template/extension/module/x.twig
        <div class="panel panel-default">{{ heading_title }}</div>
        === zip-entry: name upload/image/catalog/banner.png
    """
    yield from _notes(
        ctx,
        lambda path, package: "keep big media and data out of the package (link to a download the store owner fetches); if the file is genuine and trusted, "
        "read it with ocmod_forge.zipread.read_zip(path, ZipLimits(...)) and lint that tree with ocmod_forge.api.check",
        "too-big",
        "total",
    )


@rule("PKG111", "entry-compression-ratio", "error", ("3.0", "4.0", "4.1"))
def entry_compression_ratio(ctx: Context) -> Iterator[Result]:
    """An entry over 1 MiB compresses better than 200:1.

    Real source files compress 3–10:1; extreme ratios are how zip bombs are built.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: zeros upload/system/library/vendor_x/data.bin 2
        === expect: upload/system/library/vendor_x/data.bin:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: zeros system/library/vendor_x/data.bin 2
        === expect: system/library/vendor_x/data.bin:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/admin/language/en-gb/extension/module/x.php
        <?php
        $_['heading_title'] = 'X';
    """
    yield from _notes(
        ctx,
        lambda path, package: f"{path!r} is padding or generated data: remove it, or generate the data at install time instead of shipping it",
        "ratio",
    )


@rule("PKG112", "entry-corrupt", "error", ("3.0", "4.0", "4.1"))
def entry_corrupt(ctx: Context) -> Iterator[Result]:
    """An entry cannot be decompressed (bad CRC, damaged data, unsupported method).

    OpenCart extracts what it can and installs a damaged or missing file without a word.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: corrupt upload/system/library/vendor_x/client.php
        === expect: upload/system/library/vendor_x/client.php:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: corrupt system/library/vendor_x/client.php
        === expect: system/library/vendor_x/client.php:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/system/library/vendor_x/client.php
        <?php
        class VendorXClient {}
    """
    yield from _notes(ctx, lambda path, package: f"build or download {package!r} again; `unzip -t {package}` must report {path!r} OK", "corrupt")


@rule("PKG113", "nested-zip", "warning", ("3.0", "4.0", "4.1"))
def nested_zip(ctx: Context) -> Iterator[Result]:
    """The package contains another zip archive.

    OpenCart copies it as an ordinary file and never opens it; usually a packaging mistake
    (a package zipped twice). ocmod-forge does not look inside it.

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: nested upload/x.ocmod.zip
        === expect: upload/x.ocmod.zip:0

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === zip-entry: nested x.ocmod.zip
        === expect: x.ocmod.zip:0

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === upload/admin/controller/extension/module/x.php
        <?php
        class ControllerExtensionModuleX extends Controller {}
    """
    yield from _notes(ctx, lambda path, package: f"unpack {path!r} and put its files in the package itself (its install.xml at the root, its upload/ merged into upload/)", "nested-zip")
