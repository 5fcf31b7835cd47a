"""Benchmark of the TUI: time to first screen on a city database, and a filter keystroke.

Run: .venv/bin/python bench/tui_bench.py [--db CITY.db] [--as-of 2025-07-01] [--runs 5]

Without --db it builds the synthetic city (bench/city.py `build_city`: 120 plans × 60 tasks,
~100k obligations) and adds one 600-task plan to it (the size of a whole city's summary plan). It
then measures, headless (Textual's `run_test` at 100×30, the same code path as a terminal):

- first screen, one plan of 600 tasks: from `TrackerApp(...)` to the first frame with the table's
  rows drawn — and to the moment the whole plan is loaded (counts shown);
- first screen, every plan (~7,800 tasks): same, for the city-wide view (streamed: its first
  200 tasks come first);
- a filter keystroke: from a changed filter to the redrawn table (the debounce of 150 ms before
  it is a choice, not work, and is not counted), on both scopes;
- for scale: `python -c "import textual.app"` and an empty Textual app's first frame, measured
  in the same run (the machine is shared: compare ratios, not absolute numbers).

Each figure is the best of --runs runs. Targets (issue 4): first screen ≤ 0.5 s, keystroke ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from textual.app import App  # noqa: E402 - after the path is set, so the bench runs from a checkout

from tracker.tui.app import TrackerApp  # noqa: E402
from tracker.tui.screens.main import MainScreen  # noqa: E402
from tracker.tui.view_model import Filter  # noqa: E402
from tracker.tui.widgets.task_table import TaskTable  # noqa: E402

BIG_TITLE = "2025年济宁市全市政务公开工作要点(汇总)"


def add_big_plan(db: Path, tasks: int = 600) -> int:
    """Import one plan of `tasks` tasks (the city generator's rule mixes); return its id."""
    from city import city_drafts

    from tracker.store import open_store
    from tracker.store.actions import import_plan

    draft = city_drafts(offices=1, tasks=tasks, years=(2025,))[0]
    draft = draft._replace(title=BIG_TITLE)
    store = open_store(str(db))
    with store.transaction(who="bench", action="import") as session:
        report = import_plan(session=session, draft=draft, source_name="city-summary.txt")
    store.close()
    assert report.plan_id is not None
    return report.plan_id


async def first_screen(db: Path, as_of: date, plan: str | None) -> tuple[float, float, int, int]:
    """(seconds to the first frame with rows, seconds to the whole scope loaded, rows drawn, tasks)."""
    start = time.perf_counter()
    app = TrackerApp(str(db), today=as_of, as_of=as_of, plan=plan, poll_seconds=3600)
    if plan is None:
        app.plan_id = None  # the city-wide view
    async with app.run_test(size=(100, 30)) as pilot:
        while app.first_rows_drawn_at is None:  # set by the app after the frame with rows is drawn
            await asyncio.sleep(0.002)
        first = app.first_rows_drawn_at - start
        rows = app.screen.query_one(TaskTable).row_count
        while app.snapshot is None or not app.snapshot.complete:
            await asyncio.sleep(0.005)
        await pilot.pause()
        full = time.perf_counter() - start
        total = len(app.snapshot.tasks)
        await app.workers.wait_for_complete()
    return first, full, rows, total


async def keystrokes(db: Path, as_of: date, plan: str | None, words: list[str]) -> list[float]:
    """Seconds from each changed filter (one more character typed) to the redrawn table."""
    app = TrackerApp(str(db), today=as_of, as_of=as_of, plan=plan, poll_seconds=3600)
    if plan is None:
        app.plan_id = None
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        while app.snapshot is None or not app.snapshot.complete:
            await asyncio.sleep(0.01)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for word in words:
            for n in range(1, len(word) + 1):
                start = time.perf_counter()
                screen.filter = Filter(text=word[:n])
                screen.refresh_view()
                await pilot.pause()
                times.append(time.perf_counter() - start)
            screen.filter = Filter()
            screen.refresh_view()
            await pilot.pause()
        await app.workers.wait_for_complete()
    return times


class _Empty(App[None]):
    pass


async def empty_app() -> float:
    start = time.perf_counter()
    async with _Empty().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    return time.perf_counter() - start


def cold_import(runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a city database from bench/city.py (a 600-task plan is added once)")
    parser.add_argument("--as-of", default="2025-07-01")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    tmp = tempfile.TemporaryDirectory()
    if args.db:
        db = Path(args.db)
    else:
        from city import build_city

        db = Path(tmp.name) / "city.db"
        started = time.perf_counter()
        print(f"building the city … {build_city(db)} in {time.perf_counter() - started:.0f} s", flush=True)
    import sqlite3

    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT id FROM plan WHERE title = ?", (BIG_TITLE,)).fetchone()
    conn.close()
    big = row[0] if row else add_big_plan(db)
    with sqlite3.connect(db) as conn:
        plans, tasks, obligations = conn.execute(
            "SELECT (SELECT count(*) FROM plan), (SELECT count(*) FROM task WHERE removed = 0), "
            "(SELECT count(*) FROM obligation)").fetchone()
    conn.close()
    print(f"database: {plans} plans, {tasks} tasks, {obligations} obligations; as of {as_of}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    print(f"python -c 'import textual.app' (cold, best of {args.runs}): {cold_import(args.runs) * 1000:.0f} ms")
    empty = min(asyncio.run(empty_app()) for _ in range(args.runs))
    print(f"an empty Textual app's first frame (headless):   {empty * 1000:.0f} ms")
    for label, plan in ((f"one plan of 600 tasks (id {big})", str(big)), ("every plan (city-wide)", None)):
        runs = [asyncio.run(first_screen(db, as_of, plan)) for _ in range(args.runs)]
        first = min(r[0] for r in runs)
        full = min(r[1] for r in runs)
        print(f"first screen, {label}: {first * 1000:.0f} ms to the first {runs[0][2]} rows drawn, "
              f"{full * 1000:.0f} ms to all {runs[0][3]} tasks loaded  (target ≤ 500 ms)")
        times = asyncio.run(keystrokes(db, as_of, plan, ["第12项", "办公室", "每季度"]))
        print(f"filter keystroke, {label}: median {statistics.median(times) * 1000:.0f} ms, "
              f"worst {max(times) * 1000:.0f} ms over {len(times)} keystrokes "
              f"(+150 ms debounce; target ≤ 100 ms)")


if __name__ == "__main__":
    main()
