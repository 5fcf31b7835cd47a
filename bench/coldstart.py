"""Fair cold starts for the benchmarks: compiled sources, bytecode written, and a regular install.

This environment sets PYTHONDONTWRITEBYTECODE=1, so without care every cold `tracker` run would
recompile tracker's sources (a real install has .pyc files). `bench_env` drops that variable and
`compile_sources` compiles `tracker/` first. The editable install (`pip install -e`) adds an
import finder that loads pathlib, urllib and fnmatch at start-up; `regular_install` makes a
throwaway virtual environment with tracker copied into its site-packages (as a wheel would put
it) and the project venv's site-packages on its path for the dependencies, so both can be shown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_env(**extra: str) -> dict[str, str]:
    """os.environ without PYTHONDONTWRITEBYTECODE (and without TRACKER_LANG/TODAY), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "TRACKER_LANG", "TRACKER_TODAY")}
    env.update(extra)
    return env


def compile_sources(python: str = sys.executable, where: Path = ROOT / "tracker") -> None:
    """`python -m compileall -q` over tracker's sources, so cold runs load .pyc as an install does."""
    subprocess.run([python, "-m", "compileall", "-q", str(where)], env=bench_env(), check=True)


def regular_install(target: Path) -> Path:
    """A venv at `target` with tracker copied in (not editable) and compiled; returns its `tracker` script."""
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    shutil.copytree(ROOT / "tracker", site / "tracker", ignore=shutil.ignore_patterns("__pycache__"))
    deps = Path(subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "project-deps.pth").write_text(f"{deps}\n")  # a path line: its own .pth files are not run
    compile_sources(str(python), site / "tracker")
    script = target / "bin" / "tracker"
    script.write_text(f"#!{python}\nimport sys\nfrom tracker.cli import main\nif __name__ == '__main__':\n"
                      "    sys.argv[0] = sys.argv[0].removesuffix('.exe')\n    sys.exit(main())\n")
    script.chmod(0o755)
    return script


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Minimum wall time of `runs` calls, in milliseconds (the least disturbed run on a shared machine)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000
