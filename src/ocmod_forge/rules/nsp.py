"""NSP — PHP namespaces and classes of an OpenCart 4 package: the class OpenCart's Factory asks
for each controller and model file and the file its Autoloader includes for it (the round trip of
opencart4-facts §3.2), library namespaces, and the engine base classes (§4 C1–C3)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Severity
from ..installer4 import expected_class, namespace_segment
from ..versions import parse
from .base import Context, Finding, Result, rule
from .oc4 import PackageIdentity, PhpClass, package_classes, php_header, releases, usable_identity

_TARGETS = ("4.0", "4.1")
_ROUTED_RE = re.compile(r"(admin|catalog)/(controller|model)/.+\.php")


def _inferred(ident: PackageIdentity) -> str:
    return "" if ident.known else " (the code is inferred from the namespaces: validate the .ocmod.zip to check it against the file name)"


def _code(ident: PackageIdentity) -> str:
    return ident.code or "CODE"


@rule("NSP001", "class-not-autoloadable", "error", _TARGETS)
def class_not_autoloadable(ctx: Context) -> Iterator[Result]:
    """A controller or model file does not declare the class OpenCart 4 asks for, or its file name
    does not survive OpenCart's class → file mapping.

    For ``admin/controller/module/foo_bar.php`` of ``my_ext.ocmod.zip`` the route is
    ``extension/my_ext/module/foo_bar``; Factory builds the class with
    ``str_replace(['_', '/'], ['', '\\\\'], ucwords($route, '_/'))`` (4.1.0.4:F:42):
    ``Opencart\\Admin\\Controller\\Extension\\MyExt\\Module\\FooBar``. The Autoloader turns the part
    below the registered ``…\\Extension\\MyExt`` back into a file with
    ``strtolower(preg_replace('~([a-z])([A-Z]|[0-9])~', '\\1_\\2', …))`` (4.1.0.4:AL:78). Class names
    compare case-insensitively (PHP), file names exactly: ``tab2.php`` → ``Tab2`` → ``tab_2.php``
    is never found, nor is an upper-case file name. A missing namespace (an OpenCart 3.0 class) or
    another code's namespace segment is a "Could not load controller/model" error; a file with no
    class at all is a warning (it works only when included by hand).

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\MyOther\\Module;
        class MyExt extends \\Opencart\\System\\Engine\\Controller {}
        === expect: admin/controller/module/my_ext.php:2

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.0
        === install.json
        {"name": "X", "version": "1", "author": "A", "link": "https://example.com"}
        === admin/model/module/tab2.php
        <?php
        namespace Opencart\\Admin\\Model\\Extension\\MyExt\\Module;
        class Tab2 extends \\Opencart\\System\\Engine\\Model {}

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/module/my_ext.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\MyExt\\Module;
        class MYEXT extends \\Opencart\\System\\Engine\\Controller {}
    """
    ident = usable_identity(ctx)
    if ident is None or (ident.code is None and ident.segment is None):
        return
    code = ident.code or _snake(ident.segment or "")
    for path in ctx.files(".php"):
        if not _ROUTED_RE.fullmatch(path):
            continue
        expected = expected_class(path, code)
        if expected is None:
            continue
        expected_ns = expected.namespace
        if not ident.known:  # the inferred segment, in the case the package writes it
            expected_ns = expected_ns.replace(f"\\Extension\\{namespace_segment(code)}", f"\\Extension\\{ident.segment}", 1)
        text = ctx.text(path)
        header = php_header(text)
        want = f"{expected_ns}\\{expected.name}"
        if not expected.round_trip:
            line = header.classes[0].line if header.classes else 0
            yield Finding(path, f"OpenCart looks for class {expected.name} of this file in {expected.autoload_file!r}: "
                          "the file name does not survive the class → file mapping (digits, upper case, '__' or other characters)",
                          line, hint=f"rename the file so each part is lower-case words joined by '_' with no digit right after a letter (e.g. {_suggest(path)!r})")
        if not header.classes:
            if header.namespace is None and not text.lstrip().startswith("<?php") and "class" not in text:
                continue  # not PHP code (a template or data file with a .php name)
            # A function file included by hand works; as a route it is "Could not load".
            yield Finding(path, f"declares no class: a route to this file fails, OpenCart 4 loads {want} from it{_inferred(ident)}", 1,
                          hint=f"declare 'namespace {expected_ns};' and 'class {expected.name}' in it, or move the file out of {path.split('/')[0]}/{path.split('/')[1]}/",
                          severity=Severity.WARNING)
            continue
        if header.namespace is None:
            yield Finding(path, f"no namespace (OpenCart 3.0 class {header.classes[0].name}): OpenCart 4 loads {want} for this file{_inferred(ident)}", 1,
                          hint=f"start the file with 'namespace {expected_ns};' and name the class {expected.name}")
            continue
        if header.namespace.lower() != expected_ns.lower():
            yield Finding(path, f"namespace {header.namespace} but OpenCart 4 loads this file as {expected_ns}\\{expected.name}{_inferred(ident)}", header.namespace_line,
                          hint=f"declare 'namespace {expected_ns};' (the segment after Extension comes from the zip name '{_code(ident)}.ocmod.zip')")
            continue
        if not any(c.name.lower() == expected.name.lower() for c in header.classes):
            first = header.classes[0]
            yield Finding(path, f"class {first.name} but OpenCart 4 loads {expected.name} from this file (route {expected.route})", first.line,
                          hint=f"rename the class to {expected.name}, or the file to match the class")


def _snake(segment: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", segment).lower()


def _suggest(path: str) -> str:
    folder, _, name = path.rpartition("/")
    stem = re.sub(r"([a-z])([0-9])", r"\1_\2", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name[:-4])).lower()
    stem = re.sub(r"[^a-z0-9_]+", "_", stem)
    stem = re.sub(r"_+", "_", stem).strip("_") or "file"
    return f"{folder}/{stem}.php"


@rule("NSP002", "library-namespace-mismatch", "error", _TARGETS)
def library_namespace_mismatch(ctx: Context) -> Iterator[Result]:
    """A PHP file under ``system/library/`` declares an ``Opencart\\…`` namespace other than the one
    OpenCart registers for the package's libraries.

    4.0.1.0+ registers ``Opencart\\System\\Library\\Extension\\<Code>`` → ``extension/CODE/system/library/``
    (4.0.2.3:SEA:24); 4.0.0.0 registered ``Opencart\\System\\Extension\\<Code>`` → ``extension/CODE/system/``
    (4.0.0.0:SEA:16): a library written for one is not found on the other (error). A file
    declaring the core namespace ``Opencart\\System\\Library`` (or another ``Opencart\\`` one) is
    never autoloaded and works only when required by hand, next to core classes of the same
    namespace (warning). Libraries in their own vendor namespace, loaded by their own
    autoloader or ``require``, are not checked.

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === system/library/my_helper.php
        <?php
        namespace Opencart\\System\\Extension\\MyExt\\Library;
        class MyHelper {}
        === expect: system/library/my_helper.php:2

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === system/library/Helper.php
        <?php
        namespace Opencart\\System\\Library;
        class Helper {}

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === system/library/my_helper.php
        <?php
        namespace Opencart\\System\\Library\\Extension\\MyExt;
        class MyHelper {}
        === system/library/vendor/acme/client.php
        <?php
        namespace Acme\\Client;
        class Client {}
    """
    ident = usable_identity(ctx)
    if ident is None:
        return
    code = ident.code or _snake(ident.segment or "")
    segment = ident.segment or namespace_segment(code)
    modern = [r for r in releases(ctx) if parse(r) >= parse("4.0.1.0")]
    old = "4.0.0.0" in releases(ctx)
    for path in ctx.files(".php"):
        if not path.startswith("system/library/"):
            continue
        header = php_header(ctx.text(path))
        ns = header.namespace
        if ns is None or not ns.lower().startswith("opencart\\"):
            continue
        new_base = f"Opencart\\System\\Library\\Extension\\{segment}"
        old_base = f"Opencart\\System\\Extension\\{segment}"
        lowered = ns.lower()
        if lowered == new_base.lower() or lowered.startswith(new_base.lower() + "\\"):
            if old:
                yield Finding(path, f"namespace {ns} is registered from 4.0.1.0; OpenCart 4.0.0.0 registers {old_base} → system/ instead", header.namespace_line,
                              hint="drop 4.0.0.0 from the targets (opencart.targets '4.0': '4.0.1.0+'), it is the only release with the other namespace")
            yield from _round_trip(path, header.classes, code, modern[-1] if modern else "4.0.0.0", header.namespace_line)
        elif lowered == old_base.lower() or lowered.startswith(old_base.lower() + "\\"):
            if modern:
                yield Finding(path, f"namespace {ns} is OpenCart 4.0.0.0's form: 4.0.1.0+ autoload {new_base} from system/library/", header.namespace_line,
                              hint=f"declare 'namespace {new_base}' (plus sub-folders) and load it as extension/{_code(ident)}/<file>")
            elif old:
                yield from _round_trip(path, header.classes, code, "4.0.0.0", header.namespace_line)
        else:
            yield Finding(path, f"namespace {ns} is not registered for this package: the class is found only when the file is required by hand, next to OpenCart's own classes", header.namespace_line,
                          hint=f"declare 'namespace {new_base}' so OpenCart's autoloader finds it, or use a vendor namespace of your own", severity=Severity.WARNING)


def _round_trip(path: str, classes: tuple[PhpClass, ...], code: str, release: str, line: int) -> Iterator[Result]:
    expected = expected_class(path, code, release)
    if expected is not None and classes and not expected.round_trip:
        yield Finding(path, f"OpenCart's autoloader looks for {expected.name} in {expected.autoload_file!r}, not in this file", classes[0].line or line,
                      hint=f"rename the file to {_suggest(path)!r} (lower-case words joined by '_')")


_ENGINE = {"controller": "opencart\\system\\engine\\controller", "model": "opencart\\system\\engine\\model"}


@rule("NSP003", "not-an-engine-class", "error", _TARGETS)
def not_an_engine_class(ctx: Context) -> Iterator[Result]:
    """A controller or model class does not extend ``\\Opencart\\System\\Engine\\Controller`` or
    ``…\\Model``, directly or through classes of the package.

    Factory instantiates the class with the registry (4.1.0.4:F:42-47) and the loader calls its
    methods through the engine's base class; OpenCart 3.0's global ``Controller``/``Model``
    (and names like ``ControllerExtensionModuleX``) do not exist in 4.x. A class that extends a
    base class of its own package, which extends the engine class, is fine.

    Fail::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === catalog/model/total/my_fee.php
        <?php
        namespace Opencart\\Catalog\\Model\\Extension\\MyExt\\Total;
        class MyFee {}
        === expect: catalog/model/total/my_fee.php:3

    Fail::

        === target: 4.0
        === admin/controller/extension/module/my_ext.php
        <?php
        class ControllerExtensionModuleMyExt extends Controller {}

    Pass::

        === zip: my_ext.ocmod.zip
        === target: 4.1
        === install.json
        {"name": "X"}
        === admin/controller/payment/base.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\MyExt\\Payment;
        use Opencart\\System\\Engine\\Controller;
        abstract class Base extends Controller {}
        === admin/controller/payment/my_ext.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\MyExt\\Payment;
        class MyExt extends Base {}
    """
    ident = usable_identity(ctx)
    classes = package_classes(ctx)
    code = (ident.code or _snake(ident.segment or "")) if ident is not None else ""
    for path in ctx.files(".php"):
        m = _ROUTED_RE.fullmatch(path)
        if not m:
            continue
        header = php_header(ctx.text(path))
        if not header.classes:
            continue
        expected = expected_class(path, code) if code else None
        cls = next((c for c in header.classes if expected is not None and c.name.lower() == expected.name.lower()), header.classes[0])
        kind = m.group(2)
        engine = _ENGINE[kind]
        verdict = _ancestry(cls, classes, engine, _own_prefixes(ident))
        if verdict is None:
            continue
        yield Finding(path, f"class {cls.name} {verdict}: OpenCart 4 needs a {kind} that extends \\Opencart\\System\\Engine\\{kind.capitalize()}", cls.line,
                      hint=f"declare 'class {cls.name} extends \\Opencart\\System\\Engine\\{kind.capitalize()}' (or extend a base class of yours that does)")


def _own_prefixes(ident: PackageIdentity | None) -> tuple[str, ...]:
    """Lower-case namespace prefixes OpenCart registers for the package's own classes."""
    if ident is None or ident.segment is None:
        return ()
    seg = ident.segment.lower()
    routed = [f"opencart\\{app}\\{kind}\\extension\\{seg}\\" for app in ("admin", "catalog") for kind in ("controller", "model")]
    return (*routed, f"opencart\\system\\library\\extension\\{seg}\\")


def _ancestry(cls: PhpClass, classes: dict[str, tuple[str, PhpClass]], engine: str, own: tuple[str, ...]) -> str | None:
    """Why ``cls`` is not an engine class, or None when it is (or cannot be told: a parent from
    outside the package may well extend the engine class)."""
    seen: set[str] = set()
    current = cls
    while True:
        parent = current.parent.lower()
        if not parent:
            return "extends nothing" if current is cls else f"extends {cls.parent_written}, which extends nothing"
        if parent == engine:
            return None
        if parent in _ENGINE.values():
            return f"extends {current.parent}"
        if "\\" not in parent:
            return f"extends the global class {current.parent_written} (OpenCart 3.0)"
        if parent in seen:
            return None
        if parent not in classes:
            if parent.startswith("opencart\\system\\engine\\"):
                return f"extends {current.parent}, which OpenCart does not have"
            if parent.startswith(own):
                return f"extends {current.parent}, which the package does not declare (written {current.parent_written!r}: a 'use' is missing?)"
            return None
        seen.add(parent)
        current = classes[parent][1]
