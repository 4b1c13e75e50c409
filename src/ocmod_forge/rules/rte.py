"""RTE — OpenCart 4 routes, events and startups (opencart4-facts §3.3, §3.6; §4 R1–R6).

The method separator changed at 4.0.2.0 (``|`` before, ``.`` from it), ``addEvent``/``addStartup``
changed their arguments at 4.0.1.0, and model event triggers changed their form at 4.1.0.0; each
rule checks against the releases the package supports (``ctx.target_range``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..versions import RELEASES, Target, parse
from .base import Context, Finding, Result, rule
from .oc4php import (
    Registration,
    action_offsets,
    line_of,
    literals,
    own_files,
    package_code,
    registrations,
    route_uses,
    startup_offsets,
    version_guarded,
)
from .php import blank_strings_and_comments, class_heads, methods
from .php import class_table as php_classes

SEPARATOR_RELEASE = "4.0.2.0"  # first release whose routes use `.` between route and method
ARRAY_API_RELEASE = "4.0.1.0"  # first release whose addEvent/addStartup take one array


def spans_before(target: Target, version: str) -> bool:
    """Does the range include a release older than ``version``?"""
    return parse(target.first) < parse(version)


def spans_from(target: Target, version: str) -> bool:
    """Does the range include ``version`` or a newer release?"""
    return parse(target.last) >= parse(version)


def releases_before(target: Target, version: str) -> str:
    """The releases of the range older than ``version``, as a range in words."""
    inside = [r for r in target.releases if parse(r) < parse(version)]
    return _words(inside)


def releases_from(target: Target, version: str) -> str:
    inside = [r for r in target.releases if parse(r) >= parse(version)]
    return _words(inside)


def _words(releases: list[str]) -> str:
    if not releases:
        return ""
    return releases[0] if len(releases) == 1 else f"{releases[0]}–{releases[-1]}"


_SEPARATOR_HINT = "compute it per release (`version_compare(VERSION, '4.0.2.0', '>=') ? '.' : '|'`) or narrow the package's OpenCart range"


@rule("RTE001", "dot-separator-before-4020", "error", targets=("4.0",))
def dot_separator_before_4020(ctx: Context) -> Iterator[Result]:
    """A route names its method with ``.`` although the package supports OpenCart 4.0.0.0–4.0.1.1.

    Before 4.0.2.0 the separator is ``|``: the URL, ``Action`` and ``load->controller()``
    sanitisers keep only ``[a-zA-Z0-9_|/]`` and drop the dot, so ``extension/x/module/y.save``
    becomes the route ``extension/x/module/ysave`` — a missing page, a dead event, a startup that
    never runs (4.0.0.0:system/engine/action.php:25, loader.php:66). Checked in PHP strings
    (links, actions of events and startups, ``load->controller()``), and in ``route=`` of URLs in
    templates and scripts; code inside a branch on ``VERSION`` is left alone.

    Fail::

        === target: 4.0
        === releases: 4.0.0.0-4.0.1.1
        === admin/controller/module/x_demo.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\XDemo\\Module;
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {
                $data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=' . $this->session->data['user_token']);
            }
        }
        === expect: admin/controller/module/x_demo.php:5

    Pass::

        === target: 4.0
        === releases: 4.0.0.0-4.0.1.1
        === admin/controller/module/x_demo.php
        <?php
        $data['save'] = $this->url->link('extension/x_demo/module/x_demo|save', 'user_token=' . $this->session->data['user_token']);

    Pass::

        === target: 4.0
        === releases: 4.0.2.0-4.0.2.3
        === admin/controller/module/x_demo.php
        <?php
        $data['save'] = $this->url->link('extension/x_demo/module/x_demo.save', 'user_token=' . $this->session->data['user_token']);
    """
    target = ctx.target_range
    if not spans_before(target, SEPARATOR_RELEASE):
        return
    old = releases_before(target, SEPARATOR_RELEASE)
    both = spans_from(target, SEPARATOR_RELEASE)
    for use in route_uses(ctx):
        if use.separator != "." or (use.path.endswith(".php") and version_guarded(ctx.text(use.path), use.offset)):
            continue
        hint = (
            f"write '{use.route}|{use.method}' for {old}; the package also supports {releases_from(target, SEPARATOR_RELEASE)}, which needs '.': {_SEPARATOR_HINT}"
            if both
            else f"write '{use.route}|{use.method}': OpenCart {old} separates route and method with '|'"
        )
        yield Finding(use.path, f"'{use.route}.{use.method}': OpenCart {old} drops the '.', so method {use.method}() is never reached", use.line, use.col, hint=hint)


@rule("RTE002", "pipe-in-event-action", "error", targets=("4.0", "4.1"))
def pipe_in_event_action(ctx: Context) -> Iterator[Result]:
    """An event action names its method with ``|`` on OpenCart 4.0.2.0 or later.

    Event actions are stored in ``oc_event`` and built with ``new Action()``, whose sanitiser
    from 4.0.2.0 splits at ``.`` only: ``extension/x/module/y|onHeader`` becomes a class name with
    ``|`` in it, the class is never found and the event silently never runs
    (4.0.2.3:system/engine/action.php:35-43; 4.0.2.3:catalog/controller/startup/event.php:24).
    Unlike URLs and startup actions (RTE003), nothing converts it. Found in ``addEvent()``
    calls, arrays with ``trigger`` and ``action`` keys, and ``new Action('…')``.

    Fail::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent([
            'code'        => 'x_demo',
            'description' => '',
            'trigger'     => 'catalog/view/common/header/before',
            'action'      => 'extension/x_demo/module/x_demo|onHeader',
            'status'      => 1,
            'sort_order'  => 0
        ]);
        === expect: admin/controller/module/x_demo.php:6

    Pass::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent([
            'code'        => 'x_demo',
            'description' => '',
            'trigger'     => 'catalog/view/common/header/before',
            'action'      => 'extension/x_demo/module/x_demo.onHeader',
            'status'      => 1,
            'sort_order'  => 0
        ]);

    Pass::

        === target: 4.0
        === releases: 4.0.1.0-4.0.1.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/view/common/header/before', 'action' => 'extension/x_demo/module/x_demo|onHeader']);
    """
    target = ctx.target_range
    if not spans_from(target, SEPARATOR_RELEASE):
        return
    new = releases_from(target, SEPARATOR_RELEASE)
    for reg in registrations(ctx):
        action = reg.action
        if reg.kind not in ("event", "action") or action is None or action.text is None or reg.guarded:
            continue
        m = re.fullmatch(r"(.+)\|([A-Za-z_]\w*)", action.text)
        if not m:
            continue
        fix = f"{m.group(1)}.{m.group(2)}"
        hint = f"write '{fix}'" + (f" for {new}; for {releases_before(target, SEPARATOR_RELEASE)} the '|' is right: {_SEPARATOR_HINT}" if spans_before(target, SEPARATOR_RELEASE) else "")
        yield Finding(reg.path, f"event action '{action.text}': OpenCart {new} never finds the handler, the event silently never runs", action.line, action.col, hint=hint)


@rule("RTE003", "pipe-separator-in-route", "warning", targets=("4.0", "4.1"))
def pipe_separator_in_route(ctx: Context) -> Iterator[Result]:
    """A route in a URL, ``load->controller()`` or a startup action names its method with ``|``
    on OpenCart 4.0.2.0 or later.

    From 4.0.2.0 the separator is ``.``. These places still work because OpenCart converts
    ``|`` to ``.`` for them (URLs: 4.0.2.3:system/framework.php:103-106; ``load->controller()``,
    which also runs ``oc_startup`` actions: 4.0.2.3:system/engine/loader.php:67), but it is a
    compatibility shim, and links handed to payment gateways or e-mails carry the old form.
    Event actions are not converted: RTE002 reports those.

    Fail::

        === target: 4.0
        === releases: 4.0.2.0-4.0.2.3
        === admin/controller/payment/x_pay.php
        <?php
        $data['save'] = $this->url->link('extension/x_pay/payment/x_pay|save', 'user_token=' . $this->session->data['user_token']);
        === expect: admin/controller/payment/x_pay.php:2

    Fail::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_startup->addStartup(['code' => 'x_demo', 'description' => '', 'action' => 'catalog/extension/x_demo/startup/x_demo|boot', 'status' => 1, 'sort_order' => 0]);
        === expect: admin/controller/module/x_demo.php:2

    Pass::

        === target: 4.1
        === admin/controller/payment/x_pay.php
        <?php
        $data['save'] = $this->url->link('extension/x_pay/payment/x_pay.save', 'user_token=' . $this->session->data['user_token']);
        $separator = version_compare(VERSION, '4.0.2.0', '>=') ? '.' : '|';
    """
    target = ctx.target_range
    if not spans_from(target, SEPARATOR_RELEASE):
        return
    new = releases_from(target, SEPARATOR_RELEASE)
    events = action_offsets(ctx)
    startups = startup_offsets(ctx)
    for use in route_uses(ctx):
        if use.separator != "|" or use.offset in events.get(use.path, set()):
            continue
        if use.path.endswith(".php") and version_guarded(ctx.text(use.path), use.offset):
            continue
        what = "startup action" if use.offset in startups.get(use.path, set()) else "route"
        hint = f"write '{use.route}.{use.method}'" + (f" (and keep '|' for {releases_before(target, SEPARATOR_RELEASE)}: {_SEPARATOR_HINT})" if spans_before(target, SEPARATOR_RELEASE) else "")
        yield Finding(use.path, f"{what} '{use.route}|{use.method}' uses the pre-4.0.2.0 separator; OpenCart {new} only converts it for compatibility", use.line, use.col, hint=hint)


_EVENT_KEYS = ("code", "description", "trigger", "action", "status", "sort_order")
_STARTUP_KEYS = ("code", "action", "status", "sort_order")


def _needed_keys(reg: Registration, target: Target) -> tuple[str, ...]:
    if reg.kind == "event":
        return _EVENT_KEYS
    # 4.1.0.0 added `description` to oc_startup and reads it (4.1.0.0:admin/model/setting/startup.php:33).
    return (*_STARTUP_KEYS, "description") if spans_from(target, "4.1.0.0") else _STARTUP_KEYS


@rule("RTE004", "event-api-call-shape", "error", targets=("4.0", "4.1"))
def event_api_call_shape(ctx: Context) -> Iterator[Result]:
    """``addEvent()``/``addStartup()`` is called in a form the supported releases do not take.

    OpenCart 4.0.0.0 declares them with positional parameters
    (``addEvent(string $code, string $description, string $trigger, string $action, bool $status = true, int $sort_order = 0)``,
    ``addStartup(string $code, string $action, …)``); from 4.0.1.0 both take one array and read
    every key of it — ``code``, ``description``, ``trigger``, ``action``, ``status``,
    ``sort_order`` for events; ``code``, ``action``, ``status``, ``sort_order`` for startups,
    plus ``description`` from 4.1.0.0 (4.0.1.0:admin/model/setting/event.php:4-5;
    4.1.0.0:admin/model/setting/startup.php:32-33). The wrong form is a ``TypeError`` when the
    extension is installed; a missing key is a PHP warning that breaks the install's JSON
    response. Calls inside a branch on ``VERSION`` are left alone.

    Fail::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent('x_demo', '', 'catalog/view/common/header/before', 'extension/x_demo/module/x_demo.onHeader');
        === expect: admin/controller/module/x_demo.php:2

    Fail::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_startup->addStartup(['code' => 'x_demo', 'action' => 'catalog/extension/x_demo/startup/x_demo', 'status' => 1, 'sort_order' => 0]);
        === expect: admin/controller/module/x_demo.php:2

    Pass::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/view/common/header/before', 'action' => 'extension/x_demo/module/x_demo.onHeader']);

    Pass::

        === target: 4.0
        === admin/controller/module/x_demo.php
        <?php
        if (version_compare(VERSION, '4.0.1.0', '>=')) {
            $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'trigger' => 'catalog/view/common/header/before', 'action' => $route, 'status' => 1, 'sort_order' => 0]);
        } else {
            $this->model_setting_event->addEvent('x_demo', '', 'catalog/view/common/header/before', $route);
        }
    """
    target = ctx.target_range
    old = spans_before(target, ARRAY_API_RELEASE)
    new = spans_from(target, ARRAY_API_RELEASE)
    for reg in registrations(ctx):
        if not reg.direct or reg.kind not in ("event", "startup") or reg.guarded:
            continue
        name = "addEvent" if reg.kind == "event" else "addStartup"
        if reg.form == "positional":
            if new:
                keys = ", ".join(f"'{k}' => …" for k in _needed_keys(reg, target))
                yield Finding(
                    reg.path,
                    f"{name}() with {reg.argc} arguments: OpenCart {releases_from(target, ARRAY_API_RELEASE)} takes one array (TypeError at install)",
                    reg.line,
                    reg.col,
                    hint=f"pass one array: {name}([{keys}])" + (f"; 4.0.0.0 needs the arguments: {_VERSION_BRANCH}" if old else ""),
                )
            elif reg.argc < (4 if reg.kind == "event" else 2):
                yield Finding(
                    reg.path,
                    f"{name}() with {reg.argc} arguments: 4.0.0.0 needs at least {4 if reg.kind == 'event' else 2}",
                    reg.line,
                    reg.col,
                    hint="pass code, description, trigger and action" if reg.kind == "event" else "pass code and action",
                )
            continue
        if old:
            yield Finding(
                reg.path,
                f"{name}() with one array: OpenCart 4.0.0.0 takes positional arguments (TypeError at install)",
                reg.line,
                reg.col,
                hint=f"for 4.0.0.0: {_VERSION_BRANCH}" if new else f"call {name}({_POSITIONAL_ARGS[reg.kind]})",
            )
            continue
        if reg.keys is None:
            continue  # built elsewhere: cannot tell which keys it has
        missing = [k for k in _needed_keys(reg, target) if k not in reg.keys]
        if missing:
            releases = releases_from(target, "4.1.0.0") if missing == ["description"] and reg.kind == "startup" else releases_from(target, ARRAY_API_RELEASE)
            yield Finding(
                reg.path,
                f"{name}() array has no {', '.join(repr(k) for k in missing)}: OpenCart {releases} reads every key (a PHP warning breaks the install response)",
                reg.line,
                reg.col,
                hint="add " + ", ".join(f"'{k}' => {_DEFAULTS[k]}" for k in missing),
            )


_POSITIONAL_ARGS = {"event": "$code, $description, $trigger, $action, $status, $sort_order", "startup": "$code, $action, $status, $sort_order"}
_VERSION_BRANCH = "branch on version_compare(VERSION, '4.0.1.0', '>=') and call the positional form in the else branch"
_DEFAULTS = {"code": "'<vendor>_<name>'", "description": "''", "trigger": "'…'", "action": "'…'", "status": "1", "sort_order": "0"}


# Core routes have two segments (`checkout/order`); 4.0's catalog API controllers three
# (`api/sale/order`); an extension's four (`extension/<code>/<type>/<file>`).
def _route_depth(kind: str, app: str, parts: list[str], target: Target) -> int:
    if parts and parts[0] == "extension":
        return 4
    if kind == "controller" and app == "catalog" and parts and parts[0] == "api" and target.generation == "4.0":
        return 3
    return 2


def trigger_problem(trigger: str, target: Target, stored: bool) -> tuple[str, str] | None:
    """(why the trigger never fires on some supported release, what to write) or None.

    ``stored``: registered with ``addEvent`` (must start with the app); else registered at run
    time with ``$this->event->register()`` (no app prefix)."""
    if "*" in trigger or "?" in trigger:
        return None
    parts = trigger.split("/")
    app = ""
    if stored:
        if parts[0] not in ("admin", "catalog", "system"):
            return (
                "does not start with 'admin/', 'catalog/' or 'system/': startup/event registers only triggers of its own application, so this one never fires",
                f"prefix it with the application: 'catalog/{trigger}' or 'admin/{trigger}'",
            )
        app = parts.pop(0)
    if len(parts) < 3 or parts[-1] not in ("before", "after") or parts[0] not in ("model", "controller"):
        return None
    kind, when, rest = parts[0], parts[-1], parts[1:-1]
    depth = _route_depth(kind, app, rest, target)
    prefix = f"{app}/" if app else ""
    if kind == "model":
        if target.generation == "4.1":
            if len(rest) == depth + 1 and not any("." in p for p in rest):
                route, method = "/".join(rest[:-1]), rest[-1]
                return (
                    f"is in OpenCart 4.0's form: 4.1 names model events '{prefix}model/{route}.{method}/{when}', so this one never fires",
                    f"write '{prefix}model/{route}.{method}/{when}' (an event installed under 4.0 is not rewritten by the 4.1 upgrade either)",
                )
            if len(rest) == depth and "." not in rest[-1]:
                return (f"names no model method: 4.1 fires '{prefix}model/{'/'.join(rest)}.<method>/{when}'", f"write '{prefix}model/{'/'.join(rest)}.<method>/{when}'")
        else:
            if len(rest) == depth and "." in rest[-1]:
                route, _, method = "/".join(rest).rpartition(".")
                return (
                    f"is in OpenCart 4.1's form: 4.0 names model events '{prefix}model/{route}/{method}/{when}', so this one never fires",
                    f"write '{prefix}model/{route}/{method}/{when}'",
                )
            if len(rest) == depth and "|" not in rest[-1]:
                return (f"names no model method: 4.0 fires '{prefix}model/{'/'.join(rest)}/<method>/{when}'", f"write '{prefix}model/{'/'.join(rest)}/<method>/{when}'")
        return None
    # Controller events carry the route as called, method included with the release's separator.
    sep = "." if target.at_least(SEPARATOR_RELEASE) else "|" if target.at_most("4.0.1.1") else ""
    if len(rest) == depth + 1 and not any(c in p for p in rest for c in ".|"):
        route, method = "/".join(rest[:-1]), rest[-1]
        write = (
            f"'{prefix}controller/{route}{sep}{method}/{when}'"
            if sep
            else f"'{prefix}controller/{route}.{method}/{when}' (4.0.2.0+) or '…|{method}/…' (older): register the one for the running release"
        )
        return (f"names the method {method!r} as a route segment: controller events are 'controller/{route}<separator>{method}/{when}', so this one never fires", f"write {write}")
    if len(rest) == depth:
        last = rest[-1]
        extra = "" if sep else f"; {_SEPARATOR_HINT}"
        if "|" in last and spans_from(target, SEPARATOR_RELEASE):
            why = f"uses '|' before the method: OpenCart {releases_from(target, SEPARATOR_RELEASE)} fires controller events with '.', so this one never fires there"
            return (why, f"write '{trigger.replace('|', '.')}'{extra}")
        if "." in last and spans_before(target, SEPARATOR_RELEASE):
            why = f"uses '.' before the method: OpenCart {releases_before(target, SEPARATOR_RELEASE)} fires controller events with '|', so this one never fires there"
            return (why, f"write '{trigger.replace('.', '|')}'{extra}")
    return None


@rule("RTE005", "event-trigger-never-fires", "error", targets=("4.0", "4.1"))
def event_trigger_never_fires(ctx: Context) -> Iterator[Result]:
    """An event trigger has a form the supported releases never fire.

    OpenCart fires ``model/<route>/<method>/before|after`` in 4.0.x but
    ``model/<route>.<method>/before|after`` in 4.1.x (4.0.2.3:system/engine/loader.php:146;
    4.1.0.4:system/engine/loader.php:156,324); controller events carry the called route with
    its separator (``controller/account/login.token/before`` from 4.0.2.0, ``…login|token…``
    before); and ``addEvent`` triggers must start with ``admin/``, ``catalog/`` or ``system/``
    (4.1.0.4:admin/controller/startup/event.php:24-31). A trigger in another form matches no
    event: the handler silently never runs. The 4.0→4.1 upgrade does not rewrite third-party
    model triggers either (4.1.0.4:install/controller/upgrade/upgrade_5.php:274 only swaps
    ``|``). Core routes are taken to have two segments and extension routes four.

    Fail::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/model/checkout/order/addHistory/after',
            'action' => 'extension/x_demo/module/x_demo.onHistory']);
        === expect: admin/controller/module/x_demo.php:3

    Fail::

        === target: 4.0
        === releases: 4.0.2.0-4.0.2.3
        === admin/controller/module/x_demo.php
        <?php
        $events = [['code' => 'x_login', 'trigger' => 'catalog/controller/account/login/token/before', 'action' => 'extension/x_demo/module/x_demo.onToken']];
        === expect: admin/controller/module/x_demo.php:2

    A trigger taken from a variable is checked where its table writes it: in a file that
    registers events with a computed trigger, every string shaped like a trigger.

    Fail::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $events = ['x_demo_add' => ['admin/model/catalog/product/addProduct/after', 'onAdd']];
        foreach ($events as $code => $event) {
            $this->model_setting_event->addEvent(['code' => $code, 'description' => '', 'trigger' => $event[0],
                'action' => 'extension/x_demo/module/x_demo.' . $event[1], 'status' => 1, 'sort_order' => 0]);
        }
        === expect: admin/controller/module/x_demo.php:2

    Pass::

        === target: 4.1
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/model/checkout/order.addHistory/after',
            'action' => 'extension/x_demo/module/x_demo.onHistory']);

    Pass::

        === target: 4.0
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/model/checkout/order/addHistory/after',
            'action' => 'extension/x_demo/module/x_demo.onHistory']);
    """
    target = ctx.target_range
    regs = registrations(ctx)
    for reg in regs:
        trig = reg.trigger
        if trig is None or trig.text is None or reg.guarded:
            continue
        problem = trigger_problem(trig.text, target, stored=reg.kind == "event")
        if problem:
            yield Finding(reg.path, f"trigger '{trig.text}' {problem[0]}", trig.line, trig.col, hint=problem[1])
    # A trigger read from a variable (`'trigger' => $event[0]` over a table of events) is checked
    # where the table writes it: every string of that file shaped exactly like a stored trigger.
    seen = {(r.path, r.trigger.offset) for r in regs if r.trigger is not None}
    for path in sorted({r.path for r in regs if r.kind == "event" and r.trigger is not None and r.trigger.text is None}):
        text = ctx.text(path)
        for lit in literals(text):
            if lit.dynamic or not _STORED_TRIGGER_RE.fullmatch(lit.value) or version_guarded(text, lit.start):
                continue
            if (path, lit.start) in seen:
                continue
            problem = trigger_problem(lit.value, target, stored=True)
            if problem:
                yield Finding(path, f"trigger '{lit.value}' {problem[0]}", line_of(text, lit.start), lit.start - text.rfind("\n", 0, lit.start), hint=problem[1])


_STORED_TRIGGER_RE = re.compile(r"(?:admin|catalog)/(?:model|controller|view)/[A-Za-z0-9_/.|]+/(?:before|after)")


_RETURN_RE = re.compile(r"\breturn\b\s*([^;\s])")


def handler_files(ctx: Context) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(package path of the handler's controller, method) → event registrations (path, line) that
    call it, for event actions that name one of the package's own controllers."""
    files = set(own_files(ctx, ".php"))
    code = package_code(ctx)
    out: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for reg in registrations(ctx):
        if reg.kind != "event" or reg.trigger is None or reg.action is None or reg.trigger.text is None or reg.action.text is None:
            continue
        app = reg.trigger.text.split("/", 1)[0]
        if app not in ("admin", "catalog"):
            continue
        m = re.fullmatch(r"extension/([A-Za-z0-9_]+)/([A-Za-z0-9_/]+?)(?:[.|]([A-Za-z_]\w*))?", reg.action.text)
        if not m or (code is not None and m.group(1) != code):
            continue
        path = f"{app}/controller/{m.group(2)}.php"
        if path in files:
            out.setdefault((path, m.group(3) or "index"), []).append((reg.path, reg.action.line))
    return out


@rule("RTE006", "event-handler-return-ignored", "warning", targets=("4.1",))
def event_handler_return_ignored(ctx: Context) -> Iterator[Result]:
    """An event handler returns a value, which OpenCart 4.1 ignores.

    In 4.0.x the first handler that returns something other than null stops the event and its
    value replaces the result (4.0.2.3:system/engine/event.php:63-74); 4.1.x runs every handler
    and discards what they return (4.1.0.4:system/engine/event.php:69-77). A 4.0 handler that
    returns new output or a new route therefore does nothing on 4.1: change ``$output``,
    ``$data`` or ``$route`` through the handler's by-reference arguments instead. Checked for
    handlers the package registers for its own controllers.

    Fail::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/view/common/header/after', 'action' => 'extension/x_demo/module/x_demo.onHeader']);
        === catalog/controller/module/x_demo.php
        <?php
        namespace Opencart\\Catalog\\Controller\\Extension\\XDemo\\Module;
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function onHeader(string &$route, array &$data, string &$output): string {
                return str_replace('</head>', '<meta name="x"></head>', $output);
            }
        }
        === expect: catalog/controller/module/x_demo.php:5

    Pass::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        $this->model_setting_event->addEvent(['code' => 'x_demo', 'description' => '', 'status' => 1, 'sort_order' => 0,
            'trigger' => 'catalog/view/common/header/after', 'action' => 'extension/x_demo/module/x_demo.onHeader']);
        === catalog/controller/module/x_demo.php
        <?php
        namespace Opencart\\Catalog\\Controller\\Extension\\XDemo\\Module;
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function onHeader(string &$route, array &$data, string &$output): void {
                $output = str_replace('</head>', '<meta name="x"></head>', $output);
                return;
            }
        }
    """
    for (path, method), regs in sorted(handler_files(ctx).items()):
        text = ctx.text(path)
        code = blank_strings_and_comments(text)
        for name, start, end, _public in methods(text):
            if name.lower() != method.lower():
                continue
            for m in _RETURN_RE.finditer(code, start, end):
                if code[m.start(1) : m.start(1) + 4].lower() == "null" and not re.match(r"\w", code[m.start(1) + 4 : m.start(1) + 5]):
                    continue
                where = ", ".join(f"{p}:{line}" for p, line in regs[:3])
                yield Finding(
                    path,
                    f"{name}() is an event handler ({where}) and returns a value: OpenCart 4.1 ignores what handlers return",
                    line_of(text, m.start()),
                    m.start() - text.rfind("\n", 0, m.start()),
                    hint="assign the result to the by-reference argument instead ($output = …; $data[…] = …; $route = …) and return nothing",
                )
                break


def admin_types(target: Target) -> frozenset[str]:
    """Extension type folders whose controllers every supported release installs (and grants
    permissions for): 4.1.0.4:admin/controller/marketplace/extension.php:42 globs them."""
    types = {"analytics", "captcha", "currency", "dashboard", "feed", "fraud", "module", "other", "payment", "report", "shipping", "theme", "total"}
    if target.at_least("4.0.1.0"):
        types.add("language")
    if target.at_least("4.0.2.3"):
        types.add("marketplace")
    return frozenset(types)


_ABSTRACT_RE = re.compile(r"\babstract\s+class\b")
_PERMISSION_RE = re.compile(r"addPermission\s*\(")


def _own_route(rel: str, code: str | None) -> str:
    return f"extension/{code or '<code>'}/{rel}"


@rule("RTE007", "admin-page-needs-permission", "warning", targets=("4.0", "4.1"))
def admin_page_needs_permission(ctx: Context) -> Iterator[Result]:
    """An admin controller outside the extension type folders is reachable only with a
    permission nobody grants.

    OpenCart checks ``access`` on the full route of every admin request
    (4.1.0.4:admin/controller/startup/permission.php:16,36) and grants it only when an extension
    of a type (``module``, ``payment``, …) is installed, for that one route
    (4.1.0.4:admin/controller/extension/module.php:155-156). A page such as
    ``admin/controller/tool/x.php`` (route ``extension/<code>/tool/x``) answers "Permission
    Denied" until an administrator ticks it in Users > User Groups — or the extension's
    ``install()`` grants it with ``model_user_user_group->addPermission()``. Event handlers
    (registered as event actions) and abstract base classes are not pages.

    Fail::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/tool/x_demo.php
        <?php
        namespace Opencart\\Admin\\Controller\\Extension\\XDemo\\Tool;
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {}
        }
        === expect: admin/controller/tool/x_demo.php:0

    Pass::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function install(): void {
                $this->load->model('user/user_group');
                $this->model_user_user_group->addPermission($this->user->getGroupId(), 'access', 'extension/x_demo/tool/x_demo');
                $this->model_user_user_group->addPermission($this->user->getGroupId(), 'modify', 'extension/x_demo/tool/x_demo');
            }
        }
        === admin/controller/tool/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function index(): void {}
        }
    """
    types = admin_types(ctx.target_range)
    code = package_code(ctx)
    handlers = {path for path, _method in handler_files(ctx)}
    granted: set[str] = set()
    actions: set[str] = set()
    for path in own_files(ctx, ".php"):
        text = ctx.text(path)
        if "addPermission" in text:
            granted.update(lit.value for lit in literals(text) if lit.value.startswith("extension/"))
    for reg in registrations(ctx):
        if reg.action is not None and reg.action.text:
            actions.add(re.split(r"[.|]", reg.action.text)[0])
    for path in own_files(ctx, ".php"):
        if not path.startswith("admin/controller/"):
            continue
        rel = path[len("admin/controller/") : -len(".php")]
        folder = rel.split("/", 1)[0] if "/" in rel else ""
        # extension/: a 3.0 layout (admin/controller/extension/<type>/…), which the layout rules report.
        if folder in types or folder in ("event", "startup", "extension") or path in handlers:
            continue
        text = ctx.text(path)
        if _ABSTRACT_RE.search(blank_strings_and_comments(text)) or not class_heads(blank_strings_and_comments(text)):
            continue
        if any(g.endswith("/" + rel) and (code is None or g == _own_route(rel, code)) for g in granted):
            continue
        if any(a.endswith("/" + rel) for a in actions):
            continue  # an event or startup handler
        route = _own_route(rel, code)
        where = f"admin/controller/{folder}/" if folder else "admin/controller/"
        yield Finding(
            path,
            f"admin page {route} is in {where}, not an extension type folder: only users whose group has 'access' to it (set by hand) can open it",
            hint=(
                f"grant it in install(): $this->model_user_user_group->addPermission($this->user->getGroupId(), 'access', '{route}') (and 'modify');"
                " or move it under a type folder such as admin/controller/module/"
            ),
        )


_MODIFY_CALL_RE = re.compile(r"hasPermission\s*\(\s*(['\"])modify\1\s*,\s*")
_POST_RE = re.compile(r"request->post\b(?!\s*\()")
# Calls that change stored data: settings, a model's add/edit/delete-style methods, raw queries.
_WRITE_RE = re.compile(
    r"->(?:editSetting|editValue|deleteSetting)\s*\("
    r"|->model_\w+->(?:add|edit|delete|update|save|insert|remove|create|set|refund|capture|void|cancel)\w*\s*\("
    r"|->db->query\s*\("
)
_SELF_CALL_RE = re.compile(r"\$this->(\w+)\s*\(")


@rule("RTE008", "modify-permission-check", "warning", targets=("4.0", "4.1"))
def modify_permission_check(ctx: Context) -> Iterator[Result]:
    """An admin action changes data without checking ``modify`` on its own route.

    OpenCart 4 checks only ``access`` before running an admin controller
    (4.1.0.4:admin/controller/startup/permission.php:36); a ``save()``-style action must check
    ``$this->user->hasPermission('modify', '<its route>')`` itself, as core does
    (4.0.2.3:extension/opencart/admin/controller/module/account.php:49-68). The route is the
    4.x one, ``extension/<code>/<folder>/<file>``: a 3.0 route such as
    ``extension/module/x`` names a permission the installer never grants. Checked per public
    method that reads ``$this->request->post`` and stores something (settings, a model's
    ``add…``/``edit…``/``delete…``-style method, a query), itself or through ``$this->…()``
    helpers of its class.

    Fail::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function save(): void {
                if (!$this->user->hasPermission('modify', 'extension/module/x_demo')) {
                    return;
                }
                $this->model_setting_setting->editSetting('module_x_demo', $this->request->post);
            }
        }
        === expect: admin/controller/module/x_demo.php:4

    Fail::

        === target: 4.0
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function save(): void {
                $this->model_setting_setting->editSetting('module_x_demo', $this->request->post);
            }
        }
        === expect: admin/controller/module/x_demo.php:4

    Pass::

        === target: 4.1
        === zip: x_demo.ocmod.zip
        === admin/controller/module/x_demo.php
        <?php
        class XDemo extends \\Opencart\\System\\Engine\\Controller {
            public function save(): void {
                if (!$this->user->hasPermission('modify', 'extension/x_demo/module/x_demo')) {
                    return;
                }
                $this->model_setting_setting->editSetting('module_x_demo', $this->request->post);
            }
        }
    """
    code = package_code(ctx)
    for path in own_files(ctx, ".php"):
        if not path.startswith("admin/controller/"):
            continue
        text = ctx.text(path)
        blank = blank_strings_and_comments(text)
        rel = path[len("admin/controller/") : -len(".php")]
        bodies = [(name.lower(), start, end, public) for name, start, end, public in methods(text)]
        # Wrong routes in modify checks anywhere in the file.
        checks = [m for m in _MODIFY_CALL_RE.finditer(text) if blank[m.start()] == "h"]  # code, not a string or comment
        for m in checks:
            lit = next((x for x in literals(text) if x.start == m.end()), None)
            if lit is None or lit.dynamic:
                continue
            checked = lit.value
            if checked.endswith("/" + rel) or checked == rel:
                expected = _own_route(rel, code)
                ok = checked == expected if code else re.fullmatch(r"extension/[a-z0-9_]+/" + re.escape(rel), checked)
                if not ok:
                    yield Finding(
                        path,
                        f"checks 'modify' on '{checked}', but this controller's route is {expected}: that permission is never granted, so only a hand-edited user group can save",
                        line_of(text, lit.start),
                        lit.start - text.rfind("\n", 0, lit.start),
                        hint=f"check $this->user->hasPermission('modify', '{expected}')",
                    )
        guards = {n for n, s, e, _p in bodies if any(s <= m.start() < e for m in checks)}
        readers = {n for n, s, e, _p in bodies if any(not _prefill(blank, m.start()) for m in _POST_RE.finditer(blank, s, e))}
        writers = {n for n, s, e, _p in bodies if _WRITE_RE.search(blank, s, e)}
        calls = {n: {c.lower() for c in _SELF_CALL_RE.findall(blank, s, e)} for n, s, e, _p in bodies}
        inherited = _inherited_guards(ctx, text)
        guards |= {n for n, called in calls.items() if called & inherited}  # a base class's helper that checks modify
        guards = _reach(calls, guards)
        acting = _reach(calls, readers) & _reach(calls, writers)
        for name, start, end, public in bodies:
            if not public or name in guards or name not in acting or name.startswith("__"):
                continue
            at = _POST_RE.search(blank, start, end)
            pos = at.start() if at else start
            yield Finding(
                path,
                f"{name}() stores POST data without checking 'modify' permission: any user who may open the page may change it",
                line_of(text, pos),
                1,
                hint=f"start with: if (!$this->user->hasPermission('modify', '{_own_route(rel, code)}')) {{ $json['error'] = $this->language->get('error_permission'); }}",
            )


_PREFILL_RE = re.compile(r"(?:\bisset\s*\(\s*|\$data\s*(?:\[(?:[^\[\]]|\[[^\[\]]*\])*\]\s*)+=\s*)\$this->\Z")


def _guarding_methods(ctx: Context) -> dict[str, set[str]]:
    """Class (lower-case short name) → its methods that check ``modify`` (directly or through
    another of its own methods), for every class of the package."""
    out: dict[str, set[str]] = {}
    for name, (path, _parent, table, _calls) in php_classes(ctx).items():
        text = ctx.text(path)
        blank = blank_strings_and_comments(text)
        checks = [m.start() for m in _MODIFY_CALL_RE.finditer(text) if blank[m.start()] == "h"]
        bodies = {n.lower(): (s, e) for n, s, e, _p in methods(text) if n.lower() in table}
        direct = {n for n, (s, e) in bodies.items() if any(s <= c < e for c in checks)}
        calls = {n: {c.lower() for c in _SELF_CALL_RE.findall(blank, s, e)} for n, (s, e) in bodies.items()}
        out[name] = _reach(calls, direct)
    return out


def _inherited_guards(ctx: Context, text: str) -> set[str]:
    """Methods the classes this file's class extends (in the package) offer that check ``modify``."""
    heads = class_heads(blank_strings_and_comments(text))
    if not heads:
        return set()
    classes = php_classes(ctx)
    guarding = _guarding_methods(ctx)
    found: set[str] = set()
    parent = classes.get(heads[0].group(1).lower(), ("", None, {}, set()))[1]
    seen: set[str] = set()
    while parent is not None and parent in classes and parent not in seen:
        seen.add(parent)
        found |= guarding.get(parent, set())
        parent = classes[parent][1]
    return found


def _prefill(blank: str, pos: int) -> bool:
    """``isset($this->request->post[…])`` or ``$data[…] = $this->request->post[…]``: a form
    shown again with what was posted (the 3.0 idiom), not a change."""
    return bool(_PREFILL_RE.search(blank, max(0, pos - 120), pos))


def _reach(calls: dict[str, set[str]], seeds: set[str]) -> set[str]:
    """``seeds`` and every method that reaches one of them through ``$this->…()`` calls."""
    found = set(seeds)
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in found and called & found:
                found.add(name)
                changed = True
    return found


__all__ = ["RELEASES", "admin_types", "trigger_problem"]
