"""openpyxl is loaded only when a workbook is written or read, never by importing tracker.export."""

from __future__ import annotations

import subprocess
import sys

from conftest_paths import ROOT


def loaded_after(stmt: str) -> set[str]:
    code = f"import sys; {stmt}; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_package_and_the_command_loads_no_spreadsheet_library():
    mods = loaded_after("import tracker.export, tracker.commands.export_cmd, tracker.export.data")
    assert "openpyxl" not in mods
    assert "textual" not in mods
    assert "sqlalchemy" not in mods


def test_writing_loads_openpyxl():
    assert "openpyxl" in loaded_after("import tracker.export.sheets")
