"""MAN — the manifest (``install.xml``): structure, required fields, attribute values."""

from __future__ import annotations

from typing import Iterator

from ..manifest import ManifestError
from .base import Context, Finding, Result, rule


@rule("MAN001", "xml-not-well-formed", "error", ("3.0", "4.1"))
def xml_not_well_formed(ctx: Context) -> Iterator[Result]:
    """install.xml is not well-formed XML.

    OpenCart 3.0 parses install.xml with PHP's DOM when the package is installed and again at
    every Refresh. A file that does not parse is refused at install time ("Unique code is
    required for modification XML!"), and if it reaches the database it breaks Refresh with a
    fatal error that leaves the store in maintenance mode.

    Fail: ``<modification><name>A & B</name>`` (bare ``&``, unclosed element)
    Pass: ``<modification><name><![CDATA[A & B]]></name></modification>``
    """
    result = ctx.manifest_result
    if isinstance(result, ManifestError) and result.kind != "dtd":
        yield Finding(ctx.manifest_path, result.message, result.line or 1, result.col)


@rule("MAN002", "xml-dtd-refused", "error", ("3.0", "4.1"))
def xml_dtd_refused(ctx: Context) -> Iterator[Result]:
    """install.xml declares a DTD or entities.

    A DOCTYPE or ``<!ENTITY>`` declaration serves no purpose in an OCMOD file and is how XML
    bombs (billion laughs, quadratic blow-up) and external-entity reads work. ocmod-forge never
    expands them and refuses the file.

    Fail: ``<!DOCTYPE m [<!ENTITY a "aaaa">]><modification>&a;</modification>``
    Pass: a plain ``<?xml version="1.0" encoding="utf-8"?>`` declaration and no DOCTYPE.
    """
    result = ctx.manifest_result
    if isinstance(result, ManifestError) and result.kind == "dtd":
        yield Finding(ctx.manifest_path, result.message, result.line or 1, result.col)


@rule("MAN003", "root-not-modification", "error", ("3.0", "4.1"))
def root_not_modification(ctx: Context) -> Iterator[Result]:
    """The root element of install.xml is not ``<modification>``.

    Refresh looks for an element named exactly ``modification`` (lowercase). Without one,
    OpenCart 3.0.0.0–3.0.5.0 stops Refresh with a fatal error; 3.0.5.1 skips the file.

    Fail: ``<Modification>…</Modification>`` or ``<mod>…</mod>``
    Pass: ``<modification>…</modification>``
    """
    manifest = ctx.manifest
    if manifest is not None and manifest.root_tag != "modification":
        yield Finding(ctx.manifest_path, f"root element is <{manifest.root_tag}>, expected <modification>", 1, 1)


@rule("MAN004", "code-missing", "error", ("3.0",))
def code_missing(ctx: Context) -> Iterator[Result]:
    """install.xml has no ``<code>``, or it is empty.

    ``<code>`` is the only field OpenCart 3.0's installer requires; it identifies the
    modification, and a later package with the same code silently replaces it. An empty code
    is accepted by OpenCart but collides with every other empty code.

    Fail: ``<modification><name>X</name></modification>``
    Pass: ``<modification><name>X</name><code>vendor_x</code></modification>``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    node = manifest.fields.get("code")
    if node is None:
        yield Finding(ctx.manifest_path, "no <code> element: OpenCart refuses the package", manifest.modification_line, 1)
    elif not node.raw_text.strip():
        yield Finding(ctx.manifest_path, "<code> is empty", node.line, node.col)


@rule("MAN005", "name-missing", "error", ("3.0", "4.1"))
def name_missing(ctx: Context) -> Iterator[Result]:
    """install.xml has no ``<name>``, or it is empty.

    The name is what the store owner sees under Extensions > Modifications, and OpenCart
    applies modifications in order of name, so an empty name makes the order unpredictable.

    Fail: ``<modification><code>x</code></modification>``
    Pass: ``<modification><name>My Extension</name><code>x</code></modification>``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    node = manifest.fields.get("name")
    if node is None:
        yield Finding(ctx.manifest_path, "no <name> element", manifest.modification_line, 1)
    elif not node.raw_text.strip():
        yield Finding(ctx.manifest_path, "<name> is empty", node.line, node.col)
