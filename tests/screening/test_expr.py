"""The rule parser: operators, precedence, three-valued logic, and refusal of anything else."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speerpunt.errors import ConfigError
from speerpunt.screening.expr import parse_rule

NAMES = {"a", "b", "c"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a and b", lambda a, b, c: a and b),
        ("a or b", lambda a, b, c: a or b),
        ("not a", lambda a, b, c: not a),
        ("a or b and c", lambda a, b, c: a or (b and c)),  # and binds tighter than or
        ("(a or b) and c", lambda a, b, c: (a or b) and c),
        ("not a and b", lambda a, b, c: (not a) and b),
        ("not (a and b) or c", lambda a, b, c: (not (a and b)) or c),
        ("A AND b Or NOT c", None),  # keywords are case-insensitive; names are not
    ],
)
def test_boolean_operators_on_every_combination(text, expected):
    if expected is None:
        with pytest.raises(ConfigError, match="unknown criterion 'A'"):
            parse_rule(text, NAMES)
        return
    rule = parse_rule(text, NAMES)
    for a, b, c in itertools.product([True, False], repeat=3):
        assert rule.evaluate({"a": a, "b": b, "c": c}) is expected(a, b, c), (text, a, b, c)


def test_kleene_logic_for_unknown():
    rule = parse_rule("a or (b and c)", NAMES)
    assert rule.evaluate({"a": True, "b": None, "c": None}) is True
    assert rule.evaluate({"a": False, "b": False, "c": None}) is False
    assert rule.evaluate({"a": False, "b": True, "c": None}) is None
    assert parse_rule("not a", NAMES).evaluate({"a": None}) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a and", "ends too early"),
        ("(a or b", "missing"),
        ("a b", "unexpected 'b'"),
        ("a and or b", "unexpected 'or'"),
        ("a & b", "unexpected character '&'"),
        ("__import__('os').system('true')", "unexpected character"),
        ("d", "unknown criterion 'd'"),
        ("", "empty"),
    ],
)
def test_bad_rules_are_refused_with_the_file_and_line(text, message):
    with pytest.raises(ConfigError, match=message) as err:
        parse_rule(text, NAMES, file="s.yaml", row=7)
    assert err.value.one_line().startswith("s.yaml, line 7")


@given(st.lists(st.sampled_from(sorted(NAMES)), min_size=1, max_size=6), st.data())
def test_or_of_names_is_any(names, data):
    values = {n: data.draw(st.booleans()) for n in NAMES}
    rule = parse_rule(" or ".join(names), NAMES)
    assert rule.evaluate(values) is any(values[n] for n in names)
    assert rule.names == tuple(dict.fromkeys(names))
