"""A rule's shape key: one value per rule that the fast reads word rules by (`tracker.query.stored`).

Rules with equal keys must be worded alike and rules worded differently must have different keys;
the columns behind a key are read once (`shapes`), and a rule gone between the two queries (an
import undone meanwhile) is left out instead of failing the read.
"""

from __future__ import annotations

from tracker.query.stored import RULE_COLUMNS, requirement_of, rule_words, shape_key, shapes


def _rules(conn) -> list[tuple]:
    """(id, shape key, every rule column) of every stored rule."""
    return conn.execute(f"SELECT id, {shape_key('r')}, {', '.join('r.' + c for c in RULE_COLUMNS)} "
                        "FROM requirement r ORDER BY id").fetchall()


def test_equal_keys_word_alike_and_different_words_have_different_keys(city_db):
    from tracker import query

    conn = query.connect(str(city_db))
    try:
        rows = _rules(conn)
        words_by_key: dict[str, set[str]] = {}
        keys_by_words: dict[str, set[str]] = {}
        for _, key, *columns in rows:
            words = rule_words(requirement_of(tuple(columns)), 3, "zh")
            words_by_key.setdefault(key, set()).add(words)
            keys_by_words.setdefault(words, set()).add(key)
        # the city repeats rules (that is what the key saves on), and no key hides two wordings
        assert len(words_by_key) < len(rows) / 10
        assert all(len(words) == 1 for words in words_by_key.values())
        assert len(keys_by_words) >= 3

        first = {key: rule_id for rule_id, key, *_ in reversed(rows)}  # any rule of each key
        found = shapes(conn, first)
        assert found.keys() == first.keys()
        for _, key, *columns in rows:
            full = requirement_of(tuple(columns))
            assert found[key] == full._replace(source="")  # the same rule, without its document words
    finally:
        conn.close()


def test_a_rule_gone_since_the_first_query_is_left_out(conn):
    [(rule_id, key, *_), *_] = _rules(conn)
    found = shapes(conn, {key: rule_id, '["gone"]': 10**9})  # no rule has that id
    assert list(found) == [key]
    assert shapes(conn, {}) == {}
