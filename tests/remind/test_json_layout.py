"""`tracker remind --format json`: the digest's frame indented, each item on one line — and the
text is exactly the documented object (what `json.loads` gives back equals `digest_object`)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.remind.render import dump_json

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_ITEM = st.dictionaries(_TEXT, st.one_of(_TEXT, st.integers(), st.none(), st.booleans()), max_size=5)


@settings(max_examples=200, deadline=None)
@given(owners=st.lists(st.fixed_dictionaries({"owner": st.one_of(_TEXT, st.none()), "email": st.none(),
                                              "items": st.lists(_ITEM, max_size=4)}), max_size=3),
       escalated=st.lists(_ITEM, max_size=3), as_of=_TEXT)
def test_the_text_reads_back_as_the_object(owners, escalated, as_of):
    obj = {"as_of": as_of, "within": 5, "escalate_after": 5, "workday": True, "owners": owners,
           "escalated": escalated}
    assert json.loads(dump_json(obj)) == obj


def test_one_item_per_line_with_sorted_keys():
    obj = {"as_of": "2024-07-01", "owners": [{"owner": "局办公室", "email": None,
                                               "items": [{"task": "8", "due": "2024-06-30"}]}],
           "escalated": [{"task": "12"}], "within": 5}
    lines = dump_json(obj).splitlines()
    assert '        {"due": "2024-06-30", "task": "8"}' in lines
    assert '    {"task": "12"}' in lines
    assert lines[0] == "{"
    assert lines[1] == '  "as_of": "2024-07-01",'
