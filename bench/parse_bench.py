"""Speed of tracker.parse: the Jining plan, and a synthetic 1,000-task plan (target: within 0.3 s),
then the hostile sizes of issue 7: 10,000 numbered items (target 3 s), one line of 1 MB (target 1 s),
a plan followed by 10 MB of prose, and 10 MB of numbered items (about 53,000 tasks: stopped by the
10 s budget, with a warning).

Each is parsed in-process from text already in memory; for the hostile sizes clean_text (the
ingest step every import runs first) is timed too. The synthetic plan has 10 sections x 100 items
with varied rule phrases and owner annotations, so the rules reader and the owner reader run on
every task. Run: `.venv/bin/python bench/parse_bench.py` (`--quick` skips the 10 MB of items).
Prints the minimum of N runs for each.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tracker.parse import parse
from tracker.parse.numerals import to_chinese

JINING = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"

PHRASES = [
    "原则上每年至少开展2次专题性政策评价工作,年底前将评价结果向社会公开。",
    "文件发布后,应于3个工作日内关联发布解读材料。",
    "每季度对政府网站内容进行检索检查,及时整改发现的问题。",
    "每月10日前报送上月政务公开工作进展情况。",
    "持续做好民政领域规划实施措施和配套政策的主动公开工作。",
    "各科室、单位年内至少投稿一篇政务公开宣传稿。",
    "收到申请之日起20个工作日内予以答复,拨打12345热线可咨询。",
    "6月底前完成主动公开基本目录的更新。",
    "定期组织开放活动,推动活动常态化开展。",
    "加强与其他部门沟通协作,依法依规予以答复反馈。",
]
OWNERS = [
    "(责任单位:局办公室)",
    "(牵头单位:市政府办公室;配合单位:市发展改革委、市财政局)",
    "(市政府办公室牵头,各县区政府负责)",
    "(各科室按职责分工负责)",
    "",
]


def synthetic_plan(sections: int = 10, items: int = 100) -> str:
    """A plan of sections x items tasks, numbered afresh in each section (1..items)."""
    lines = ["2024年某市民政局政务公开工作要点", "总体要求是:以高质量政务公开推动高质量发展。"]
    for s in range(1, sections + 1):
        lines.append(f"{to_chinese(s)}、第{s}板块重点工作")
        for number in range(1, items + 1):
            body = PHRASES[(number + s) % len(PHRASES)] + PHRASES[(number * 7) % len(PHRASES)]
            lines.append(f"{number}.推进第{number}项重点任务落实。{body}{OWNERS[(number + s) % len(OWNERS)]}")
    return "\n".join(lines)


def best_of(runs: int, text: str) -> tuple[float, int]:
    """Minimum wall time over `runs` parses, and the number of tasks found."""
    best = float("inf")
    tasks = 0
    for _ in range(runs):
        start = time.perf_counter()
        draft = parse(text)
        best = min(best, time.perf_counter() - start)
        tasks = len(draft.tasks)
    return best, tasks


HOSTILE_ITEM = ("推进第{n}项公开工作。每季度至少公开1次相关信息,文件发布后3个工作日内发布解读材料,"
                "6月底前完成专项梳理。(牵头单位:局办公室;配合单位:第1科)")
"""The item of tests/hardening/test_hostile_inputs.py: three rules and two owners each."""


def numbered_items(count: int) -> str:
    """A plan of one section holding items 1..count."""
    return ("2024年测试局政务公开工作要点\n一、重点工作\n"
            + "\n".join(f"{n}." + HOSTILE_ITEM.format(n=n) for n in range(1, count + 1)) + "\n")


def hostile_plans(quick: bool) -> dict[str, str]:
    """The hostile shapes of issue 7, as raw text (before clean_text)."""
    line = ("每季度至少公开1次相关信息,文件发布后3个工作日内发布解读材料。" * 30000)[:400000]
    prose = "附件说明:本段为背景材料,介绍各项工作的来龙去脉,不含编号条目,也不含时限要求,仅供参考阅读。\n"
    plans = {
        "10,000 numbered items": numbered_items(10_000),
        "one line of 1 MB": f"2024年测试局政务公开工作要点\n一、重点工作\n1.{line}\n",
        "a plan + 10 MB of prose": JINING.read_text(encoding="utf-8")
        + prose * (10_500_000 // len(prose.encode())),
    }
    if not quick:
        body = numbered_items(1000)
        plans["10 MB of numbered items"] = body * (10_500_000 // len(body.encode()) + 1)
    return plans


def hostile(quick: bool) -> None:
    """Print clean_text and parse times of each hostile shape (min of 3; 1 run for 10 MB of items)."""
    from tracker.ingest import clean_text

    for name, raw in hostile_plans(quick).items():
        runs = 1 if name.startswith("10 MB of numbered") else 3
        size = len(raw.encode()) / 1_000_000
        cleaning = min(_timed(clean_text, raw) for _ in range(runs))
        text = clean_text(raw)
        seconds, tasks = best_of(runs, text)
        stopped = next((w for w in parse(text).warnings if w.startswith("parsing stopped")), "")
        print(f"{name} ({size:.1f} MB): clean_text {cleaning:.2f} s, parse {seconds:.2f} s, {tasks} tasks"
              + (f" — {stopped[:60]}…" if stopped else ""))


def main() -> None:
    """Print every figure."""
    jining = JINING.read_text(encoding="utf-8")
    seconds, tasks = best_of(50, jining)
    print(f"Jining plan: {tasks} tasks in {seconds * 1000:.2f} ms (min of 50 runs)")
    seconds, tasks = best_of(7, synthetic_plan())
    verdict = "within" if seconds <= 0.3 else "OVER"
    print(f"synthetic plan: {tasks} tasks in {seconds * 1000:.1f} ms (min of 7 runs; "
          f"{verdict} the 300 ms target)")
    from tracker.ingest import clean_text
    from tracker.parse.rules import extract_requirements

    raw = JINING.read_text(encoding="utf-8")
    best = min(_timed(clean_text, raw) for _ in range(20))
    print(f"clean_text on the Jining plan: {best * 1000:.2f} ms (min of 20 runs)")
    best = min(_timed(extract_requirements, "每季度检查" * 4000) for _ in range(3))
    print(f"rules on a 20,000-character run-on clause (4,000 rules): {best * 1000:.0f} ms (min of 3)")
    hostile("--quick" in sys.argv)


def _timed(function, argument) -> float:
    start = time.perf_counter()
    function(argument)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
