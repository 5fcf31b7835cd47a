"""A synthetic city for the benchmarks: 40 offices × 1 plan a year × 60 tasks over 3 years (~100k obligations).

`build_city(db_path)` is what the query, export and remind benchmarks reuse: it imports every
plan through the real store (`tracker.store.actions.import_plan`, one transaction per plan, as
`tracker import` does), then records plausible progress straight into the tables (completions for
what fell due before 2025-07-01, one in five of them late; a mail address per unit).

How much of that past-due work is left undone is `undone_share`: by default 5% (`REALISTIC_UNDONE`,
a working office that answers its reminders: ~2,500 overdue obligations in the city as of
2025-07-01), or a third (`STRESS_UNDONE`, the city the benchmarks used first: ~17,000 overdue
obligations, 4,697 overdue tasks — a stress case, not an office's load). The seeded generator is
the same, so `undone_share=STRESS_UNDONE` rebuilds exactly that earlier city.

Each task has one of four rule mixes, 13–16 obligations a task on average 14:
monthly + quarterly (16), monthly + year-end deadline (13), quarterly per owner × 3 owners + ongoing (13),
monthly + twice a year (14). 120 plans × 60 tasks × ~14 ≈ 100,800 obligations.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.model import (  # noqa: E402 - after the path is set, so the bench runs from a checkout
    Owners,
    PlanDraft,
    Requirement,
    RequirementKind,
    SectionDraft,
    TaskDraft,
)

OFFICES = ("民政局", "教育局", "公安局", "财政局", "人社局", "自然资源局", "生态环境局", "住建局", "交通运输局", "水务局",
           "农业农村局", "商务局", "文旅局", "卫健委", "退役军人局", "应急局", "审计局", "市场监管局", "统计局", "医保局",
           "城管局", "信访局", "大数据局", "行政审批局", "科技局", "工信局", "司法局", "国资委", "体育局", "林业局",
           "粮食局", "能源局", "人防办", "地方金融局", "机关事务局", "外事办", "民宗局", "档案馆", "史志办", "残联")
SECTIONS = (("一", "提高公开质量"), ("二", "深化政策解读"), ("三", "强化政民互动"), ("四", "加强平台建设"),
            ("五", "强化组织保障"))
UNITS = ("办公室", "政策法规科", "业务一科", "业务二科")

R = RequirementKind
MIXES: tuple[tuple[Requirement, ...], ...] = (
    (Requirement(R.RECURRING, "每月更新", count=1, period="month"),
     Requirement(R.RECURRING, "每季度检查", count=1, period="quarter")),
    (Requirement(R.RECURRING, "每月公开", count=1, period="month"),
     Requirement(R.DEADLINE, "年底前完成", month=12, day=31)),
    (Requirement(R.RECURRING, "各科室每季度报送", count=1, period="quarter", per_owner=True),
     Requirement(R.ONGOING, "持续做好")),
    (Requirement(R.RECURRING, "每月发布", count=1, period="month"),
     Requirement(R.RECURRING, "每年至少2次", count=2, period="year")),
)


def city_drafts(offices: int = 40, tasks: int = 60, years: tuple[int, ...] = (2024, 2025, 2026)) -> list[PlanDraft]:
    """One plan per office and year, tasks spread over five sections, owners from the office's units."""
    drafts = []
    for office in OFFICES[:offices]:
        org = f"济宁市{office}"
        units = [f"{org}{u}" for u in UNITS]
        for year in years:
            items = []
            for i in range(tasks):
                section = SECTIONS[i * len(SECTIONS) // tasks][0]
                mix = MIXES[i % len(MIXES)]
                lead = (units[i % 4],)
                support = (units[(i + 1) % 4], units[(i + 2) % 4]) if mix[0].per_owner else ()
                title = f"第{i + 1}项重点工作"
                items.append(TaskDraft(number=str(i + 1), path=(section, str(i + 1)), title=title,
                                       text=f"{title}。{mix[0].source},{mix[1].source}。",
                                       owners=Owners(lead=lead, support=support), requirements=mix))
            drafts.append(PlanDraft(kind="workplan", title=f"{year}年{org}政务公开工作要点", issuer=org, year=year,
                                    sections=tuple(SectionDraft(n, t) for n, t in SECTIONS), tasks=tuple(items)))
    return drafts


def import_city(db_path: Path, drafts: list[PlanDraft]) -> float:
    """Import every draft through the store, one transaction per plan; return the seconds taken."""
    from tracker.store import open_store
    from tracker.store.actions import import_plan

    store = open_store(str(db_path))
    start = time.perf_counter()
    for n, draft in enumerate(drafts):
        with store.transaction(who="bench", action="import") as session:
            import_plan(session=session, draft=draft, source_name=f"plan-{n}.txt")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


REALISTIC_UNDONE = 0.05
"""Share of past-due obligations left undone by default: an office that mostly keeps up."""
STRESS_UNDONE = 1 / 3
"""The first city's share (a third undone): the stress case, kept for comparison."""


def add_progress(db_path: Path, as_of: date = date(2025, 7, 1), seed: int = 7,
                 undone_share: float = REALISTIC_UNDONE) -> int:
    """Completions for all but `undone_share` of the obligations due before `as_of` (1 in 5 of
    them late), unit addresses; return the number of completions. `undone_share` must be in [0, 1]."""
    if not 0 <= undone_share <= 1:
        raise ValueError(f"undone_share is a share of obligations, between 0 and 1, not {undone_share}")
    rng = random.Random(seed)
    conn = sqlite3.connect(db_path)
    due = conn.execute("SELECT requirement_id, key, due FROM obligation WHERE due < ?", (as_of.isoformat(),)).fetchall()
    rows = []
    for req, key, day in due:
        if rng.random() < 1 - undone_share:
            done = date.fromisoformat(day)
            if rng.random() < 0.2:
                done = date.fromordinal(done.toordinal() + rng.randint(1, 20))
            rows.append((req, key, done.isoformat(), "bench", "2025-07-01 00:00:00.000000"))
    conn.executemany("INSERT INTO completion (requirement_id, obligation_key, done_on, recorded_by, recorded_at) "
                     "VALUES (?, ?, ?, ?, ?)", rows)
    conn.execute("UPDATE owner SET email = 'unit' || id || '@example.gov.cn'")
    conn.commit()
    conn.close()
    return len(rows)


def build_city(db_path: Path | str, *, offices: int = 40, tasks: int = 60,
               years: tuple[int, ...] = (2024, 2025, 2026),
               undone_share: float = REALISTIC_UNDONE) -> dict[str, float]:
    """Build the synthetic city at `db_path` (a new file); return counts and the import time in seconds.

    `undone_share` of the obligations due before 2025-07-01 stay undone (see the module doc).
    """
    path = Path(db_path)
    drafts = city_drafts(offices, tasks, years)
    seconds = import_city(path, drafts)
    completions = add_progress(path, undone_share=undone_share)
    conn = sqlite3.connect(path)
    obligations = conn.execute("SELECT count(*) FROM obligation").fetchone()[0]
    conn.close()
    return {"plans": len(drafts), "tasks": len(drafts) * tasks, "obligations": obligations,
            "completions": completions, "import_seconds": seconds}


if __name__ == "__main__":
    import argparse

    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("path", nargs="?", default="city.db", help="the new database file (default city.db)")
    cli.add_argument("--undone", type=float, default=REALISTIC_UNDONE,
                     help=f"share of past-due obligations left undone (default {REALISTIC_UNDONE}; "
                          f"the stress city: {STRESS_UNDONE:.4f})")
    cli.add_argument("--stress", action="store_true", help="the stress city: a third left undone")
    opts = cli.parse_args()
    print(build_city(Path(opts.path), undone_share=STRESS_UNDONE if opts.stress else opts.undone))


def given_or_built(db: str | None, *, stress: bool, folder: Path) -> Path:
    """The benches' `--db`: that database, or a city built in `folder` (stress: a third undone)."""
    if db:
        return Path(db)
    path = folder / "city.db"
    start = time.perf_counter()
    build_city(path, undone_share=STRESS_UNDONE if stress else REALISTIC_UNDONE)
    print(f"built the city in {time.perf_counter() - start:.1f} s: {path}")
    return path
