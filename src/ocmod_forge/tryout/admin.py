"""Driving a store the way a shop admin does: over HTTP, through the admin's own pages.

``Browser`` records every request as a ``Visit`` (status, PHP messages from the page and from
PHP's error log, the body without them). ``Admin30`` and ``Admin4`` know the routes and answers
of Extensions > Installer, Modifications, Extensions > Extensions and User Groups per series.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from .errors import StoreError
from .http import HttpClient, Response, json_body
from .phpmsg import PhpMessage, merge, parse_log, parse_text


@dataclass
class Visit:
    """One request and what the store answered: the unit every check looks at."""

    label: str  # what was done, e.g. "install step marketplace/install/unzip", "admin page catalog/product/edit"
    url: str
    status: int
    body: str  # the page without PHP messages
    messages: list[PhpMessage]
    seconds: float
    location: str = ""
    data: dict[str, object] | None = None  # the JSON answer, when the body is one
    raw: str = ""
    screenshot: Path | None = None

    @property
    def json_error(self) -> str:
        value = self.data.get("error") if self.data else None
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in sorted(value.items()) if v)
        return str(value) if value else ""


@dataclass
class Browser:
    """An HTTP client bound to one store, reading the store's PHP error log after each request."""

    client: HttpClient
    php_log: Path
    visits: list[Visit] = field(default_factory=list)
    _offset: int = 0

    def __post_init__(self) -> None:
        self._offset = self.php_log.stat().st_size if self.php_log.is_file() else 0

    def _new_log(self) -> str:
        if not self.php_log.is_file():
            return ""
        with open(self.php_log, "rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        self._offset += len(data)
        return data.decode("utf-8", errors="replace")

    def record(self, label: str, response: Response) -> Visit:
        raw = response.text
        page, body = parse_text(raw)
        messages = merge(page, parse_log(self._new_log()))
        data = json_body(body.strip()) if body.strip().startswith(("{", "[")) else None
        visit = Visit(label, response.url, response.status, body, messages, response.seconds, response.location, data, raw)
        self.visits.append(visit)
        return visit

    def get(self, label: str, path: str, *, follow: bool = False) -> Visit:
        return self.record(label, self.client.get(path, follow=follow))

    def post(self, label: str, path: str, fields: Sequence[tuple[str, str]], *, follow: bool = False) -> Visit:
        return self.record(label, self.client.post(path, fields, follow=follow))

    def upload(self, label: str, path: str, filename: str, data: bytes) -> Visit:
        return self.record(label, self.client.upload(path, "file", filename, data))


def query_value(url: str, name: str) -> str:
    values = parse_qs(urlsplit(unescape(url)).query).get(name)
    return values[0] if values else ""


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*("([^"]*)"|'([^']*)')""")
_INPUT = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): unescape(m.group(3) if m.group(3) is not None else m.group(4)) for m in _ATTR.finditer(tag)}


@dataclass
class Form:
    """An HTML form as a browser would submit it: action and the successful controls."""

    action: str
    fields: list[tuple[str, str]]
    offered: list[tuple[str, str]]  # every checkbox (name, value), ticked or not

    def tick(self, name: str, value: str) -> bool:
        """Tick a checkbox; False when the form has no such checkbox."""
        if (name, value) not in self.offered:
            return False
        if (name, value) not in self.fields:
            self.fields.append((name, value))
        return True


def find_form(html: str, form_id: str) -> Form | None:
    """The form with ``id=form_id`` (inputs and textareas; selects keep their selected option)."""
    for match in _FORM.finditer(html):
        attrs = _attrs(match.group(1))
        if attrs.get("id") != form_id:
            continue
        fields: list[tuple[str, str]] = []
        offered: list[tuple[str, str]] = []
        for control in _INPUT.finditer(match.group(2)):
            kind, a = control.group(1).lower(), _attrs(control.group(2))
            name = a.get("name")
            if not name:
                continue
            if kind == "input":
                typ = a.get("type", "text").lower()
                if typ in ("checkbox", "radio"):
                    offered.append((name, a.get("value", "on")))
                    if re.search(r"\schecked\b", control.group(2), re.I):
                        fields.append((name, a.get("value", "on")))
                elif typ not in ("submit", "button", "file", "image", "reset"):
                    fields.append((name, a.get("value", "")))
        return Form(attrs.get("action", ""), fields, offered)
    return None


class Admin:
    """The admin of one store (logged in by ``login``). Subclasses hold the per-series routes."""

    series = ""

    def __init__(self, browser: Browser, admin_url: str, version: str) -> None:
        self.browser = browser
        self.admin_url = admin_url
        self.version = version
        self.token = ""

    # ---- generic --------------------------------------------------------------------------
    def url(self, route: str, params: Sequence[tuple[str, str]] = ()) -> str:
        query = [("route", route)]
        if self.token:
            query.append(("user_token", self.token))
        query += list(params)
        return f"{self.admin_url}index.php?{urlencode(query, safe='/|.')}"

    def open(self, label: str, route: str, params: Sequence[tuple[str, str]] = (), *, follow: bool = True) -> Visit:
        visit = self.browser.get(label, self.url(route, params), follow=follow)
        self._check_session(visit)
        return visit

    def _check_session(self, visit: Visit) -> None:
        if 'id="form-login"' in visit.body or ("route=common/login" in visit.url and 'name="password"' in visit.body):
            raise StoreError(f"the admin session was lost at {visit.label} (the store answered with its login page)")

    def login(self, username: str, password: str) -> Visit:
        """Log in through the login form; the user token comes back in a redirect (3.0) or JSON (4.x)."""
        page = self.browser.get("admin login page", f"{self.admin_url}index.php?route=common/login")
        form = find_form(page.body, "form-login")
        action = form.action if form and form.action else f"{self.admin_url}index.php?route=common/login"
        visit = self.browser.post("admin login", action, [("username", username), ("password", password)])
        target = visit.location or (str(visit.data.get("redirect", "")) if visit.data else "")
        token = query_value(target, "user_token")
        if not token:
            detail = visit.json_error or (visit.body.strip()[:200] if visit.status >= 400 else f"HTTP {visit.status}")
            raise StoreError(f"cannot log in to the admin of OpenCart {self.version}: {detail}")
        self.token = token
        return visit

    def grant(self, user_group_id: int, key: str, kinds: Sequence[str] = ("access", "modify")) -> tuple[bool, Visit]:
        """Tick ``key`` for ``kinds`` in System > Users > User Groups and save, as an admin does.
        False when the form offers no checkbox for ``key`` (the admin cannot grant it)."""
        page = self.open(f"User Groups form (group {user_group_id})", self.group_form_route(), [("user_group_id", str(user_group_id))])
        form = find_form(page.body, "form-user-group")
        if form is None:
            raise StoreError(f"OpenCart {self.version}: no user group form at {page.url}")
        offered = all(form.tick(f"permission[{kind}][]", key) for kind in kinds)
        if not offered:
            return False, page
        fields = form.fields
        if not any(name == "user_group_id" for name, _ in fields):
            fields = [*fields, ("user_group_id", str(user_group_id))]
        saved = self.browser.post(f"User Groups save (grant {key})", form.action, fields)
        return True, saved

    # ---- per series ---------------------------------------------------------------------------
    def group_form_route(self) -> str:
        raise NotImplementedError

    def upload(self, filename: str, data: bytes) -> list[Visit]:
        raise NotImplementedError

    def refresh(self) -> Visit:
        raise NotImplementedError

    def extension_list(self, ext_type: str) -> Visit:
        raise NotImplementedError

    def install_extension(self, ext_type: str, package_code: str, code: str) -> Visit:
        raise NotImplementedError

    def uninstall_extension(self, ext_type: str, package_code: str, code: str) -> Visit:
        raise NotImplementedError

    def uninstall_package(self, extension_install_id: int) -> list[Visit]:
        raise NotImplementedError

    def page_route(self, page: str) -> str:
        raise NotImplementedError

    def method(self, route: str, name: str) -> str:
        raise NotImplementedError

    # ---- chains of JSON steps -----------------------------------------------------------------
    def follow_steps(self, first: Visit, label: str, limit: int = 60) -> list[Visit]:
        """Follow ``next`` URLs as the installer's JavaScript does, until success, error or garbage."""
        steps = [first]
        visit = first
        while visit.data is not None and not visit.json_error and visit.data.get("next"):
            if len(steps) >= limit:
                break
            nxt = str(visit.data["next"]).replace("&amp;", "&")
            route = query_value(nxt, "route")
            page = query_value(nxt, "page")
            visit = self.browser.get(f"{label} {route}" + (f" (page {page})" if page else ""), nxt)
            steps.append(visit)
        return steps


class Admin30(Admin):
    """OpenCart 3.0.x: routes with ``/`` methods; installer steps answer JSON; lists are HTML."""

    series = "3.0"

    def group_form_route(self) -> str:
        return "user/user_permission/edit"

    def method(self, route: str, name: str) -> str:
        return f"{route}/{name}"

    def upload(self, filename: str, data: bytes) -> list[Visit]:
        first = self.browser.upload("install step marketplace/installer/upload", self.url("marketplace/installer/upload"), filename, data)
        return self.follow_steps(first, "install step")

    def refresh(self) -> Visit:
        return self.open("Modifications > Refresh", "marketplace/modification/refresh")

    def extension_list(self, ext_type: str) -> Visit:
        return self.open(f"Extensions > Extensions > {ext_type}", f"extension/extension/{ext_type}")

    def install_extension(self, ext_type: str, package_code: str, code: str) -> Visit:
        return self.open(f"Extensions > {ext_type} > install {code}", f"extension/extension/{ext_type}/install", [("extension", code)])

    def uninstall_extension(self, ext_type: str, package_code: str, code: str) -> Visit:
        return self.open(f"Extensions > {ext_type} > uninstall {code}", f"extension/extension/{ext_type}/uninstall", [("extension", code)])

    def uninstall_package(self, extension_install_id: int) -> list[Visit]:
        first = self.open("Installer > uninstall", "marketplace/install/uninstall", [("extension_install_id", str(extension_install_id))], follow=False)
        return self.follow_steps(first, "uninstall step")

    def page_route(self, page: str) -> str:
        return {"product_form": "catalog/product/edit", "order_info": "sale/order/info", "dashboard": "common/dashboard"}[page]


class Admin4(Admin):
    """OpenCart 4.0.x/4.1.x: ``.`` (4.0.2.0+) or ``|`` method separator; everything AJAX/JSON."""

    series = "4"

    @property
    def sep(self) -> str:
        parts = tuple(int(p) for p in re.findall(r"\d+", self.version)[:4])
        return "." if parts >= (4, 0, 2, 0) else "|"

    def method(self, route: str, name: str) -> str:
        return f"{route}{self.sep}{name}"

    def group_form_route(self) -> str:
        return self.method("user/user_permission", "form")

    def upload(self, filename: str, data: bytes) -> list[Visit]:
        route = self.method("marketplace/installer", "upload")
        first = self.browser.upload(f"install step {route}", self.url(route), filename, data)
        return [first]

    def install(self, extension_install_id: int) -> list[Visit]:
        first = self.open(
            f"install step {self.method('marketplace/installer', 'install')}",
            self.method("marketplace/installer", "install"),
            [("extension_install_id", str(extension_install_id))],
            follow=False,
        )
        return self.follow_steps(first, "install step")

    def refresh(self) -> Visit:
        return self.open("Modifications > Refresh", self.method("marketplace/modification", "refresh"), follow=False)

    def enable_modification(self, modification_id: int) -> Visit:
        return self.open(
            f"Modifications > enable {modification_id}",
            self.method("marketplace/modification", "enable"),
            [("modification_id", str(modification_id))],
            follow=False,
        )

    def extension_list(self, ext_type: str) -> Visit:
        # Extensions > Extensions loads the type's index(), which renders its list.
        return self.open(f"Extensions > Extensions > {ext_type}", f"extension/{ext_type}")

    def install_extension(self, ext_type: str, package_code: str, code: str) -> Visit:
        return self.open(f"Extensions > {ext_type} > install {code}", self.method(f"extension/{ext_type}", "install"), [("extension", package_code), ("code", code)], follow=False)

    def uninstall_extension(self, ext_type: str, package_code: str, code: str) -> Visit:
        return self.open(f"Extensions > {ext_type} > uninstall {code}", self.method(f"extension/{ext_type}", "uninstall"), [("extension", package_code), ("code", code)], follow=False)

    def uninstall_package(self, extension_install_id: int) -> list[Visit]:
        first = self.open("Installer > uninstall", self.method("marketplace/installer", "uninstall"), [("extension_install_id", str(extension_install_id))], follow=False)
        steps = self.follow_steps(first, "uninstall step")
        if steps[-1].data is not None and not steps[-1].json_error:
            steps.append(self.open("Installer > delete", self.method("marketplace/installer", "delete"), [("extension_install_id", str(extension_install_id))], follow=False))
        return steps

    def page_route(self, page: str) -> str:
        return {
            "product_form": self.method("catalog/product", "form"),
            "order_info": self.method("sale/order", "info"),
            "dashboard": "common/dashboard",
        }[page]


def admin_for(series: str, browser: Browser, admin_url: str, version: str) -> Admin:
    return Admin30(browser, admin_url, version) if series == "3.0" else Admin4(browser, admin_url, version)
