"""A tiny stand-in for an OpenCart admin (3.0 or 4.x): just the answers ``try`` relies on.

It imitates what real stores were seen to answer: a session cookie, the user token in a
redirect (3.0) or in JSON (4.x), installer steps chained by ``next`` URLs, OpenCart 3.0's PHP 8
deprecations printed in front of every answer, a Refresh that redirects, HTML extension lists,
and the User Groups form. Every request is recorded for the tests to look at.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "tok3n"
DEPRECATION = "<b>Unknown</b>: Creation of dynamic property Proxy::$x is deprecated in <b>/store/system/engine/proxy.php</b> on line <b>30</b>"


@dataclass
class FakeState:
    series: str = "3.0"
    fail_step: str = ""  # route of an installer step that answers an error
    noise: bool = True  # print core deprecations in front of every answer (3.0.3.8 on PHP 8)
    offered: list[str] = field(default_factory=lambda: ["catalog/product", "extension/acme"])
    granted: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    uploads: list[tuple[str, int]] = field(default_factory=list)


def _handler(state: FakeState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
            data = ((DEPRECATION if state.noise else "") + body).encode()
            self.send_response(status)
            self.send_header("Set-Cookie", "OCSESSID=abc123; path=/")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _json(self, value: dict[str, object]) -> None:
            self._send(200, json.dumps(value), {"Content-Type": "application/json"})

        def _url(self, route: str, extra: str = "") -> str:
            return f"http://{self.headers['Host']}/admin/index.php?route={route}&user_token={TOKEN}{extra}"

        def do_GET(self) -> None:
            self._route("GET", {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            form: dict[str, list[str]] = {}
            if self.headers.get("Content-Type", "").startswith("multipart/form-data"):
                name = raw.split(b'filename="', 1)[1].split(b'"', 1)[0].decode() if b'filename="' in raw else ""
                state.uploads.append((name, len(raw)))
                form["file"] = [name]
            else:
                form = parse_qs(raw.decode())
            self._route("POST", form)

        def _route(self, method: str, form: dict[str, list[str]]) -> None:
            query = parse_qs(urlsplit(self.path).query)
            route = query.get("route", [""])[0]
            state.requests.append((method, route, form))
            authed = query.get("user_token", [""])[0] == TOKEN and "OCSESSID=abc123" in self.headers.get("Cookie", "")
            if route.startswith("common/login"):
                return self._login(method, route, form)
            if not authed:
                return self._send(200, '<form id="form-login" action="x"><input name="password"></form>')
            sep = "/" if state.series == "3.0" else "."
            if state.series == "3.0" and route.startswith(("marketplace/installer/upload", "marketplace/install/")):
                return self._step30(route)
            if route == f"marketplace/installer{sep}upload":
                return self._json({"success": "Success: You have uploaded!"})
            if route.startswith("marketplace/installer."):
                return self._step4(route, query)
            if route == "marketplace/modification/refresh":
                return self._send(302, "", {"Location": self._url("marketplace/modification")})
            if route == "marketplace/modification.refresh":
                return self._json({"success": "Success: You have modified modifications!"})
            if route in ("user/user_permission/edit", "user/user_permission.form"):
                return self._group_form(method, form)
            if route == "user/user_permission.save":
                state.granted.extend(form.get("permission[access][]", []))
                return self._json({"success": "Success: You have modified user groups!"})
            if route.startswith(("extension/extension/module", "extension/module")):
                return self._extensions(route, query)
            if route == "extension/acme/report" and "extension/acme" not in state.granted:
                return self._send(200, "<h1>Permission Denied!</h1><p>You do not have permission to access this page, please refer to your system administrator.</p>")
            return self._send(200, f"<html><body><h1>{route}</h1></body></html>")

        def _login(self, method: str, route: str, form: dict[str, list[str]]) -> None:
            if method == "GET":
                action = "common/login" if state.series == "3.0" else "common/login.login&amp;login_token=lt"
                return self._send(
                    200,
                    f'<form action="http://{self.headers["Host"]}/admin/index.php?route={action}" method="post"'
                    + (' id="form-login"' if state.series != "3.0" else "")
                    + '><input name="username"><input name="password"></form>',
                )
            ok = form.get("username") == ["admin"] and form.get("password") == ["secret"]
            if state.series == "3.0":
                if ok:
                    return self._send(302, "", {"Location": self._url("common/dashboard")})
                return self._send(200, '<div class="alert alert-danger">No match</div>')
            return self._json({"redirect": self._url("common/dashboard")} if ok else {"error": {"warning": "Warning: No match for Username and/or Password."}})

        def _step30(self, route: str) -> None:
            chain = ["marketplace/installer/upload", "marketplace/install/install", "marketplace/install/unzip", "marketplace/install/move", "marketplace/install/xml", "marketplace/install/remove"]
            if route == state.fail_step:
                return self._json({"error": "The directory admin/controller/common is not allowed to be written to!"})
            i = chain.index(route)
            if i == len(chain) - 1:
                return self._json({"success": "Success: You have modified extensions!"})
            return self._json({"text": "Next", "next": self._url(chain[i + 1], "&amp;extension_install_id=7")})

        def _step4(self, route: str, query: dict[str, list[str]]) -> None:
            page = int(query.get("page", ["1"])[0])
            if route == state.fail_step:
                return self._json({"error": "Path acme_try/ already exists!"})
            if route == "marketplace/installer.install" and page < 2:
                return self._json({"text": "page 1", "next": self._url("marketplace/installer.install", "&extension_install_id=7&page=2")})
            if route == "marketplace/installer.install":
                return self._json({"text": "done", "next": self._url("marketplace/installer.xml", "&extension_install_id=7")})
            if route == "marketplace/installer.uninstall":
                return self._json({"text": "removed", "next": self._url("marketplace/installer.vendor", "&extension_install_id=7")})
            return self._json({"success": "Success: You have modified extensions!"})

        def _group_form(self, method: str, form: dict[str, list[str]]) -> None:
            if method == "POST":
                state.granted.extend(form.get("permission[access][]", []))
                return self._send(302, "", {"Location": self._url("user/user_permission")})
            action = self._url("user/user_permission/edit" if state.series == "3.0" else "user/user_permission.save")
            boxes = "".join(
                f'<input type="checkbox" name="permission[access][]" value="{p}"{" checked" if p in state.granted else ""}/><input type="checkbox" name="permission[modify][]" value="{p}"/>'
                for p in state.offered
            )
            return self._send(200, f'<form id="form-user-group" action="{action}" method="post"><input type="text" name="name" value="Administrator"/>{boxes}</form>')

        def _extensions(self, route: str, query: dict[str, list[str]]) -> None:
            if state.series == "3.0":
                link = self._url("extension/extension/module/install", "&amp;extension=acme_try")
                alert = '<div class="alert alert-danger"><i></i> Warning: You do not have permission!</div>' if route.endswith("install") and state.fail_step == "install" else ""
                return self._send(200, f'{alert}<table><a href="{link}">install</a></table>')
            if route == "extension/module":
                link = self._url("extension/module.install", "&amp;extension=acme_try&amp;code=acme_try")
                return self._send(200, f'<table><a href="{link}">install</a></table>')
            return self._json({"success": "Success: You have modified modules!"})

    return Handler


@contextmanager
def fake_admin(series: str = "3.0", **kw: object) -> Iterator[tuple[str, FakeState]]:
    """Serve a fake admin on 127.0.0.1; yields (store base URL, state)."""
    state = FakeState(series=series, **kw)  # type: ignore[arg-type]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", state
    finally:
        server.shutdown()
        server.server_close()
