"""ANC — OCMOD anchors simulated against real OpenCart trees (``validate --opencart``).

Each finding sits at the XML operation's own line and column and names the target file and the
OpenCart version. Most need OpenCart trees (``needs_opencart``) and run only when some are given;
ANC008 and ANC009 judge the paths alone, ANC012–ANC014 need other modifications (``--with``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Severity
from .anchor_hints import case_fragment, closest_line, closest_paths, difference, exact_line, found_elsewhere, index_map, quote
from .base import Context, Finding, Result, rule

if TYPE_CHECKING:  # the engine is imported only when there is something to simulate
    from ..engine import Outcome
    from ..simulate import Simulation

_NO_EFFECT_SUFFIXES = (".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf")
_NO_EFFECT_FILES = ("system/helper/general.php", "system/helper/utf8.php", "system/framework.php")


def _sims(ctx: Context) -> list[Simulation]:
    """The simulations for this context, run once (by the context) and shared by every ANC rule."""
    return ctx.simulations


def _ours(ctx: Context) -> Iterator[tuple[Simulation, Outcome]]:
    for sim in _sims(ctx):
        if sim.result is None:
            continue
        for outcome in sim.result.outcomes:
            if sim.is_ours(outcome.mod):
                yield sim, outcome


def _where(outcome: Outcome) -> tuple[int, int]:
    return outcome.operation.line, outcome.operation.col


@rule("ANC001", "search-not-found", "error", ("3.0", "4.1"), needs_opencart=True)
def search_not_found(ctx: Context) -> Iterator[Result]:
    """A search matches no line of its target file in the given OpenCart version.

    OpenCart then logs "NOT FOUND" and, depending on ``error``, skips the operation
    (``skip``, reported here as a warning), skips the rest of this file's operations (default),
    or rolls back the whole modification (``abort``). The store shows nothing.

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<li><a href="{{ logout }}">{{ text_logout }}</a></li>]]></search>
              <add position="after"><![CDATA[<li>x</li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/common/column_left.twig
        <nav id="column-left">
          <ul id="menu">
            <li><a href="{{ logout }}"><i class="fa fa-sign-out"></i> {{ text_logout }}</a></li>
          </ul>
        </nav>
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<li><a href="{{ logout }}">{{ text_logout }}</a></li>]]></search>
              <add position="after"><![CDATA[<li>x</li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/common/column_left.twig
        <nav id="column-left">
          <ul id="menu">
            <li><a href="{{ logout }}"><i class="fa fa-sign-out"></i> {{ text_logout }}</a></li>
          </ul>
        </nav>
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[{{ text_logout }}</a></li>]]></search>
              <add position="after"><![CDATA[<li>x</li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/common/column_left.twig
        <nav id="column-left">
          <ul id="menu">
            <li><a href="{{ logout }}"><i class="fa fa-sign-out"></i> {{ text_logout }}</a></li>
          </ul>
        </nav>
    """
    for sim, outcome in _ours(ctx):
        if outcome.status == "not-found" and not outcome.regex_invalid:
            line, col = _where(outcome)
            severity = Severity.WARNING if outcome.error_mode == "skip" else None
            search = outcome.operation.search
            text = search.text if search is not None else ""
            if search is not None and search.attrs.get("regex") == "true":
                hint = f"the pattern matches nothing in {outcome.key} of OpenCart {sim.tree.version}; a regex search runs over the whole file, so try it on the file's text with preg_match()"
            else:
                hint = _not_found_hint(sim, outcome.key, text)
            yield Finding(sim.path_of(outcome.mod), f"search not found in {outcome.key} (OpenCart {sim.tree.version}; error mode {outcome.error_mode})", line, col, severity=severity, hint=hint)


def _not_found_hint(sim: Simulation, key: str, search: str) -> str:
    """The line of ``key`` the search probably meant, or the sibling file that has it."""
    original = sim.tree.read(key)
    holder = found_elsewhere(search, [(key, original)])
    if holder is not None:
        return f"line {holder[1]} of the original file holds it: an earlier operation (of this or another modification) changed that line before this one ran"
    folder, _, name = key.rpartition("/")
    siblings = [(k, sim.tree.read(k)) for k in sim.tree.glob(f"{folder}/*.{name.rsplit('.', 1)[-1]}") if k != key]
    elsewhere = found_elsewhere(search, siblings)
    if elsewhere is not None:
        return f"{elsewhere[0]} has it on line {elsewhere[1]} (OpenCart {sim.tree.version}): is that the file meant?"
    near = closest_line(original, search)
    # A file next to the target that holds clearly more of the search is the likelier target.
    rivals = [(found, k) for k, text in siblings if (found := closest_line(text, search)) is not None]
    rival = max(rivals, key=lambda r: r[0][2], default=None)
    if rival is not None and rival[0][2] > (near[2] if near else 0) + 0.1:
        (number, line, _share), other = rival
        return f"{other} comes closer (line {number} {quote(line)}; {difference(search, line)}): is that the file meant?"
    if near is None:
        return f"no line of {key} (OpenCart {sim.tree.version}) resembles the search: is it the right file and version?"
    return f"closest: line {near[0]} {quote(near[1])}; {difference(search, near[1])}"


@rule("ANC002", "search-matches-several-lines", "warning", ("3.0", "4.1"), needs_opencart=True)
def search_matches_several_lines(ctx: Context) -> Iterator[Result]:
    """A search without ``index`` matches more than one line, so every one of them is changed.

    OCMOD matching is a case-insensitive substring test on each line; without ``index`` (0-based)
    every matching line gets the insertion or replacement.

    Fail::

        === install.xml
        <modification>
          <name>Order info</name>
          <code>vendor_order_info</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<div class="panel-body">]]></search>
              <add position="after"><![CDATA[<div id="vendor-tracking"></div>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/sale/order_info.twig
        <div class="panel panel-default">
          <div class="panel-body">{{ text_order_detail }}</div>
        </div>
        <div class="panel panel-default">
          <div class="panel-body">{{ text_customer }}</div>
        </div>
        <div class="panel panel-default">
          <div class="panel-body">{{ text_history }}</div>
        </div>
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Order info</name>
          <code>vendor_order_info</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<div class="panel-body">]]></search>
              <add position="after"><![CDATA[<div id="vendor-tracking"></div>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/sale/order_info.twig
        <div class="panel panel-default">
          <div class="panel-body">{{ text_order_detail }}</div>
        </div>
        <div class="panel panel-default">
          <div class="panel-body">{{ text_customer }}</div>
        </div>
        <div class="panel panel-default">
          <div class="panel-body">{{ text_history }}</div>
        </div>
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Order info</name>
          <code>vendor_order_info</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search index="2"><![CDATA[<div class="panel-body">]]></search>
              <add position="after"><![CDATA[<div id="vendor-tracking"></div>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/sale/order_info.twig
        <div class="panel panel-default">
          <div class="panel-body">{{ text_order_detail }}</div>
        </div>
        <div class="panel panel-default">
          <div class="panel-body">{{ text_customer }}</div>
        </div>
        <div class="panel panel-default">
          <div class="panel-body">{{ text_history }}</div>
        </div>
    """
    for sim, outcome in _ours(ctx):
        if outcome.operation.search is not None and "index" not in outcome.operation.search.attrs and outcome.operation.search.attrs.get("regex") != "true" and len(outcome.candidates) > 1:
            line, col = _where(outcome)
            lines = ", ".join(str(n) for n in outcome.candidates[:12]) + (" …" if len(outcome.candidates) > 12 else "")
            original = sim.tree.read(outcome.key)
            hint = "add index to pick the one(s) meant: " + index_map(original, outcome.candidates)
            exact = exact_line(original, outcome.candidates, outcome.operation.search.text)
            if exact is not None:
                hint += f"; line {exact} is the only line that is exactly the search"
            if outcome.total_matches != len(outcome.candidates):
                hint += "; lines inserted by earlier operations match too and are counted by index"
            yield Finding(sim.path_of(outcome.mod), f"search matches {len(outcome.candidates)} lines of {outcome.key} (OpenCart {sim.tree.version}): lines {lines}", line, col, hint=hint)


@rule("ANC003", "index-out-of-range", "error", ("3.0", "4.1"), needs_opencart=True)
def index_out_of_range(ctx: Context) -> Iterator[Result]:
    """An ``index`` names an occurrence that does not exist (OCMOD indexes are 0-based).

    The operation then acts on fewer lines than intended, or on none.

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search index="1"><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = $this->config->get('module_vendor_banner');]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/common/header.php
        <?php
        class ControllerCommonHeader extends Controller {
            public function index() {
                $data['title'] = $this->document->getTitle();
                $data['base'] = $server;
            }
        }
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search index="1"><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = $this->config->get('module_vendor_banner');]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: catalog/controller/common/header.php
        <?php
        class ControllerCommonHeader extends Controller {
            public function index() {
                $data['title'] = $this->document->getTitle();
                $data['base'] = $server;
            }
        }
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search index="0"><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after"><![CDATA[$data['vendor_banner'] = $this->config->get('module_vendor_banner');]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/common/header.php
        <?php
        class ControllerCommonHeader extends Controller {
            public function index() {
                $data['title'] = $this->document->getTitle();
                $data['base'] = $server;
            }
        }
    """
    for sim, outcome in _ours(ctx):
        search = outcome.operation.search
        if search is None or "index" not in search.attrs or search.attrs.get("regex") == "true":
            continue
        wanted = [p.strip() for p in search.attrs["index"].split(",") if p.strip()]
        missing = [p for p in wanted if not p.lstrip("-").isdigit() or int(p) >= outcome.total_matches or int(p) < 0]
        if missing:
            line, col = _where(outcome)
            if outcome.total_matches == 0:
                hint = "the search matches no line (ANC001 shows the closest): fix the search first"
            else:
                hint = f"the search matches {outcome.total_matches} line(s)"
                if len(outcome.candidates) == outcome.total_matches:
                    hint += ": " + index_map(sim.tree.read(outcome.key), outcome.candidates)
                else:
                    hint += f' (lines inserted by earlier operations included): index="0" to index="{outcome.total_matches - 1}"'
                one_based = [p for p in missing if p.isdigit() and 0 < int(p) <= outcome.total_matches]
                if one_based and len(one_based) == len(missing):
                    hint += f'; OCMOD counts from 0 (vQmod from 1), so index="{",".join(str(int(p) - 1) for p in one_based)}" is probably meant'
            yield Finding(sim.path_of(outcome.mod), f"index {','.join(missing)} out of range: the search matches {outcome.total_matches} line(s) of {outcome.key} "
                f"(OpenCart {sim.tree.version}; indexes are 0-based)", line, col, hint=hint)


@rule("ANC004", "path-matches-no-file", "error", ("3.0", "4.1"), needs_opencart=True)
def path_matches_no_file(ctx: Context) -> Iterator[Result]:
    """A ``<file path>`` part matches no file of the OpenCart tree; OpenCart skips it silently.

    No log line, no error mode: the operations under it never run. Common causes: a file that
    moved between versions, a typo, spaces around ``|``, or a prefix other than admin/catalog/system.

    Fail::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/menu.twig">
            <operation>
              <search><![CDATA[<ul id="menu">]]></search>
              <add position="after"><![CDATA[<li id="menu-vendor">Vendor</li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/common/column_left.twig
        <nav id="column-left">
          <ul id="menu">
          </ul>
        </nav>
        === expect: install.xml:4

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/menu.twig">
            <operation>
              <search><![CDATA[<ul id="menu">]]></search>
              <add position="after"><![CDATA[<li id="menu-vendor">Vendor</li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/common/column_left.twig
        <nav id="column-left">
          <ul id="menu">
          </ul>
        </nav>
        === expect: ocmod/vendor_x.ocmod.xml:4

    Pass::

        === install.xml
        <modification>
          <name>Menu</name>
          <code>vendor_menu</code>
          <file path="admin/view/template/common/column_left.twig">
            <operation>
              <search><![CDATA[<ul id="menu">]]></search>
              <add position="after"><![CDATA[<li id="menu-vendor">Vendor</li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/common/column_left.twig
        <nav id="column-left">
          <ul id="menu">
          </ul>
        </nav>
    """
    for sim in _sims(ctx):
        if sim.result is None:
            continue
        names: list[str] | None = None  # the tree's files, listed once and only for a miss
        for miss in sim.result.misses:
            if sim.is_ours(miss.mod):
                if miss.reason != "matches no file":
                    hint = "start the path with admin/, catalog/ or system/, relative to the store root (MAN008 says more)"
                else:
                    names = sim.tree.names if names is None else names
                    close = closest_paths(miss.part.strip(), names)
                    if len(close) == 1:
                        hint = f"OpenCart {sim.tree.version} has {close[0]}: did you mean it?"
                    elif close:
                        hint = f"OpenCart {sim.tree.version} has {' and '.join(close)}: did you mean one of them?"
                    else:
                        hint = f"no file of OpenCart {sim.tree.version} comes close: check the version the path exists in, or remove the <file> block"
                yield Finding(sim.path_of(miss.mod), f"path part {miss.part!r} {miss.reason} (OpenCart {sim.tree.version})", miss.block.line, miss.block.col, hint=hint)


@rule("ANC005", "replace-case-only-match", "warning", ("3.0", "4.1"), needs_opencart=True)
def replace_case_only_match(ctx: Context) -> Iterator[Result]:
    """A replace matched a line only case-insensitively, so nothing was replaced.

    Matching is case-insensitive but the replacement is case-sensitive (``str_replace``): the
    operation counts as found and changes nothing.

    Fail::

        === install.xml
        <modification>
          <name>Order date</name>
          <code>vendor_order_date</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[{{ DATE_ADDED }}]]></search>
              <add position="replace"><![CDATA[{{ date_added }} ({{ vendor_age }})]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/sale/order_info.twig
        <td>{{ date_added }}</td>
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Order date</name>
          <code>vendor_order_date</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[{{ DATE_ADDED }}]]></search>
              <add position="replace"><![CDATA[{{ date_added }} ({{ vendor_age }})]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/sale/order_info.twig
        <td>{{ date_added }}</td>
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Order date</name>
          <code>vendor_order_date</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[{{ date_added }}]]></search>
              <add position="replace"><![CDATA[{{ date_added }} ({{ vendor_age }})]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/sale/order_info.twig
        <td>{{ date_added }}</td>
    """
    for sim, outcome in _ours(ctx):
        if outcome.case_only:
            line, col = _where(outcome)
            source = sim.tree.read(outcome.key).split("\n")
            search = outcome.operation.search.text if outcome.operation.search is not None else ""
            first = outcome.case_only[0]
            fragment = case_fragment(source[first - 1], search) if 0 < first <= len(source) else None
            hint = f"write the search in the file's case: {quote(fragment)} (line {first})" if fragment else "write the search exactly as the file has it, letter case included"
            yield Finding(sim.path_of(outcome.mod), f"replace matched {outcome.key} line(s) {', '.join(map(str, outcome.case_only))} only by case; "
                f"nothing is replaced (OpenCart {sim.tree.version})", line, col, hint=hint)


@rule("ANC006", "after-offset-rematch", "warning", ("3.0", "4.1"), needs_opencart=True)
def after_offset_rematch(ctx: Context) -> Iterator[Result]:
    """An ``after`` insertion with a positive offset contains the search text and matched again.

    OpenCart re-scans the inserted lines in that case, inserting the text repeatedly.

    With ``index``, the inserted lines are counted as matches too, so indexes past the first
    insertion may select inserted text instead of the lines meant.

    Fail::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[data-toggle="tab">{{ tab_general }}]]></search>
              <add position="after" offset="1"><![CDATA[<li><a href="#tab-vendor" data-toggle="tab">{{ tab_general }} (Vendor)</a></li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/catalog/product_form.twig
        <ul class="nav nav-tabs">
          <li class="active"><a href="#tab-general" data-toggle="tab">{{ tab_general }}</a></li>
          <li><a href="#tab-data" data-toggle="tab">{{ tab_data }}</a></li>
        </ul>
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[data-toggle="tab">{{ tab_general }}]]></search>
              <add position="after" offset="1"><![CDATA[<li><a href="#tab-vendor" data-toggle="tab">{{ tab_general }} (Vendor)</a></li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/catalog/product_form.twig
        <ul class="nav nav-tabs">
          <li class="active"><a href="#tab-general" data-toggle="tab">{{ tab_general }}</a></li>
          <li><a href="#tab-data" data-toggle="tab">{{ tab_data }}</a></li>
        </ul>
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Product tab</name>
          <code>vendor_product_tab</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[data-toggle="tab">{{ tab_general }}]]></search>
              <add position="after" offset="1"><![CDATA[<li><a href="#tab-vendor" data-toggle="tab">{{ tab_vendor }}</a></li>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/catalog/product_form.twig
        <ul class="nav nav-tabs">
          <li class="active"><a href="#tab-general" data-toggle="tab">{{ tab_general }}</a></li>
          <li><a href="#tab-data" data-toggle="tab">{{ tab_data }}</a></li>
        </ul>
    """
    for sim, outcome in _ours(ctx):
        if outcome.rematched:
            line, col = _where(outcome)
            search = outcome.operation.search.text.strip() if outcome.operation.search is not None else ""
            hint = f"keep {quote(search)} out of the added text, or anchor on the line the text goes after and use offset=\"0\""
            if outcome.operation.search is not None and "index" in outcome.operation.search.attrs:
                yield Finding(sim.path_of(outcome.mod), f"inserted text re-matched its own search in {outcome.key}; with index, inserted lines are counted as matches "
                    f"(OpenCart {sim.tree.version})", line, col, hint=hint)
            else:
                yield Finding(sim.path_of(outcome.mod), f"inserted text re-matched its own search in {outcome.key}; the insertion repeats (OpenCart {sim.tree.version})", line, col, hint=hint)


@rule("ANC007", "regex-blanks-file", "error", ("3.0", "4.1"), needs_opencart=True)
def regex_blanks_file(ctx: Context) -> Iterator[Result]:
    r"""A regex search is not a valid PHP PCRE pattern: the target file is blanked at runtime.

    ``preg_replace`` returns null for an invalid pattern and OpenCart writes an empty file to the
    modification cache, which the store then includes instead of the real one.

    Fail::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = ((.*);~]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1;]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/product/product.php
        <?php
        $data['price'] = $this->currency->format($price, $currency);
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = ((.*);~]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1;]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: catalog/controller/product/product.php
        <?php
        $data['price'] = $this->currency->format($price, $currency);
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = (.*);~]]></search>
              <add position="replace"><![CDATA[$data['price'] = $1;]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/product/product.php
        <?php
        $data['price'] = $this->currency->format($price, $currency);
    """
    from .man import php_pattern_errors, regex_fix

    for sim, outcome in _ours(ctx):
        if outcome.regex_invalid:
            line, col = _where(outcome)
            pattern = outcome.operation.search.text.strip() if outcome.operation.search is not None else ""
            php = php_pattern_errors([pattern], ctx.verdicts)  # PHP's own words, when php is there
            yield Finding(sim.path_of(outcome.mod), f"invalid PCRE pattern: {outcome.key} would be written empty (OpenCart {sim.tree.version})", line, col,
                hint=regex_fix(pattern, php[pattern] if php else None))


@rule("ANC008", "target-without-runtime-effect", "warning")
def target_without_runtime_effect(ctx: Context) -> Iterator[Result]:
    """A modification targets a file OpenCart never reads through the modification cache.

    JS, CSS and images are served by the web server; ``system/helper/general.php``,
    ``utf8.php`` and ``framework.php`` are included directly. The modified copy is written and
    never used.

    Fail::

        === install.xml
        <modification>
          <name>Cart button</name>
          <code>vendor_cart_button</code>
          <file path="catalog/view/javascript/common.js">
            <operation>
              <search><![CDATA[var cart = {]]></search>
              <add position="before"><![CDATA[var vendorCart = {};]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:4

    Pass::

        === install.xml
        <modification>
          <name>Cart button</name>
          <code>vendor_cart_button</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="before"><![CDATA[$this->document->addScript('catalog/view/javascript/vendor/cart.js');]]></add>
            </operation>
          </file>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        for part in (block.path or "").split("|"):
            if part.lower().endswith(_NO_EFFECT_SUFFIXES) or part in _NO_EFFECT_FILES:
                if part in _NO_EFFECT_FILES:
                    hint = "put the code in a file of the extension (upload/system/library/<vendor>/…) and load it where it is needed, or hook an event"
                elif part.lower().endswith((".js", ".css")):
                    side = part.split("/", 1)[0]
                    kind = "javascript" if part.lower().endswith(".js") else "stylesheet"
                    adder = "addScript" if kind == "javascript" else "addStyle"
                    hint = (f"ship the code as a file of the extension (upload/{side}/view/javascript/<vendor>/…) and load it with $this->document->{adder}() "
                        "from the controller (itself changed by install.xml or an event)") if kind == "javascript" else (
                        f"ship a stylesheet of the extension (upload/{part.rsplit('/', 1)[0]}/<vendor>.css) and load it with $this->document->addStyle()")
                else:
                    hint = "ship the image as a new file under upload/ (image/catalog/<vendor>/…) and point the template to it"
                yield Finding(ctx.manifest_path, f"{part!r} is not read through the modification cache; the change has no effect", block.line, block.col, hint=hint)


@rule("ANC009", "catalog-template-outside-theme", "warning")
def catalog_template_outside_theme(ctx: Context) -> Iterator[Result]:
    """A catalog template path is not under ``catalog/view/theme/<theme>/template/``.

    OpenCart 3.0 looks for modified catalog templates in the theme folder actually used; a
    path elsewhere never applies.

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/view/template/common/header.twig">
            <operation>
              <search><![CDATA[<div id="top-links" class="nav pull-right">]]></search>
              <add position="before"><![CDATA[<div id="vendor-notice"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:4

    Pass::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/view/theme/*/template/common/header.twig">
            <operation>
              <search><![CDATA[<div id="top-links" class="nav pull-right">]]></search>
              <add position="before"><![CDATA[<div id="vendor-notice"></div>]]></add>
            </operation>
          </file>
        </modification>
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        for part in (block.path or "").split("|"):
            if part.startswith("catalog/view/") and part.endswith(".twig") and not part.startswith("catalog/view/theme/"):
                rest = part[len("catalog/view/") :]
                rest = rest[len("template/") :] if rest.startswith("template/") else rest
                yield Finding(ctx.manifest_path, f"{part!r} is outside catalog/view/theme/<theme>/template/", block.line, block.col,
                    hint=f"write catalog/view/theme/*/template/{rest} (every installed theme) or catalog/view/theme/default/template/{rest}")


@rule("ANC010", "abort-cancels-other-modifications", "warning", needs_opencart=True)
def abort_cancels_other_modifications(ctx: Context) -> Iterator[Result]:
    """An ``error="abort"`` operation failed, and in 3.0 every later modification was dropped.

    OpenCart 3.0 leaves its whole loop on abort: modifications sorted after this one by name
    (other vendors' extensions) are not applied at all.

    Fail::

        === install.xml
        <modification>
          <name>Checkout tracking</name>
          <code>vendor_checkout_tracking</code>
          <file path="catalog/controller/checkout/success.php">
            <operation error="abort">
              <search><![CDATA[$this->cart->clear();]]></search>
              <add position="after"><![CDATA[$this->load->controller('extension/module/vendor_tracking');]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/checkout/success.php
        <?php
        class ControllerCheckoutSuccess extends Controller {
            public function index() {
                $this->load->language('checkout/success');
            }
        }
        === with: zeta-shipping.ocmod.xml
        <modification>
          <name>Zeta shipping</name>
          <code>zeta_shipping</code>
          <file path="catalog/controller/checkout/success.php">
            <operation>
              <search><![CDATA[$this->load->language('checkout/success');]]></search>
              <add position="after"><![CDATA[$this->load->language('extension/shipping/zeta');]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Checkout tracking</name>
          <code>vendor_checkout_tracking</code>
          <file path="catalog/controller/checkout/success.php">
            <operation error="skip">
              <search><![CDATA[$this->cart->clear();]]></search>
              <add position="after"><![CDATA[$this->load->controller('extension/module/vendor_tracking');]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/checkout/success.php
        <?php
        class ControllerCheckoutSuccess extends Controller {
            public function index() {
                $this->load->language('checkout/success');
            }
        }
    """
    for sim in _sims(ctx):
        if sim.result is None:
            continue
        cancelled = [s.manifest.name or "(no name)" for s in sim.result.mods if s.cancelled_by is not None and sim.is_ours(s.cancelled_by)]
        for outcome in sim.result.outcomes:
            if sim.is_ours(outcome.mod) and outcome.error_mode == "abort" and outcome.status == "not-found":
                line, col = _where(outcome)
                names = ", ".join(cancelled) if cancelled else "none in this tree"
                yield Finding(sim.path_of(outcome.mod), f"abort in {outcome.key} cancels every later modification (OpenCart {sim.tree.version}): {names}", line, col,
                    hint='use error="skip" (only this operation is left out when its anchor is missing), and fix the search for this release (see ANC001)')


@rule("ANC011", "refresh-fatal-error", "error", ("3.0", "4.1"), needs_opencart=True)
def refresh_fatal_error(ctx: Context) -> Iterator[Result]:
    """Applying the modifications stops Refresh with a PHP fatal error.

    A non-numeric ``offset`` or ``limit`` (TypeError on PHP 8; OpenCart 4.1 casts them to numbers
    instead) or an operation without search or add kills Refresh: the cache stays empty and the
    store stays in maintenance mode.

    Fail::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after" offset="two"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/common/header.php
        <?php
        $data['title'] = $this->document->getTitle();
        $data['base'] = $server;
        $data['description'] = $this->document->getDescription();
        === expect: install.xml:1

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_header.ocmod.xml
        <modification>
          <name>Header</name>
          <file path="catalog/controller/common/header.php">
            <operation>
              <add position="after"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: catalog/controller/common/header.php
        <?php
        $data['title'] = $this->document->getTitle();
        === expect: ocmod/vendor_header.ocmod.xml:1

    Pass::

        === install.xml
        <modification>
          <name>Header</name>
          <code>vendor_header</code>
          <file path="catalog/controller/common/header.php">
            <operation>
              <search><![CDATA[$data['title'] = $this->document->getTitle();]]></search>
              <add position="after" offset="2"><![CDATA[$data['vendor_banner'] = true;]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/common/header.php
        <?php
        $data['title'] = $this->document->getTitle();
        $data['base'] = $server;
        $data['description'] = $this->document->getDescription();
    """
    from .man import attribute_fix

    for sim in _sims(ctx):
        if sim.result is None:
            attribute = re.match(r"(offset|limit): non-numeric value '(.*)'", sim.fatal)
            if attribute:
                hint = attribute_fix(attribute.group(1), attribute.group(2))
            elif "without <search> or <add>" in sim.fatal:
                hint = "give every <operation> exactly one <search> and one <add> (MAN009 shows which)"
            else:
                hint = "fix what the message names (the MAN rules point at the operation); until then Refresh leaves the store in maintenance mode"
            yield Finding(sim.ours[0].path, f"Refresh dies with a fatal error (OpenCart {sim.tree.version}): {sim.fatal}", 1, 1, hint=hint)


@rule("ANC012", "same-line-changed-by-two-modifications", "warning", ("3.0", "4.1"), needs_opencart=True, needs_with=True)
def same_line_changed_by_two(ctx: Context) -> Iterator[Result]:
    """This package and another modification (``--with``) both change the same line of a file.

    Whichever is applied later (by name) sees the other's result; the two may undo or duplicate
    each other.

    Fail::

        === install.xml
        <modification>
          <name>Vendor tabs</name>
          <code>vendor_tabs</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-content">]]></search>
              <add position="after"><![CDATA[<div class="tab-pane" id="tab-vendor"></div>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/catalog/product_form.twig
        <form id="form-product">
          <div class="tab-content">
            <div class="tab-pane active" id="tab-general"></div>
          </div>
        </form>
        === with: another-seo.ocmod.xml
        <modification>
          <name>Another SEO</name>
          <code>another_seo</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-content">]]></search>
              <add position="after"><![CDATA[<div class="tab-pane" id="tab-another-seo"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Vendor tabs</name>
          <code>vendor_tabs</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-content">]]></search>
              <add position="after"><![CDATA[<div class="tab-pane" id="tab-vendor"></div>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/catalog/product_form.twig
        <form id="form-product">
          <div class="tab-content">
            <div class="tab-pane active" id="tab-general"></div>
          </div>
        </form>
        === with: another-seo.ocmod.xml
        <modification>
          <name>Another SEO</name>
          <code>another_seo</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-content">]]></search>
              <add position="after"><![CDATA[<div class="tab-pane" id="tab-another-seo"></div>]]></add>
            </operation>
          </file>
        </modification>
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Vendor tabs</name>
          <code>vendor_tabs</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-pane active" id="tab-general"></div>]]></search>
              <add position="after"><![CDATA[<div class="tab-pane" id="tab-vendor"></div>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/catalog/product_form.twig
        <form id="form-product">
          <div class="tab-content">
            <div class="tab-pane active" id="tab-general"></div>
          </div>
        </form>
        === with: another-seo.ocmod.xml
        <modification>
          <name>Another SEO</name>
          <code>another_seo</code>
          <file path="admin/view/template/catalog/product_form.twig">
            <operation>
              <search><![CDATA[<div class="tab-content">]]></search>
              <add position="after"><![CDATA[<div class="tab-pane" id="tab-another-seo"></div>]]></add>
            </operation>
          </file>
        </modification>
    """
    for sim in _sims(ctx):
        if sim.result is None or not sim.others:
            continue
        ours = [o for o in sim.result.outcomes if sim.is_ours(o.mod) and o.status == "applied"]
        theirs = [o for o in sim.result.outcomes if not sim.is_ours(o.mod) and o.status == "applied" and sim.result.mods[o.mod].manifest in sim.others]
        for mine in ours:
            for other in theirs:
                if other.key == mine.key and set(other.matched) & set(mine.matched):
                    line, col = _where(mine)
                    name = sim.result.mods[other.mod].manifest.name or "(no name)"
                    shared = sorted(set(other.matched) & set(mine.matched))
                    source = sim.tree.read(mine.key).split("\n")
                    after = shared[0] + 1
                    neighbour = f" (e.g. line {after} {quote(source[after - 1])})" if after <= len(source) and source[after - 1].strip() else ""
                    first, second = (repr(name), "this one") if other.mod < mine.mod else ("this one", repr(name))
                    yield Finding(sim.path_of(mine.mod), f"{mine.key} line(s) {shared} are also changed by {name!r} (OpenCart {sim.tree.version})", line, col,
                        hint=f"anchor on a line {name!r} does not touch{neighbour}; OpenCart applies {first} first, then {second} (by name), so the later one sees the other's change")


@rule("ANC013", "anchor-removed-by-other-modification", "error", ("3.0", "4.1"), needs_opencart=True, needs_with=True)
def anchor_removed_by_other(ctx: Context) -> Iterator[Result]:
    """A search is found in the original file but not after the other modifications ran first.

    OpenCart applies modifications by name; another extension that replaced or removed the
    anchor line makes this one fail only in stores where both are installed.

    Fail::

        === install.xml
        <modification>
          <name>Vendor order date</name>
          <code>vendor_order_date</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<td>{{ date_added }}</td>]]></search>
              <add position="after"><![CDATA[<td>{{ vendor_shipped }}</td>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/sale/order_info.twig
        <tr>
          <td>{{ date_added }}</td>
          <td>{{ payment_method }}</td>
        </tr>
        === with: another-dates.ocmod.xml
        <modification>
          <name>Another dates</name>
          <code>another_dates</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<td>{{ date_added }}</td>]]></search>
              <add position="replace"><![CDATA[<td>{{ date_added|date('d.m.Y') }}</td>]]></add>
            </operation>
          </file>
        </modification>
        === expect: install.xml:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === ocmod/vendor_x.ocmod.xml
        <modification>
          <name>Vendor order date</name>
          <code>vendor_order_date</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<td>{{ date_added }}</td>]]></search>
              <add position="after"><![CDATA[<td>{{ vendor_shipped }}</td>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 4.1.0.4: admin/view/template/sale/order_info.twig
        <tr>
          <td>{{ date_added }}</td>
          <td>{{ payment_method }}</td>
        </tr>
        === with: another-dates.ocmod.xml
        <modification>
          <name>Another dates</name>
          <code>another_dates</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<td>{{ date_added }}</td>]]></search>
              <add position="replace"><![CDATA[<td>{{ date_added|date('d.m.Y') }}</td>]]></add>
            </operation>
          </file>
        </modification>
        === expect: ocmod/vendor_x.ocmod.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Vendor order date</name>
          <code>vendor_order_date</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<td>{{ payment_method }}</td>]]></search>
              <add position="before"><![CDATA[<td>{{ vendor_shipped }}</td>]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: admin/view/template/sale/order_info.twig
        <tr>
          <td>{{ date_added }}</td>
          <td>{{ payment_method }}</td>
        </tr>
        === with: another-dates.ocmod.xml
        <modification>
          <name>Another dates</name>
          <code>another_dates</code>
          <file path="admin/view/template/sale/order_info.twig">
            <operation>
              <search><![CDATA[<td>{{ date_added }}</td>]]></search>
              <add position="replace"><![CDATA[<td>{{ date_added|date('d.m.Y') }}</td>]]></add>
            </operation>
          </file>
        </modification>
    """
    for sim in _sims(ctx):
        if sim.result is None or not sim.others or sim.ours_index == 0:
            continue
        for outcome in sim.result.outcomes:
            if not sim.is_ours(outcome.mod) or outcome.status != "not-found" or outcome.operation.search is None:
                continue
            search = outcome.operation.search.text.strip().lower()
            original = sim.tree.read(outcome.key)
            if search and search in original.lower():
                line, col = _where(outcome)
                earlier = sorted({sim.result.mods[o.mod].manifest.name or "(no name)" for o in sim.result.outcomes
                    if o.key == outcome.key and o.mod < sim.ours_index and o.status == "applied" and sim.result.mods[o.mod].manifest in sim.others})
                where = next((n for n, text in enumerate(original.split("\n"), 1) if search in text.lower()), 0)
                who = ", ".join(repr(n) for n in earlier) or "another modification"
                yield Finding(sim.path_of(outcome.mod), f"the anchor exists in the original {outcome.key} but another modification applied earlier removed it (OpenCart {sim.tree.version})", line, col,
                    hint=f"{who} changes line {where} of {outcome.key} before this one runs: anchor on a neighbouring line it leaves intact, or search for the text as {who} leaves it")


@rule("ANC014", "duplicate-modification-code", "error", needs_with=True)
def duplicate_modification_code(ctx: Context) -> Iterator[Result]:
    """Another modification (``--with``) has the same ``<code>``.

    OpenCart 3.0 deletes the existing modification with that code when this one is installed,
    silently (the comparison ignores case and trailing spaces).

    Fail::

        === install.xml
        <modification><name>Our menu</name><code>custom_menu</code></modification>
        === with: other-vendor.ocmod.xml
        <modification><name>Their menu</name><code>custom_menu</code></modification>

    Pass::

        === install.xml
        <modification><name>Our menu</name><code>mestech_custom_menu</code></modification>
        === with: other-vendor.ocmod.xml
        <modification><name>Their menu</name><code>custom_menu</code></modification>
    """
    manifest = ctx.manifest
    if manifest is None or not ctx.with_paths or not manifest.code:
        return
    from ..simulate import load_others

    ours = manifest.code.rstrip().lower()
    for label, other in load_others(ctx.with_paths):
        if (other.code or "").rstrip().lower() == ours:
            node = manifest.fields["code"]
            vendor = re.sub(r"[^a-z0-9]+", "_", (manifest.value("author") or "vendor").strip().lower()).strip("_").split("_")[0] or "vendor"
            yield Finding(ctx.manifest_path, f"<code> {manifest.code!r} is also used by {label}; installing one silently deletes the other", node.line, node.col,
                hint=f"give this extension a code of its own, e.g. <code>{vendor}_{manifest.code.strip()}</code> (a vendor prefix keeps codes apart)")


@rule("ANC015", "operation-not-emulated", "warning", ("3.0", "4.1"), needs_opencart=True)
def operation_not_emulated(ctx: Context) -> Iterator[Result]:
    r"""An operation uses a construct the simulation cannot reproduce exactly; its result is unknown.

    Some PCRE features (``\K``, branch reset ``(?|…)``, recursion, backtracking verbs, ``\G``,
    ``\p{…}``, inline options in mid-pattern, a match that backtracks without end) have no exact
    equivalent in Python's ``re``. Rather than guess, the engine leaves the operation unapplied;
    what the simulation says about this target after it may differ from OpenCart.

    Fail::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~\$data\['price'\] = \K~]]></search>
              <add><![CDATA[$this->vendor->price() . ]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/product/product.php
        <?php
        $data['price'] = $this->currency->format($price, $currency);
        === expect: install.xml:5

    Pass::

        === install.xml
        <modification>
          <name>Price</name>
          <code>vendor_price</code>
          <file path="catalog/controller/product/product.php">
            <operation>
              <search regex="true"><![CDATA[~(\$data\['price'\] = )~]]></search>
              <add><![CDATA[$1$this->vendor->price() . ]]></add>
            </operation>
          </file>
        </modification>
        === opencart 3.0.3.8: catalog/controller/product/product.php
        <?php
        $data['price'] = $this->currency->format($price, $currency);
    """
    for sim, outcome in _ours(ctx):
        if outcome.status == "unsupported":
            line, col = _where(outcome)
            yield Finding(sim.path_of(outcome.mod), f"cannot simulate this operation on {outcome.key} exactly (OpenCart {sim.tree.version}): {outcome.message}", line, col,
                hint="write the pattern with plain groups and $1 references (no \\K, (?|…), recursion or verbs), or check this target by hand in a test store")
