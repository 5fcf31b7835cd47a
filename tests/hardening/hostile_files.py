"""Builders of hostile files for the hardening tests (zip bombs, mixed encodings, big plans)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from unittest import mock

MIB = 1 << 20


class _RepeatedSpaces:
    """A stand-in deflate compressor for data made of spaces only: it emits one precomputed
    block per MiB (each referring back to the previous window), so a GiB "compresses" in
    milliseconds instead of a quarter of a minute. The result is a valid deflate stream."""

    def __init__(self) -> None:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = b" " * MIB
        self.first = c.compress(chunk) + c.flush(zlib.Z_SYNC_FLUSH)
        self.repeat = c.compress(chunk) + c.flush(zlib.Z_SYNC_FLUSH)
        self.end = c.flush()
        self.calls = 0

    def compress(self, data: bytes) -> bytes:
        assert data == b" " * MIB
        self.calls += 1
        return self.first if self.calls == 1 else self.repeat

    def flush(self) -> bytes:
        return self.end


def docx_bomb(path: Path, *, mib: int = 1024) -> Path:
    """A .docx whose word/document.xml unpacks to `mib` MiB of spaces (about 1 kB per MiB packed).

    Every other member is a real python-docx document, so the file passes as a Word container.
    """
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        fake = _RepeatedSpaces()
        with mock.patch.object(zipfile, "_get_compressor", return_value=fake):
            member = zipfile.ZipInfo("word/document.xml")
            member.compress_type = zipfile.ZIP_DEFLATED
            chunk = b" " * MIB
            with dst.open(member, "w", force_zip64=mib >= 4096) as out:
                for _ in range(mib):
                    out.write(chunk)
    return path
