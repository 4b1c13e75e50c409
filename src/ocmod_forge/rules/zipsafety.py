"""PKG1xx — hostile or broken zip entries found while reading a package (``zipread.py``).

The reader never extracts and never follows an entry it does not trust; what it refused is
kept as notes on the tree, and each kind of note is one rule here.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Context, Finding, Result, rule


def _notes(ctx: Context, *kinds: str) -> Iterator[Result]:
    for kind, path, message in ctx.tree.notes:
        if kind in kinds:
            yield Finding(path or (ctx.package_name or ctx.tree.origin or "package"), message, 0, 0)


@rule("PKG101", "archive-unreadable", "error")
def archive_unreadable(ctx: Context) -> Iterator[Result]:
    """The file is not a readable zip archive (truncated, corrupt, or not a zip at all).

    OpenCart 3.0 does not check: on PHP 8 its installer stops with an uncaught error, on PHP 7
    it reports that the install folder could not be found.

    Fail::

        === zip-entry: raw <html><body>502 Bad Gateway</body></html>

    Fail::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: truncated

    Pass::

        === install.xml
        <modification><name>X</name><code>vendor_x</code></modification>
        === zip-entry: name upload/admin/language/en-gb/extension/module/x.php
    """
    yield from _notes(ctx, "not-a-zip")


@rule("PKG102", "archive-too-many-entries", "error")
def archive_too_many_entries(ctx: Context) -> Iterator[Result]:
    """The zip has more entries than the reader's cap (10,000 by default); the rest was not checked.

    No OpenCart extension needs that many files; it is a resource-exhaustion pattern, and the
    entries past the cap were not validated.

    Fail: a zip with 20,000 empty entries
    Pass: a package with a few hundred files
    """
    yield from _notes(ctx, "too-many")


@rule("PKG103", "entry-encrypted", "error")
def entry_encrypted(ctx: Context) -> Iterator[Result]:
    """An entry is encrypted.

    PHP's ZipArchive cannot extract it without a password, so the file never reaches the store.

    Fail: ``zip -e x.ocmod.zip install.xml``
    Pass: an unencrypted zip
    """
    yield from _notes(ctx, "encrypted")


@rule("PKG104", "entry-name-not-utf8", "error")
def entry_name_not_utf8(ctx: Context) -> Iterator[Result]:
    """An entry name has non-ASCII characters but is not marked UTF-8.

    Such names are in a legacy code page (often CP437 from old Windows zippers); extraction
    produces a different, mangled file name, so includes and routes do not find the file.

    Fail: ``upload/image/catalog/ürün.png`` stored without the UTF-8 flag
    Pass: ASCII names, or names written with the UTF-8 flag (ocmod-forge always sets it)
    """
    yield from _notes(ctx, "name-encoding")


@rule("PKG105", "entry-symlink", "error")
def entry_symlink(ctx: Context) -> Iterator[Result]:
    """An entry (or a file in a package folder) is a symbolic link.

    A link can point anywhere on the server once extracted; OpenCart packages never need one.

    Fail: ``upload/system/library/x.php -> /etc/passwd``
    Pass: regular files only
    """
    yield from _notes(ctx, "symlink")


@rule("PKG106", "entry-backslash-name", "error")
def entry_backslash_name(ctx: Context) -> Iterator[Result]:
    """An entry name uses backslashes as separators.

    On Linux, PHP's ZipArchive extracts ``upload\\admin\\x.php`` as one file with backslashes in
    its name at the temp root, so ``upload/`` is not a folder and nothing is installed.

    Fail: ``upload\\admin\\controller\\extension\\module\\x.php``
    Pass: ``upload/admin/controller/extension/module/x.php``
    """
    yield from _notes(ctx, "backslash")


@rule("PKG107", "entry-absolute-path", "error")
def entry_absolute_path(ctx: Context) -> Iterator[Result]:
    """An entry name is absolute (``/…``) or has a drive letter (``C:…``).

    Depending on the unzip tool it is written outside the extraction folder; never legitimate.

    Fail: ``/var/www/index.php``
    Pass: ``upload/index.html``-style relative names
    """
    yield from _notes(ctx, "absolute")


@rule("PKG108", "entry-path-traversal", "error")
def entry_path_traversal(ctx: Context) -> Iterator[Result]:
    """An entry name contains a ``..`` segment (or a NUL byte).

    OpenCart 3.0 does not filter such names; extraction can write outside the temporary
    folder (zip slip).

    Fail: ``upload/../../config.php``
    Pass: ``upload/admin/config_note.txt``
    """
    yield from _notes(ctx, "traversal")


@rule("PKG109", "entry-duplicate-name", "error")
def entry_duplicate_name(ctx: Context) -> Iterator[Result]:
    """Two entries have the same name.

    Which copy ends up in the store depends on the extraction tool; reviewers may read the other.

    Fail: ``install.xml`` twice in one zip
    Pass: every name once
    """
    yield from _notes(ctx, "duplicate")


@rule("PKG110", "entry-too-large", "error")
def entry_too_large(ctx: Context) -> Iterator[Result]:
    """An entry, or the whole archive, inflates past the reader's caps (50 MiB, 200 MiB total).

    The entry was not read; checked as a zip bomb. Raise the caps only for a package you trust.

    Fail: a 1 GB file of zeros compressed to 1 MB
    Pass: ordinary PHP, Twig and image files
    """
    yield from _notes(ctx, "too-big", "total")


@rule("PKG111", "entry-compression-ratio", "error")
def entry_compression_ratio(ctx: Context) -> Iterator[Result]:
    """An entry over 1 MiB compresses better than 200:1.

    Real source files compress 3–10:1; extreme ratios are how zip bombs are built.

    Fail: 100 MiB of zeros in a 100 KiB entry
    Pass: a 2 MiB language pack compressed 5:1
    """
    yield from _notes(ctx, "ratio")


@rule("PKG112", "entry-corrupt", "error")
def entry_corrupt(ctx: Context) -> Iterator[Result]:
    """An entry cannot be decompressed (bad CRC, truncated data, unsupported method).

    OpenCart extracts what it can and installs a damaged or missing file without a word.

    Fail: a zip whose data was cut short by an interrupted upload
    Pass: a zip that ``unzip -t`` accepts
    """
    yield from _notes(ctx, "corrupt")


@rule("PKG113", "nested-zip", "warning")
def nested_zip(ctx: Context) -> Iterator[Result]:
    """The package contains another zip archive.

    OpenCart copies it as an ordinary file and never opens it; usually a packaging mistake
    (a package zipped twice). ocmod-forge does not look inside it.

    Fail: ``upload/extension.ocmod.zip``
    Pass: the files themselves under ``upload/``
    """
    yield from _notes(ctx, "nested-zip")
