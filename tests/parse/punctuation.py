"""Half-width and full-width forms of a test text: a plan prints ，：；（）, a web copy may not.

The parse corpora state each case once in ASCII punctuation and run it in both forms (`FORMS`);
`cn` is the form tracker gives back (brackets canonicalised to （）).
"""

from __future__ import annotations

import pytest

_FULL = str.maketrans({",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "(": "\uff08", ")": "\uff09"})
_BRACKETS = str.maketrans({"(": "\uff08", ")": "\uff09"})
FORMS = pytest.mark.parametrize("form", ["ascii", "fullwidth"])


def fw(text: str) -> str:
    """The text as a Chinese document prints it, with full-width ，：；（）."""
    return text.translate(_FULL)


def cn(text: str) -> str:
    """Brackets in tracker's canonical full-width form （）, other punctuation as given."""
    return text.translate(_BRACKETS)
