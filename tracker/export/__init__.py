"""tracker.export — the monthly Excel ledger (工作台账), written safely to disk.

`write_ledger(data, path)` builds the six sheets (汇总 · 督办通报 · 工作台账 · 逾期事项 · 临期事项 ·
本月完成) plus a very hidden `_tracker` sheet, saves to a temporary name in the target directory
and renames it over the target, so a reader never sees half a workbook. A target that is open in
Excel/WPS/LibreOffice (their lock file "~$name.xlsx" / ".~lock.name#" lies beside it) or that
refuses the rename (PermissionError, as Windows does for an open file) is not overwritten: the
workbook goes to "name-1.xlsx" (or -2, …) and `WriteResult.why(lang)` says why.

This package's `__init__` imports no openpyxl: the sheet modules that need it are imported
inside `build_workbook` (openpyxl costs ~96 ms to import here), so the TUI and the command
line load it only when a workbook is actually written.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import query
from tracker.errors import OutputError
from tracker.export.data import LedgerData, load_ledger

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["LedgerData", "WriteResult", "build_workbook", "default_path", "export_ledger", "ledger_path",
           "load_ledger", "write_ledger"]

SHEETS = ("汇总", "督办通报", "工作台账", "逾期事项", "临期事项", "本月完成")
"""The visible sheets, in order."""

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class WriteResult:
    """Where the workbook went, and why not where asked (None when it went there)."""

    path: Path
    requested: Path
    reason: str | None = None
    rows: int = 0
    """Tasks on 工作台账."""
    reason_zh: str | None = None
    """`reason` in Chinese."""

    def why(self, lang: str = "zh") -> str | None:
        """Why the workbook is not where asked, in the user's language (None when it is)."""
        return self.reason if lang == "en" or self.reason_zh is None else self.reason_zh


def default_path(*, plan: str, as_of: date, owner: str | None = None,
                 base: Path = Path("exports")) -> Path:
    """exports/<plan>-<YYYY-MM>-工作台账.xlsx, with the unit's name for --for-owner workbooks.

    Characters a file name cannot carry on Windows (\\ / : * ? " < > | and spaces) become "_".
    """
    parts = [plan, f"{as_of.year:04d}-{as_of.month:02d}"]
    if owner:
        parts.append(owner)
    name = "-".join(_UNSAFE.sub("_", p) for p in parts)
    return base / f"{name}-工作台账.xlsx"


def ledger_path(*, plan_id: int | None, as_of: date, owner: str | None = None,
                base: Path = Path("exports")) -> Path:
    """The default file of a plan's ledger — `tracker export`'s and the TUI's alike:
    exports/<plan id>-<YYYY-MM>-工作台账.xlsx, "all" for every plan (`--plan all`)."""
    return default_path(plan="all" if plan_id is None else str(plan_id), as_of=as_of, owner=owner, base=base)


def build_workbook(data: LedgerData) -> Workbook:
    """The ledger as a write-only workbook, ready to save once."""
    # openpyxl (~96 ms) is imported here and by the sheet modules, never on the cron path.
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.protection import WorkbookProtection

    from tracker.export import sheets, style
    from tracker.export.cells import MARKER

    wb = Workbook(write_only=True)
    style.register_styles(wb)
    sheets.summary_sheet(wb, data)
    sheets.supervision_sheet(wb, data)
    sheets.ledger_sheet(wb, data)
    sheets.overdue_sheet(wb, data)
    sheets.due_soon_sheet(wb, data)
    sheets.done_sheet(wb, data)
    sheets.hidden_sheet(wb, data)
    wb.custom_doc_props.append(  # type: ignore[attr-defined]  # missing from the stubs
        StringProperty(name=MARKER, value=data.as_of.isoformat()))
    # Structure locked (no password) so the hidden _tracker sheet is not unhidden or deleted by a slip.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.title = f"{data.title} 工作台账"
    wb.properties.creator = "tracker"
    return wb


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel, WPS and LibreOffice leave beside an open workbook, if present."""
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    if len(path.name) > 2:
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [p for p in candidates if p.exists()]


def _fallback(path: Path) -> Path:
    for n in range(1, 100):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists() and not lock_files(candidate):
            return candidate
    raise OutputError(f"cannot find a free file name beside {path}; choose another with --out.",
                      zh=f"在 {path} 所在目录中找不到可用的文件名; 请用 --out 另选一个。")


_TEMP_PREFIX = ".~tracker-"
_STALE_SECONDS = 3600


def _write_errors() -> tuple[type[BaseException], ...]:
    try:
        from lxml.etree import SerialisationError  # openpyxl writes through lxml when present
    except ImportError:  # pragma: no cover - lxml comes with python-docx
        return (OSError,)
    return (OSError, SerialisationError)



def _discard(wb: Workbook) -> None:
    """Close an unsaved workbook's sheet writers silently and remove their temporary files.

    openpyxl's write-only sheets open a temporary file and an lxml writer as soon as they are
    created; left to the garbage collector after a failed save, each writer raises inside
    `__del__`, which Python reports on stderr as "Exception ignored in …" — a traceback in front
    of the user for an error already explained in one sentence — and its file stays in the
    system's temp directory until the process exits (the TUI runs for hours).
    """
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        for ws in list(getattr(wb, "_sheets", ())):
            writer = getattr(ws, "_writer", None)
            for stream in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
                try:
                    if stream is not None:
                        stream.close()
                except Exception:  # lxml objects to closing half a sheet; it is discarded anyway
                    pass
            try:
                if writer is not None and isinstance(writer.out, str):
                    writer.cleanup()
            except (OSError, ValueError):
                pass
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _sweep_stale_temporaries(folder: Path) -> None:
    """Remove temporary files an export killed mid-write left behind (older than an hour).

    A fresh one may belong to an export running right now, so it is left alone.
    """
    import time

    now = time.time()
    for leftover in folder.glob(f"{_TEMP_PREFIX}*"):
        try:
            if now - leftover.stat().st_mtime > _STALE_SECONDS:
                leftover.unlink()
        except OSError:
            continue


def _checked_target(path: Path) -> Path:
    """The target, refused with one sentence when it cannot be a workbook file; its folder created.

    Checked before anything is built: a directory named "x.xlsx" would otherwise fail only at the
    final rename, after the whole workbook was written. A directory is named as one whatever its
    name ends in (`export_ledger` writes the default file name into a directory given as --out).
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a directory; give a file name inside it, such as "
                          f"{path / '工作台账.xlsx'}.",  # (only the TUI meets it: --out DIR writes into DIR)
                          zh=f"{path} 是目录; 请指定其中的一个文件名, 如 {path / '工作台账.xlsx'}。")
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path} does not end in .xlsx; the ledger is an .xlsx workbook.",
                          zh=f"{path} 的扩展名不是 .xlsx; 工作台账只能保存为 .xlsx 文件。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the directory {path.parent} ({exc.strerror}).",
                          zh=f"无法创建目录 {path.parent} ({exc.strerror})。") from None
    return path


def _reserve_temporary(folder: Path) -> Path:
    """Create the temporary file the workbook will be saved to; proves `folder` is writable.

    Done before the workbook is built, so an unwritable place costs nothing and leaves no
    half-built writers behind.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write in {folder} ({exc.strerror}); choose another place "
                          "with --out.", zh=f"无法在 {folder} 中写入 ({exc.strerror}); 请用 --out 另选位置。") from None
    os.close(fd)
    return Path(tmp_name)


def _save(data: LedgerData, tmp: Path) -> None:
    """Build the workbook and save it to `tmp`; a failed save is one sentence, nothing on stderr."""
    wb = build_workbook(data)
    saved = False
    try:
        wb.save(tmp)
        saved = True
    except _write_errors() as exc:
        # lxml reports a full disk or a file-size limit as SerialisationError, not OSError
        failure = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise OutputError(f"cannot write the workbook in {tmp.parent} ({failure}); "
                          "is the disk full? Nothing was changed.",
                          zh=f"无法在 {tmp.parent} 中写入工作簿 ({failure}); 请检查磁盘是否已满。"
                             "未作任何修改。") from None
    finally:
        if not saved:
            _discard(wb)


def _move_into_place(tmp: Path, path: Path, target: Path) -> tuple[Path, tuple[str, str] | None]:
    """Rename the saved file over `target`; a refused rename goes to a fallback name instead (and
    says why, in English and Chinese)."""
    try:
        os.replace(tmp, target)
        return target, None
    except PermissionError:
        pass  # Windows refuses to replace a file open in Excel: write beside it
    except OSError as exc:
        raise OutputError(f"cannot write {target} ({exc.strerror}); choose another name with "
                          "--out.", zh=f"无法写入 {target} ({exc.strerror}); 请用 --out 另选文件名。") from None
    fallback = _fallback(path)
    try:
        os.replace(tmp, fallback)
    except OSError as exc:
        raise OutputError(f"cannot write {fallback} ({exc.strerror}).",
                          zh=f"无法写入 {fallback} ({exc.strerror})。") from None
    return fallback, (f"{path.name} is locked or open in another program", f"{path.name} 被锁定或已在其他程序中打开")


def write_ledger(data: LedgerData, path: Path) -> WriteResult:
    """Build the ledger and write it to `path` atomically (temp file in the same dir, then rename).

    A locked or open target is left alone and a fallback name is used (see the module docstring);
    a target that is a directory, or a directory that cannot be written, raises `OutputError`
    with one sentence before anything is built, leaving no temporary file. The directory is
    created when missing.
    """
    path = _checked_target(path)
    target: Path = path
    reason: tuple[str, str] | None = None
    locks = lock_files(path)
    if locks:
        target = _fallback(path)
        reason = (f"{path.name} is open in another program (lock file {locks[0].name})",
                  f"{path.name} 已在其他程序中打开 (锁文件 {locks[0].name})")
    _sweep_stale_temporaries(path.parent)
    tmp = _reserve_temporary(path.parent)
    try:
        _save(data, tmp)
        target, refused = _move_into_place(tmp, path, target)
    finally:
        tmp.unlink(missing_ok=True)
    why = refused or reason
    return WriteResult(path=target, requested=path, reason=why[0] if why else None, rows=len(data.tasks),
                       reason_zh=why[1] if why else None)


def export_ledger(db: str, *, as_of: date, plan: str | None, owner: str | None = None,
                  for_owner: bool = False, out: Path | None = None,
                  base: Path = Path("exports")) -> WriteResult:
    """Everything `tracker export` does below the command line, for the TUI's export key.

    `plan` is an id or part of a title ("all" for every plan), as `--plan` takes it; `out`
    defaults to `default_path` under `base`; an `out` that is an existing directory gets that
    default file name inside it (as `tracker backup --out DIR` does). Errors are `tracker.errors`
    sentences.
    """
    conn = query.connect(db)
    try:
        if plan is not None and plan.strip().lower() in ("all", "全部"):
            plan_id, title = None, f"政务公开工作要点(全部{len(query.list_plans(conn))}个计划)"
        else:
            info = query.resolve_plan(conn, plan)
            plan_id, title = info.plan_id, info.title
        if owner:
            query.check_owner(conn, owner)
        data = load_ledger(conn, as_of=as_of, title=title, plan_id=plan_id, owner=owner,
                           fillable=for_owner)
    finally:
        conn.close()
    if out is not None and Path(out).is_dir():  # --out DIR (a USB stick): the default file name in it
        out = ledger_path(plan_id=plan_id, as_of=as_of, owner=owner, base=Path(out))
    path = out or ledger_path(plan_id=plan_id, as_of=as_of, owner=owner, base=base)
    return write_ledger(data, path)
