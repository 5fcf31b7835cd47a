"""Fixtures of the export tests: a hand-built ledger (the query layer's output shape, no database)."""

from __future__ import annotations

from datetime import date

import pytest
from ledger_fixtures import AS_OF, TITLE, sample_tasks

from tracker.export.data import LedgerData
from tracker.model import NoteView


@pytest.fixture
def ledger_data() -> LedgerData:
    notes = {8: [NoteView(note_id=1, on=date(2024, 7, 1), text="+已征求意见 -待评价")]}
    return LedgerData(title=TITLE, as_of=AS_OF, tasks=sample_tasks(), notes=notes)
