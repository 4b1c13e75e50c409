"""ANC — OCMOD anchors simulated against real OpenCart trees (``validate --opencart``).

Each finding sits at the XML operation's own line and column and names the target file and the
OpenCart version. Without ``--opencart`` these rules have nothing to check and report nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Severity
from .base import Context, Finding, Result, rule

if TYPE_CHECKING:  # the engine is imported only when there is something to simulate
    from ..engine import Outcome
    from ..simulate import Simulation

_NO_EFFECT_SUFFIXES = (".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf")
_NO_EFFECT_FILES = ("system/helper/general.php", "system/helper/utf8.php", "system/framework.php")


def _sims(ctx: Context) -> list[Simulation]:
    """The simulations for this context, run once and shared by every ANC rule."""
    manifest = ctx.manifest
    if manifest is None or not ctx.opencart_paths:
        return []
    if "_simulations" not in ctx.options:
        from ..simulate import simulate

        ctx.options["_simulations"] = simulate(manifest, tuple(ctx.opencart_paths), tuple(ctx.with_paths))
    return ctx.options["_simulations"]  # type: ignore[return-value]


def _ours(ctx: Context) -> Iterator[tuple[Simulation, Outcome]]:
    for sim in _sims(ctx):
        if sim.result is None:
            continue
        for outcome in sim.result.outcomes:
            if outcome.mod == sim.ours_index:
                yield sim, outcome


def _where(outcome: Outcome) -> tuple[int, int]:
    return outcome.operation.line, outcome.operation.col


@rule("ANC001", "search-not-found", "error", ("3.0", "4.1"))
def search_not_found(ctx: Context) -> Iterator[Result]:
    """A search matches no line of its target file in the given OpenCart version.

    OpenCart then logs "NOT FOUND" and, depending on ``error``, skips the operation
    (``skip``, reported here as a warning), skips the rest of this file's operations (default),
    or rolls back the whole modification (``abort``). The store shows nothing.

    Fail: ``<search><![CDATA[{{ logout }}</a></li>]]></search>`` against 3.0's column_left.twig
    Pass: a search copied from one line of the target file in every supported release
    """
    for sim, outcome in _ours(ctx):
        if outcome.status == "not-found" and not outcome.regex_invalid:
            line, col = _where(outcome)
            severity = Severity.WARNING if outcome.error_mode == "skip" else None
            yield Finding(ctx.manifest_path, f"search not found in {outcome.key} (OpenCart {sim.tree.version}; error mode {outcome.error_mode})", line, col, severity=severity)


@rule("ANC002", "search-matches-several-lines", "warning", ("3.0", "4.1"))
def search_matches_several_lines(ctx: Context) -> Iterator[Result]:
    """A search without ``index`` matches more than one line, so every one of them is changed.

    OCMOD matching is a case-insensitive substring test on each line; without ``index`` (0-based)
    every matching line gets the insertion or replacement.

    Fail: ``<search><![CDATA[<div class="panel-body">]]></search>`` in order_info.twig (many lines)
    Pass: a search unique in the file, or ``index="0"`` for the intended occurrence
    """
    for sim, outcome in _ours(ctx):
        if outcome.operation.search is not None and "index" not in outcome.operation.search.attrs and outcome.operation.search.attrs.get("regex") != "true" and len(outcome.candidates) > 1:
            line, col = _where(outcome)
            lines = ", ".join(str(n) for n in outcome.candidates[:12]) + (" …" if len(outcome.candidates) > 12 else "")
            yield Finding(ctx.manifest_path, f"search matches {len(outcome.candidates)} lines of {outcome.key} (OpenCart {sim.tree.version}): lines {lines}", line, col)


@rule("ANC003", "index-out-of-range", "error", ("3.0", "4.1"))
def index_out_of_range(ctx: Context) -> Iterator[Result]:
    """An ``index`` names an occurrence that does not exist (OCMOD indexes are 0-based).

    The operation then acts on fewer lines than intended, or on none.

    Fail: ``index="1"`` when the search matches one line (vQmod's 1-based habit)
    Pass: ``index="0"``
    """
    for sim, outcome in _ours(ctx):
        search = outcome.operation.search
        if search is None or "index" not in search.attrs or search.attrs.get("regex") == "true":
            continue
        wanted = [p.strip() for p in search.attrs["index"].split(",") if p.strip()]
        missing = [p for p in wanted if not p.lstrip("-").isdigit() or int(p) >= outcome.total_matches or int(p) < 0]
        if missing:
            line, col = _where(outcome)
            yield Finding(ctx.manifest_path, f"index {','.join(missing)} out of range: the search matches {outcome.total_matches} line(s) of {outcome.key} "
                f"(OpenCart {sim.tree.version}; indexes are 0-based)", line, col)


@rule("ANC004", "path-matches-no-file", "error", ("3.0", "4.1"))
def path_matches_no_file(ctx: Context) -> Iterator[Result]:
    """A ``<file path>`` part matches no file of the OpenCart tree; OpenCart skips it silently.

    No log line, no error mode: the operations under it never run. Common causes: a file that
    moved between versions, a typo, spaces around ``|``, or a prefix other than admin/catalog/system.

    Fail: ``<file path="admin/view/template/common/menu.twig">`` (3.0 has column_left.twig)
    Pass: ``<file path="admin/view/template/common/column_left.twig">``
    """
    for sim in _sims(ctx):
        if sim.result is None:
            continue
        for miss in sim.result.misses:
            if miss.mod == sim.ours_index:
                yield Finding(ctx.manifest_path, f"path part {miss.part!r} {miss.reason} (OpenCart {sim.tree.version})", miss.block.line, miss.block.col)


@rule("ANC005", "replace-case-only-match", "warning", ("3.0", "4.1"))
def replace_case_only_match(ctx: Context) -> Iterator[Result]:
    """A replace matched a line only case-insensitively, so nothing was replaced.

    Matching is case-insensitive but the replacement is case-sensitive (``str_replace``): the
    operation counts as found and changes nothing.

    Fail: search ``SESSION`` with ``position="replace"`` against a line holding ``session``
    Pass: the search written with the file's exact case
    """
    for sim, outcome in _ours(ctx):
        if outcome.case_only:
            line, col = _where(outcome)
            yield Finding(ctx.manifest_path, f"replace matched {outcome.key} line(s) {', '.join(map(str, outcome.case_only))} only by case; "
                f"nothing is replaced (OpenCart {sim.tree.version})", line, col)


@rule("ANC006", "after-offset-rematch", "warning", ("3.0", "4.1"))
def after_offset_rematch(ctx: Context) -> Iterator[Result]:
    """An ``after`` insertion with a positive offset contains the search text and matched again.

    OpenCart re-scans the inserted lines in that case, inserting the text repeatedly.

    Fail: search ``foo``, ``<add position="after" offset="2">foo();</add>``
    Pass: offset 0, or add text that does not contain the search
    """
    for sim, outcome in _ours(ctx):
        if outcome.rematched:
            line, col = _where(outcome)
            yield Finding(ctx.manifest_path, f"inserted text re-matched its own search in {outcome.key}; the insertion repeats (OpenCart {sim.tree.version})", line, col)


@rule("ANC007", "regex-blanks-file", "error", ("3.0", "4.1"))
def regex_blanks_file(ctx: Context) -> Iterator[Result]:
    """A regex search is not a valid PHP PCRE pattern: the target file is blanked at runtime.

    ``preg_replace`` returns null for an invalid pattern and OpenCart writes an empty file to the
    modification cache, which the store then includes instead of the real one.

    Fail: ``<search regex="true">foo(</search>`` (no delimiters, unbalanced)
    Pass: ``<search regex="true"><![CDATA[~foo\\(~]]></search>``
    """
    for sim, outcome in _ours(ctx):
        if outcome.regex_invalid:
            line, col = _where(outcome)
            yield Finding(ctx.manifest_path, f"invalid PCRE pattern: {outcome.key} would be written empty (OpenCart {sim.tree.version})", line, col)


@rule("ANC008", "target-without-runtime-effect", "warning", ("3.0",))
def target_without_runtime_effect(ctx: Context) -> Iterator[Result]:
    """A modification targets a file OpenCart never reads through the modification cache.

    JS, CSS and images are served by the web server; ``system/helper/general.php``,
    ``utf8.php`` and ``framework.php`` are included directly. The modified copy is written and
    never used.

    Fail: ``<file path="catalog/view/javascript/common.js">``
    Pass: Twig templates, controllers, models, language files and libraries
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        for part in (block.path or "").split("|"):
            if part.lower().endswith(_NO_EFFECT_SUFFIXES) or part in _NO_EFFECT_FILES:
                yield Finding(ctx.manifest_path, f"{part!r} is not read through the modification cache; the change has no effect", block.line, block.col)


@rule("ANC009", "catalog-template-outside-theme", "warning", ("3.0",))
def catalog_template_outside_theme(ctx: Context) -> Iterator[Result]:
    """A catalog template path is not under ``catalog/view/theme/<theme>/template/``.

    OpenCart 3.0 looks for modified catalog templates in the theme folder actually used; a
    path elsewhere never applies.

    Fail: ``<file path="catalog/view/template/common/header.twig">``
    Pass: ``<file path="catalog/view/theme/default/template/common/header.twig">``
    """
    manifest = ctx.manifest
    if manifest is None:
        return
    for block in manifest.files:
        for part in (block.path or "").split("|"):
            if part.startswith("catalog/view/") and part.endswith(".twig") and not part.startswith("catalog/view/theme/"):
                yield Finding(ctx.manifest_path, f"{part!r} is outside catalog/view/theme/<theme>/template/", block.line, block.col)


@rule("ANC010", "abort-cancels-other-modifications", "warning", ("3.0",))
def abort_cancels_other_modifications(ctx: Context) -> Iterator[Result]:
    """An ``error="abort"`` operation failed, and in 3.0 every later modification was dropped.

    OpenCart 3.0 leaves its whole loop on abort: modifications sorted after this one by name
    (other vendors' extensions) are not applied at all.

    Fail: an aborting search not found, with other modifications installed after it
    Pass: ``error="skip"`` or ``error="log"``, or a search that matches
    """
    for sim in _sims(ctx):
        if sim.result is None:
            continue
        cancelled = [s.manifest.name or "(no name)" for s in sim.result.mods if s.cancelled_by == sim.ours_index]
        for outcome in sim.result.outcomes:
            if outcome.mod == sim.ours_index and outcome.error_mode == "abort" and outcome.status == "not-found":
                line, col = _where(outcome)
                names = ", ".join(cancelled) if cancelled else "none in this tree"
                yield Finding(ctx.manifest_path, f"abort in {outcome.key} cancels every later modification (OpenCart {sim.tree.version}): {names}", line, col)


@rule("ANC011", "refresh-fatal-error", "error", ("3.0", "4.1"))
def refresh_fatal_error(ctx: Context) -> Iterator[Result]:
    """Applying the modifications stops Refresh with a PHP fatal error.

    A non-numeric ``offset`` or ``limit`` (TypeError on PHP 8) or an operation without search or
    add kills Refresh: the cache stays empty and the store stays in maintenance mode.

    Fail: ``<add position="after" offset="two">``
    Pass: ``offset="2"``
    """
    for sim in _sims(ctx):
        if sim.result is None:
            yield Finding(ctx.manifest_path, f"Refresh dies with a fatal error (OpenCart {sim.tree.version}): {sim.fatal}", 1, 1)


@rule("ANC012", "same-line-changed-by-two-modifications", "warning", ("3.0", "4.1"))
def same_line_changed_by_two(ctx: Context) -> Iterator[Result]:
    """This package and another modification (``--with``) both change the same line of a file.

    Whichever is applied later (by name) sees the other's result; the two may undo or duplicate
    each other.

    Fail: two extensions that both insert after ``<div class="tab-content">`` in product_form.twig
    Pass: anchors on different lines
    """
    for sim in _sims(ctx):
        if sim.result is None or not sim.others:
            continue
        ours = [o for o in sim.result.outcomes if o.mod == sim.ours_index and o.status == "applied"]
        theirs = [o for o in sim.result.outcomes if o.mod != sim.ours_index and o.status == "applied" and sim.result.mods[o.mod].manifest in sim.others]
        for mine in ours:
            for other in theirs:
                if other.key == mine.key and set(other.matched) & set(mine.matched):
                    line, col = _where(mine)
                    name = sim.result.mods[other.mod].manifest.name or "(no name)"
                    yield Finding(ctx.manifest_path, f"{mine.key} line(s) {sorted(set(other.matched) & set(mine.matched))} are also changed by {name!r} (OpenCart {sim.tree.version})", line, col)


@rule("ANC013", "anchor-removed-by-other-modification", "error", ("3.0", "4.1"))
def anchor_removed_by_other(ctx: Context) -> Iterator[Result]:
    """A search is found in the original file but not after the other modifications ran first.

    OpenCart applies modifications by name; another extension that replaced or removed the
    anchor line makes this one fail only in stores where both are installed.

    Fail: another modification replaces the line this one searches for
    Pass: anchors the other modification leaves intact
    """
    for sim in _sims(ctx):
        if sim.result is None or not sim.others or sim.ours_index == 0:
            continue
        for outcome in sim.result.outcomes:
            if outcome.mod != sim.ours_index or outcome.status != "not-found" or outcome.operation.search is None:
                continue
            search = outcome.operation.search.text.strip().lower()
            if search and search in sim.tree.read(outcome.key).lower():
                line, col = _where(outcome)
                yield Finding(ctx.manifest_path, f"the anchor exists in the original {outcome.key} but another modification applied earlier removed it (OpenCart {sim.tree.version})", line, col)


@rule("ANC014", "duplicate-modification-code", "error", ("3.0",))
def duplicate_modification_code(ctx: Context) -> Iterator[Result]:
    """Another modification (``--with``) has the same ``<code>``.

    OpenCart 3.0 deletes the existing modification with that code when this one is installed,
    silently (the comparison ignores case and trailing spaces).

    Fail: two extensions both using ``<code>custom_menu</code>``
    Pass: vendor-prefixed codes (``mestech_meschain_sync``)
    """
    manifest = ctx.manifest
    if manifest is None or not ctx.with_paths or not manifest.code:
        return
    from ..simulate import load_others

    ours = manifest.code.rstrip().lower()
    for label, other in load_others(ctx.with_paths):
        if (other.code or "").rstrip().lower() == ours:
            node = manifest.fields["code"]
            yield Finding(ctx.manifest_path, f"<code> {manifest.code!r} is also used by {label}; installing one silently deletes the other", node.line, node.col)


@rule("ANC015", "operation-not-emulated", "warning", ("3.0", "4.1"))
def operation_not_emulated(ctx: Context) -> Iterator[Result]:
    """An operation uses a construct the simulation cannot reproduce exactly; its result is unknown.

    Some PCRE features (``\\K``, branch reset ``(?|…)``, recursion, backtracking verbs, inline
    options in mid-pattern …) have no exact equivalent in the engine. Rather than guess, the
    operation is left unapplied and the other ANC findings for this target may be incomplete.

    Fail: ``<search regex="true"><![CDATA[~<head>\\K~]]></search>``
    Pass: ``<search regex="true"><![CDATA[~(<head>)~]]></search>`` with ``$1`` in the add
    """
    for sim, outcome in _ours(ctx):
        if outcome.status == "unsupported":
            line, col = _where(outcome)
            yield Finding(ctx.manifest_path, f"cannot simulate this operation on {outcome.key} exactly (OpenCart {sim.tree.version}): {outcome.message}", line, col)
