"""Hostile and odd install.xml files: refused with a rule code, or read exactly as PHP would."""

from __future__ import annotations

import time

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.lint import lint
from ocmod_forge.manifest import ManifestError, parse_manifest
from ocmod_forge.tree import PackageFile, PackageTree

LAUGHS = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + b"".join(
    b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
) + b"]>\n<modification><name>&lol9;</name><code>x</code></modification>\n"
QUADRATIC = b'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY a "' + b"a" * 50_000 + b'">]>\n<modification><name>' + b"&a;" * 50_000 + b"</name></modification>"
EXTERNAL = b'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<modification><name>&x;</name><code>x</code></modification>'
NETWORK = b'<?xml version="1.0"?>\n<!DOCTYPE m SYSTEM "http://127.0.0.1:9/evil.dtd">\n<modification><code>x</code></modification>'


def _codes(xml: bytes) -> set[str]:
    tree = PackageTree(files={"install.xml": PackageFile(xml)})
    return {d.code for d in lint(LintInput(tree=tree)).diagnostics}


@pytest.mark.parametrize("xml", [LAUGHS, QUADRATIC, EXTERNAL, NETWORK], ids=["billion-laughs", "quadratic", "external-entity", "network-dtd"])
def test_dtd_attacks_are_refused_fast(xml: bytes) -> None:
    started = time.perf_counter()
    assert "MAN002" in _codes(xml)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "xml",
    [b"", b"<modification>", b"<modification><name>A & B</name></modification>", b"\xff\xfe<\x00m\x00", b"<modification><name>\xc3\x28</name></modification>"],
    ids=["empty", "unclosed", "bare-ampersand", "utf16-garbage", "invalid-utf8"],
)
def test_broken_xml_is_man001(xml: bytes) -> None:
    assert "MAN001" in _codes(xml)


def test_huge_manifest_is_refused_without_parsing() -> None:
    big = b"<modification><name>x</name><code>x</code>" + b"<!-- padding -->" * 600_000 + b"</modification>"
    with pytest.raises(ManifestError) as info:
        parse_manifest(big)
    assert info.value.kind == "size"
    assert "MAN001" in _codes(big)


def test_bom_crlf_and_declared_latin1_parse_like_php() -> None:
    bom_crlf = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<modification>\r\n<name>N</name>\r\n<code>c</code>\r\n</modification>\r\n"
    manifest = parse_manifest(bom_crlf)
    assert manifest.has_bom and manifest.code == "c" and manifest.name == "N"
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<modification><name>Caf\xe9</name><code>c</code></modification>'.encode("latin-1")
    manifest = parse_manifest(latin1)
    assert manifest.name == "Café" and manifest.encoding == "ISO-8859-1"
