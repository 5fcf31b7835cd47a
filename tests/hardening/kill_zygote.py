"""A pre-warmed launcher for the kill tests: forks one real `tracker` run per request.

Run as a subprocess. It imports tracker and its heavy libraries once (sqlmodel, openpyxl: about
a second on a busy machine), then for each JSON line on stdin:

  {"run": [argv...], "env": {...}}   fork; the child runs `tracker.cli.main(argv)` and exits with its
                                     code; the pid is written back at once
  {"wait": pid}                      reap that child; writes back "killed 9" or "exit N"

The child is a separate process with its own SQLite connections (none exist before the fork), so
SIGKILL to it is exactly a kill of `tracker` in the middle of its work, minus the start-up time
during which nothing is written. That puts almost every random kill point where it matters.
"""

from __future__ import annotations

import json
import os
import sys

import openpyxl  # noqa: F401 - warmed once so the forked export starts at its work
import sqlmodel  # noqa: F401 - warmed once so the forked import starts at its work

import tracker.commands.export_cmd
import tracker.commands.import_cmd
import tracker.export
import tracker.ingest
import tracker.parse
import tracker.store.actions
import tracker.store.importer
import tracker.store.migrate
import tracker.store.tables  # noqa: F401
from tracker.cli import main


def _child(argv: list[str], env: dict[str, str]) -> None:
    os.environ.update(env)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        code = main(argv)
    except BaseException:  # the child must never return into the launcher's loop
        code = 99
    os._exit(code)


def serve() -> None:
    """Answer requests until stdin closes."""
    for line in sys.stdin:
        request = json.loads(line)
        if "run" in request:
            pid = os.fork()
            if pid == 0:
                _child(request["run"], request.get("env", {}))
            print(pid, flush=True)
        else:
            _, status = os.waitpid(int(request["wait"]), 0)
            if os.WIFSIGNALED(status):
                print(f"killed {os.WTERMSIG(status)}", flush=True)
            else:
                print(f"exit {os.WEXITSTATUS(status)}", flush=True)


if __name__ == "__main__":
    print("ready", flush=True)
    serve()
