"""Property tests: clean_text never raises and is idempotent; random bytes never crash reading."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.errors import BadInputError
from tracker.ingest import clean_text, read_document

CHINESE_ISH = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(list("一二三、。,:;()（）区發(fā)|\t\n\r\u3000\u00a0\u200b【】字号打印１２．")),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x2500, max_codepoint=0x257F),
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_clean_text_never_raises(text: str) -> None:
    assert isinstance(clean_text(text), str)


@settings(max_examples=200, deadline=None)
@given(CHINESE_ISH)
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([".txt", ".html", ".docx", ".xlsx", ".dat"]))
def test_read_document_on_random_bytes_returns_or_refuses(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"random{suffix}"
        path.write_bytes(data)
        message = ""
        try:
            result = read_document(path)
        except BadInputError as error:
            message = str(error)
        if message:
            assert message.endswith(".")
        else:
            assert result.text.strip()
