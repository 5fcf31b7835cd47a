"""Refuse a ZIP container (.docx, .xlsx) that would unpack to far more than any plan, before
anything is inflated: the zip-bomb check shared by the .docx and .xlsx readers.

The sizes checked are the ones the archive declares in its central directory. Python's zipfile
never inflates a member past its declared size (a member that lies about it fails its CRC check
instead), so the declared total bounds the work the readers below can be made to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tracker.errors import BadInputError

MAX_UNPACKED = 200 * 1024 * 1024
"""Largest total a .docx or .xlsx may unpack to. A plan's XML is a few MB (images add some); a file
that declares more is damaged or a zip bomb (issue 7: a 1 MB bomb unpacking to 1 GiB took 12 s and
2.1 GB of memory to refuse as .docx, 8 s as .xlsx, before this check)."""


def unpacked_size(path: Path) -> int | None:
    """The total size the ZIP at `path` declares its members unpack to; None when it is not a
    readable ZIP (the caller's reader then says so in its own sentence)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def check_unpacked_size(path: Path, *, fix: str, fix_zh: str, limit: int = MAX_UNPACKED) -> None:
    """Raise BadInputError when the ZIP at `path` would unpack to more than `limit` bytes.

    `fix` ends the sentence: what the user can do ("open it in Word or WPS and save it again as
    .docx"); `fix_zh` ends the Chinese one. A file that is not a readable ZIP passes: this check is
    about size only.
    """
    total = unpacked_size(path)
    if total is not None and total > limit:
        raise BadInputError(
            f"{path.name} would unpack to {total // (1024 * 1024)} MB, far more than a plan "
            f"(at most {limit // (1024 * 1024)} MB); it is damaged or a zip bomb — {fix}.",
            zh=f"{path.name} 解压后将有 {total // (1024 * 1024)} MB, 远超任何计划文件 "
               f"(最多 {limit // (1024 * 1024)} MB); 文件可能已损坏或被恶意构造; {fix_zh}。",
        )
