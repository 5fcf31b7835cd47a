"""What the cron and shell read commands import, run for real: none of the costly stdlib modules.

`tracker plans`, `tasks`, `show`, `log` and `remind` (text and JSON, no mail) start cold many times
a day; issue #3 wants them within 60 ms, issue #6 `remind` within 6× `python -c pass`. So besides
the ORM, the UI and openpyxl, they must not load `dataclasses` (it brings inspect, ast, dis,
tokenize: ~11 ms), `shutil` (argparse asks it for the terminal width), `urllib.parse` and
`ipaddress` (only a URL needs them; `pathlib` brings both) or `json` unless they print JSON.

Each command runs in a fresh interpreter on a real database made by `tracker demo`. The
interpreter runs with `-S` and tracker's checkout plus the venv's site-packages on its path:
the editable install's start-up hook imports pathlib and urllib before any tracker code runs,
which an installed tracker does not, and would hide what tracker itself loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NEVER = ("dataclasses", "inspect", "ast", "dis", "tokenize", "shutil", "textual", "openpyxl", "sqlmodel",
         "sqlalchemy")
"""Modules no read command may load (top-level names)."""

URL_MODULES = ("urllib.parse", "ipaddress")
"""Loaded only for a database URL, never for a plain SQLite path."""

COMMANDS: dict[str, tuple[list[str], bool]] = {
    "plans": (["plans"], False),
    "plans --json": (["plans", "--json"], True),
    "tasks": (["tasks", "--as-of", "2024-07-01"], False),
    "tasks --status overdue": (["tasks", "--status", "overdue", "--as-of", "2024-07-01"], False),
    "tasks --json": (["tasks", "--json", "--as-of", "2024-07-01"], True),
    "show": (["show", "1:8", "--as-of", "2024-07-01"], False),
    "show --json": (["show", "1:8", "--json", "--as-of", "2024-07-01"], True),
    "log": (["log"], False),
    "log --json": (["log", "--json"], True),
    "remind": (["remind", "--as-of", "2024-07-01"], False),
    "remind --format json": (["remind", "--as-of", "2024-07-01", "--format", "json"], True),
}
"""name → (arguments, prints JSON)."""

_PROBE = """
import io, sys, typing
compiled = []
_init = typing.ForwardRef.__init__
def _counting_init(self, *args, **kwargs):
    compiled.append(args[0] if args else "")
    _init(self, *args, **kwargs)
typing.ForwardRef.__init__ = _counting_init
from tracker.cli import main
out, err = io.StringIO(), io.StringIO()
code = main(sys.argv[1:], out=out, err=err)
sys.stdout.write(f"{code}\\n{out.getvalue()[:1]!r}\\n{err.getvalue()!r}\\n{len(compiled)}\\n")
sys.stdout.write("\\n".join(sorted(sys.modules)))
"""



@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[set[str], int]]:
    """Each command of COMMANDS run once on a demo database → (the modules loaded when it ended,
    how many string annotations typing compiled into ForwardRefs on the way)."""
    db = tmp_path_factory.mktemp("cold") / "demo.db"
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_TODAY": "2024-07-01", "TRACKER_LANG": "zh",
           "PYTHONPATH": os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])}
    subprocess.run([sys.executable, "-m", "tracker", "demo"], env=env, check=True, capture_output=True)
    found: dict[str, tuple[set[str], int]] = {}
    for name, (argv, _) in COMMANDS.items():
        result = subprocess.run([sys.executable, "-S", "-c", _PROBE, *argv], env=env, cwd=ROOT,
                                capture_output=True, text=True, check=True)
        code, first_char, err, forward_refs, *names = result.stdout.split("\n")
        assert (code, err) == ("0", "''"), f"{name}: {result.stdout[:500]}"
        assert first_char != "''", f"{name} printed nothing"  # it did run and say something
        assert "tracker.cli" in names  # the probe ran tracker…
        assert "site" not in names  # …without the start-up hooks
        found[name] = (set(names), int(forward_refs))
    return found


@pytest.fixture(scope="module")
def loaded(probed: dict[str, tuple[set[str], int]]) -> dict[str, set[str]]:
    """Each command's loaded modules."""
    return {name: modules for name, (modules, _) in probed.items()}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_read_command_loads_no_introspection_ui_orm_or_shutil(loaded: dict[str, set[str]], name: str):
    found = sorted({module.split(".")[0] for module in loaded[name]} & set(NEVER))
    assert found == []


@pytest.mark.parametrize("name", COMMANDS)
def test_json_is_loaded_only_to_print_json(loaded: dict[str, set[str]], name: str):
    prints_json = COMMANDS[name][1]
    assert ("json" in loaded[name]) is prints_json


@pytest.mark.parametrize("name", COMMANDS)
def test_a_sqlite_path_needs_no_url_parsing(loaded: dict[str, set[str]], name: str):
    assert sorted(loaded[name] & set(URL_MODULES)) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_a_read_command_compiles_no_string_annotations(probed: dict[str, tuple[set[str], int]], name: str):
    # typing.NamedTuple turns each string annotation (what `from __future__ import annotations`
    # makes of every field) into a ForwardRef, compiling it: 149 compiles on remind's path cost
    # ~4 ms of a cron run. Modules defining the read path's NamedTuples keep real annotations.
    assert probed[name][1] == 0
