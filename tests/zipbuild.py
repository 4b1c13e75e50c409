"""Hostile and broken zips, built byte by byte (shared by tests/hostile and the rule examples)."""

from __future__ import annotations

import io
import struct
import zipfile

_LOCAL, _CENTRAL = b"PK\x03\x04", b"PK\x01\x02"


def zip_bytes(entries: list[tuple[zipfile.ZipInfo | str, bytes]], compresslevel: int | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info, target.encode()


def _headers(data: bytes | bytearray, name: bytes) -> list[tuple[int, int]]:
    """(header offset, flags offset) of every local and central header naming ``name``."""
    found = []
    for signature, name_at, flags_at in ((_LOCAL, 30, 6), (_CENTRAL, 46, 8)):
        pos = data.find(signature)
        while pos >= 0:
            if data[pos + name_at : pos + name_at + len(name)] == name:
                found.append((pos, pos + flags_at))
            pos = data.find(signature, pos + 1)
    return found


def set_encrypted(data: bytes, name: str) -> bytes:
    """Set the "encrypted" flag of entry ``name`` (its bytes stay plain: no tool can read it)."""
    out = bytearray(data)
    for _pos, flags_at in _headers(out, name.encode()):
        struct.pack_into("<H", out, flags_at, struct.unpack_from("<H", out, flags_at)[0] | 1)
    return bytes(out)


def legacy_name(entries: list[tuple[zipfile.ZipInfo | str, bytes]], name: str) -> bytes:
    """A zip whose entry ``name`` (non-ASCII) is stored in cp437 without the UTF-8 flag, as old
    zippers on Windows write it."""
    legacy = name.encode("cp437")
    placeholder = "~" * len(legacy)
    data = zip_bytes([*entries, (placeholder, b"x")])
    return data.replace(placeholder.encode(), legacy)


def corrupt(data: bytes, name: str) -> bytes:
    """Damage the compressed data of entry ``name``."""
    out = bytearray(data)
    encoded = name.encode()
    pos = next(p for p, _ in _headers(out, encoded) if out[p : p + 4] == _LOCAL)
    start = pos + 30 + len(encoded) + struct.unpack_from("<H", out, pos + 28)[0]
    out[start + 5 : start + 20] = b"\xff" * 15
    return bytes(out)


def zeros_entry(zf: zipfile.ZipFile, name: str, mib: int) -> None:
    """An entry of ``mib`` MiB of zeros (compresses about 1000:1)."""
    with zf.open(name, "w", force_zip64=True) as handle:
        block = b"\0" * (1 << 20)
        for _ in range(mib):
            handle.write(block)
