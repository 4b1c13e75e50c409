"""PHP006 — every PHP file compiled by each PHP version the package promises to support.

The versions come from the project file (``php: "7.4 - 8.2"``, or per generation) or from
``--php``; the PHP of each version is a native ``phpX.Y`` or PHP compiled to WebAssembly
(ocmod_forge.phpversions). A version no PHP can be found for is a skipped check, never a pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from .. import phpversions
from ..errors import PhpVersionError
from ..toolinfo import file_identity
from .base import Context, Finding, Result, Skip, prefetch, rule

_STORE = "php-version-lint"


def _php_files(ctx: Context) -> dict[str, str]:
    return {path: ctx.text(path) for path in ctx.files(".php")}


def _salt(php: phpversions.Php) -> str:
    """What a stored verdict depends on: that PHP (its version and kind), and our lint script."""
    script = hashlib.sha256(phpversions.LINT_SCRIPT.read_bytes()).hexdigest() if phpversions.LINT_SCRIPT.is_file() else ""
    return "\0".join((php.label, *(file_identity(c) for c in php.command if "/" in c), script))


class _Check:
    """One version's lint: stored verdicts at once, the rest from one background PHP process."""

    def __init__(self, ctx: Context, version: str, files: dict[str, str]) -> None:
        self.version = version
        self.php = phpversions.find_php(version)
        self.known: dict[str, object] = {}
        self.todo: dict[str, str] = {}
        self.job: phpversions.LintJob | None = None
        if self.php is None or not files:
            return
        self.store = ctx.verdicts(_STORE, _salt(self.php))
        self.known, self.todo = self.store.split(files)
        if self.todo:
            self.job = phpversions.start_lint(self.php, self.todo)

    def verdicts(self) -> dict[str, object]:
        """path → [line, kind, message] or None; PhpVersionError when PHP could not answer."""
        if self.job is not None:
            job, self.job = self.job, None
            try:
                report = job.result()
            finally:
                job.close()
            fresh: dict[str, object] = {
                name: (None if error is None else [error.line, error.kind, error.message]) for name, error in report.errors.items()
            }
            self.store.store(self.todo, fresh)
            self.known.update(fresh)
        return self.known


@prefetch("PHP006")
def _start(ctx: Context) -> None:
    files = _php_files(ctx)
    ctx.background["PHP006"] = [_Check(ctx, version, files) for version in ctx.input.php_versions]


@rule("PHP006", "php-version-incompatible", "error", ("3.0", "4.0", "4.1"), needs_php_versions=True)
def php_version_incompatible(ctx: Context) -> Iterator[Result]:
    """A PHP file does not compile with a PHP version the package supports.

    ``php -l`` semantics (parse and compile, nothing executed) with the real PHP of each version
    named in the project file's ``php`` (for example ``php: "7.4 - 8.2"``: the lowest and the
    highest are checked) or with ``--php``: syntax newer than the oldest PHP (``match``, named
    arguments, ``readonly``, ``enum``) and constructs the newest PHP removed (``$s{0}``, ``(real)``,
    unbracketed nested ``?:``) break the store on those versions. The finding names the PHP that
    answered; without a PHP of that version (a native ``php7.4``, or the WebAssembly build from
    ``tools/php-wasm``) the version is reported as skipped, never as passed.

    Fail::

        === php: 7.4
        === upload/system/library/vendor/status.php
        <?php
        $label = match ($status) { 1 => 'on', default => 'off' };
        === expect: upload/system/library/vendor/status.php:2

    Pass::

        === php: 7.4
        === upload/system/library/vendor/status.php
        <?php
        $label = $status == 1 ? 'on' : 'off';
    """
    started = ctx.background.pop("PHP006", None)
    checks = started if isinstance(started, list) else [_Check(ctx, v, _php_files(ctx)) for v in ctx.input.php_versions]
    for check in checks:
        if not isinstance(check, _Check):
            continue
        if check.php is None:
            yield Skip(f"PHP {check.version}: {phpversions.missing_reason(check.version)}")
            continue
        try:
            verdicts = check.verdicts()
        except PhpVersionError as exc:
            yield Skip(f"PHP {check.version}: {exc}")
            continue
        for path, verdict in sorted(verdicts.items()):
            if isinstance(verdict, list) and len(verdict) == 3:
                line, kind, message = verdict
                yield Finding(
                    path,
                    f"{check.php.label}: {kind}: {message}",
                    int(line),
                    1,
                    hint=f"write it the way PHP {check.version} understands (the package promises PHP {', '.join(ctx.input.php_versions)}), or raise the project's php minimum",
                )
