"""The cron path stays light: what `tracker` commands import, checked at run time.

import-linter checks the static graph; imports deferred inside functions are only visible here.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("textual", "openpyxl", "sqlmodel", "sqlalchemy", "rich", "docx")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in result.stdout.split()}


def test_package_import_loads_nothing_heavy():
    loaded = _loaded_after("import tracker")
    assert not loaded & set(HEAVY)


def test_cli_help_loads_nothing_heavy():
    code = "from tracker.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY)
