"""Hypothesis strategies shared by the fuzz tests and benchmarks/reliability.py."""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st

NAMES = st.sampled_from(
    ["install.xml", "upload/admin/controller/extension/module/x.php", "upload/catalog/view/theme/default/template/x.twig",
     "upload/system/library/x.php", "upload/../x", "/abs", "upload\\win.php", "SQL/install.sql", "wrap/install.xml",
     "upload/.htaccess", "upload/a*b.php", "upload/x.zip", "upload/ü.php", "upload/", "docs/readme.md"]
) | st.text(alphabet="abcxyz/._-\\:*", min_size=1, max_size=30)

TAGS = ["modification", "name", "code", "version", "author", "link", "file", "operation", "search", "add", "ignoreif"]


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    """install.xml-like documents: valid structure with random attribute values and texts."""
    text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
    attr_values = st.sampled_from(["before", "after", "replace", "top", "After", "true", "false", "skip", "abort", "log", "-1", "0", "2", "a", "0,1", ""]) | text
    parts = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<modification>"]
    for tag in ("name", "code", "version"):
        if draw(st.booleans()):
            parts.append(f"<{tag}><![CDATA[{draw(text).replace(']]>', '')}]]></{tag}>")
    for _ in range(draw(st.integers(0, 3))):
        parts.append(f'<file path="{_esc(draw(text))}">')
        for _ in range(draw(st.integers(0, 3))):
            attrs = " ".join(f'{k}="{_esc(draw(attr_values))}"' for k in draw(st.sets(st.sampled_from(["error", "info"]))))
            parts.append(f"<operation {attrs}>")
            if draw(st.booleans()):
                sattrs = " ".join(f'{k}="{_esc(draw(attr_values))}"' for k in draw(st.sets(st.sampled_from(["regex", "trim", "index", "limit", "position"]))))
                parts.append(f"<search {sattrs}><![CDATA[{draw(text).replace(']]>', '')}]]></search>")
            if draw(st.booleans()):
                aattrs = " ".join(f'{k}="{_esc(draw(attr_values))}"' for k in draw(st.sets(st.sampled_from(["position", "offset", "trim"]))))
                parts.append(f"<add {aattrs}>{_esc(draw(text))}</add>")
            parts.append("</operation>")
        parts.append("</file>")
    parts.append("</modification>")
    document = "\n".join(parts).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # sometimes break it
        cut = draw(st.integers(0, len(document)))
        document = document[:cut] + draw(st.binary(max_size=8)) + document[cut:]
    return document


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@st.composite
def zips(draw: st.DrawFn) -> bytes:
    """Zips with random names, contents (some manifests), methods, and sometimes damaged bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for _ in range(draw(st.integers(0, 6))):
            name = draw(NAMES)
            data = draw(manifests()) if name.endswith(".xml") else draw(st.binary(max_size=200))
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            if draw(st.integers(0, 9)) == 0:
                info.create_system = 3
                info.external_attr = 0o120777 << 16
            try:
                zf.writestr(info, data)
            except (ValueError, UserWarning):
                pass
    data = buf.getvalue()
    if draw(st.integers(0, 4)) == 0 and data:
        pos = draw(st.integers(0, len(data) - 1))
        data = data[:pos] + draw(st.binary(min_size=1, max_size=16)) + data[pos + 1 :]
    return data


project_texts = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda name, code, version, extra: f"extension:\n  name: {name}\n  code: {code}\n  version: {version}\n{extra}",
        st.text(max_size=20), st.text(max_size=12), st.text(max_size=8),
        st.sampled_from(["", "vars: {a: 1}\n", "marketplaces:\n  x: true\n", "lint: {fail_on: x}\n", "a: &a [1]\nb: *a\n", "package: {stem: '{x'}\n", "opencart: {target: 4.1}\n"]),
    ),
)
