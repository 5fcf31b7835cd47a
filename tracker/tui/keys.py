"""The keys of the daily actions, shared by the main and the task screen, and their labels.

Each runs `TrackerApp.action_act(name)`, i.e. the function `name` of `tracker.tui.actions`.
A binding's description is a label key of `tracker.tui.labels`; `localize` turns it into the
user's language when a screen is made (so `--lang en` changes the footer and the palette too).
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from tracker.tui.labels import t

ACTION_BINDINGS: list[Binding] = [
    Binding("question_mark", "app.act('show_help')", "k_help", key_display="?"),  # first: visible at 80 columns
    Binding("d", "app.act('done')", "k_done"),
    Binding("e", "app.act('event')", "k_event"),
    Binding("n", "app.act('note')", "k_note"),
    Binding("a", "app.act('assign')", "k_assign"),
    Binding("r", "app.act('rule')", "k_rule"),
    Binding("w", "app.act('waive')", "k_waive"),
    Binding("u", "app.act('undo')", "k_undo"),
    Binding("x", "app.act('export')", "k_export"),
    Binding("p", "app.act('switch_plan')", "k_plan"),
    Binding("i", "app.act('import_plan')", "k_import"),
    Binding("t", "app.act('change_as_of')", "k_as_of"),
]
"""? help · d done · e event · n note · a assign · r rule · w waive · u undo · x export ·
p plan · i import · t as-of date — in footer order."""


def localize(node: DOMNode, lang: str) -> None:
    """Replace each binding's description (a label key) of `node` by its label in `lang`."""
    table = node._bindings.key_to_bindings  # the node's own copy, made in DOMNode.__init__
    for key, bindings in table.items():
        table[key] = [dataclasses.replace(b, description=t(b.description, lang)) if b.description else b
                      for b in bindings]
