"""Obligation notes are stored in English (what the schedule computes, what `tracker check`
compares) and shown in the user's language: `tracker.i18n.note_text` words every note the
schedule and the calendar write. Each note is built here the way they build it, so rewording
one in tracker/schedule.py or tracker/calendar.py without tracker/i18n.py fails this test."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest

from tracker.calendar import WorkCalendar
from tracker.i18n import note_text
from tracker.model import Requirement, RequirementKind
from tracker.schedule import NO_OWNER_NOTE, EventFact, occurrences

REF = "济民发〔2026〕9号"


def _note(*, workdays: int | None = 3, on: date = date(2026, 12, 30), per_owner: bool = False,
          calendar: WorkCalendar | None = None, ref: str | None = REF, days: int | None = None) -> str:
    """The note of the one obligation an event on `on` starts, as the schedule writes it."""
    req = Requirement(kind=RequirementKind.AFTER_EVENT, source="…", workdays=workdays, per_owner=per_owner,
                      days=days)
    (occ,) = occurrences(req, year=on.year, events=[EventFact(1, on, ref=ref)], calendar=calendar or WorkCalendar())
    return occ.note


NOTES = {
    "provisional": _note(),
    "provisional, three years": _note(workdays=600),
    "provisional, overrides": _note(calendar=WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 4): True})),
    "no allowance": _note(workdays=None),
    "no owner": _note(workdays=2, on=date(2024, 9, 27), per_owner=True, ref=None),
    "provisional, no owner": _note(per_owner=True),
    "no allowance, no owner": _note(workdays=None, per_owner=True, ref=None),
    "calendar days moved off a holiday": _note(workdays=None, days=15, on=date(2024, 9, 20)),
    "calendar days moved, provisional, no owner": _note(workdays=None, days=15, on=date(2026, 12, 18),
                                                        per_owner=True),
}


def _english_words(text: str) -> list[str]:
    """Latin words left in `text` outside `commands` and the event's reference."""
    return re.findall(r"[A-Za-z]+", re.sub(r"`[^`]*`", "", text.replace(REF, "")))


@pytest.mark.parametrize("name", NOTES)
def test_every_note_the_schedule_writes_is_worded_in_chinese(name: str) -> None:
    note = NOTES[name]
    assert _english_words(note)  # it is stored in English…
    shown = note_text(note, "zh")
    assert _english_words(shown) == [], shown  # …and shown without an English word
    assert note_text(note, "en") == note  # English (and JSON, which never calls note_text) keeps it


def test_the_notes_say_the_same_facts_in_chinese() -> None:
    assert note_text(NO_OWNER_NOTE) == "未指定责任单位"
    assert note_text(NOTES["calendar days moved off a holiday"]) == (
        f"{REF}; 15日期满的 2024-10-05 为休息日, 顺延至其后第一个工作日")
    assert note_text(NOTES["provisional"]) == (
        f"{REF}; 日历包没有2027年的节假日安排 (国务院办公厅每年11月公布): 仅按周末计算; "
        "请用 `tracker calendar set` 补充")
    assert "日历包没有2027、2028、2029年的节假日安排" in note_text(NOTES["provisional, three years"])
    assert note_text(NOTES["provisional, overrides"]) == (
        f"{REF}; 日历包没有2027年的节假日安排 (国务院办公厅每年11月公布): 仅按周末和已录入的2条日历调整计算; "
        "请用 `tracker calendar show 2027` 核对")
    assert note_text(NOTES["no allowance, no owner"]) == "规则未给出期限天数, 请用 `tracker rule` 设定; 未指定责任单位"
    assert note_text(NOTES["provisional, no owner"]).endswith("请用 `tracker calendar set` 补充; 未指定责任单位")


@pytest.mark.parametrize("note", ["", REF, "a note this table does not know", "no holiday data, said differently"])
def test_anything_else_is_shown_as_it_is(note: str) -> None:
    assert note_text(note, "zh") == note


def test_a_note_without_schedule_words_compiles_nothing() -> None:
    # `tracker show` and `tasks` are on a measured cold path: the regular expressions wait for a
    # note that needs them (a fixed note is a dictionary look-up)
    probe = ("from tracker import i18n\n"
             f"i18n.note_text({REF!r}); i18n.note_text({NO_OWNER_NOTE!r})\n"
             "assert i18n._compiled_notes == ()\n"
             f"i18n.note_text({NOTES['provisional']!r})\n"
             "assert i18n._compiled_notes\n")
    subprocess.run([sys.executable, "-c", probe], check=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_task_screen_says_why_a_due_date_is_provisional(lang: str) -> None:
    """The TUI's task screen said only "(暂定)"; it now gives the reason and what to do, as
    `tracker show` does, in the screen's language."""
    from tracker.model import ObligationView, Status
    from tracker.tui.screens.task import obligation_line

    calendar = WorkCalendar()
    note = NOTES["provisional"]
    ob = ObligationView(1, 1, "event:1", date(2027, 1, 6), Status.ON_TRACK, provisional=True, note=note)
    line = obligation_line(ob, date(2026, 12, 30), calendar, lang).plain
    if lang == "zh":
        assert "(暂定: " in line
        assert "日历包没有2027年的节假日安排" in line
        assert "no holiday data" not in line
    else:
        assert "(provisional: " in line
        assert "no holiday data for 2027" in line
    unowned = ObligationView(1, 1, "2024-Y1", date(2024, 12, 31), Status.ON_TRACK, note=NO_OWNER_NOTE)
    assert ("未指定责任单位" if lang == "zh" else "no owner assigned") in obligation_line(
        unowned, date(2024, 7, 1), calendar, lang).plain
