"""Reading screening YAML: the shipped default and every refusal (with file and line)."""

from __future__ import annotations

import pytest

from speerpunt.errors import ConfigError
from speerpunt.screening import load_config, parse_config


def test_default_encodes_the_three_criteria_of_the_study():
    cfg = load_config()
    by_name = {c.name: c for c in cfg.criteria}
    assert by_name["important"].measure == "share"
    assert by_name["important"].threshold.kind == "quantile"
    assert (
        by_name["specialised"].measure,
        by_name["specialised"].op,
        by_name["specialised"].threshold.value,
    ) == ("lq", ">=", 1.0)
    assert by_name["growing"].measure == "growth"
    assert by_name["outperforming"].measure == "regional_shift"
    assert set(cfg.variables) == {"employment", "value_added"}
    # "belangrijk gewicht … en/of … groeibeweging": not a strict AND of the criteria
    assert (
        cfg.rule.evaluate(
            {"important": True, "specialised": False, "growing": False, "outperforming": False}
        )
        is True
    )
    assert cfg.overrides == ()
    assert (cfg.sensitivity_range, cfg.sensitivity_steps) == (0.5, 11)


BASE = """\
variables: [employment]
criteria:
  big:
    measure: share
    op: ">="
    threshold: 0.1
rule: big
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BASE.replace("measure: share", "measure: turnover"), 4, "unknown measure 'turnover'"),
        (BASE.replace('op: ">="', 'op: "=="'), 4, "unknown operator"),
        (BASE.replace("threshold: 0.1", "threshold: {quantile: 1.5}"), 6, "not between 0 and 1"),
        (BASE.replace("threshold: 0.1", "threshold: {rank: 0}"), 6, "whole number"),
        (BASE.replace("threshold: 0.1", "threshold: high"), 4, "threshold must be"),
        (BASE.replace("rule: big", "rule: big and small"), 7, "unknown criterion 'small'"),
        (BASE.replace("    threshold: 0.1\n", ""), 4, "has no threshold"),
        (
            BASE + "overrides:\n  - {sector: A, action: add, author: me}\n",
            9,
            "refused: a written justification is required",
        ),
        (
            BASE + "overrides:\n  - {sector: A, action: add, justification: '  '}\n",
            9,
            "refused: a written justification is required",
        ),
        (
            BASE + "overrides:\n  - {sector: A, action: add, justification: 'port', author: ''}\n",
            9,
            "refused: a written author is required",
        ),
        (
            BASE + "overrides:\n  - {sector: A, action: promote, justification: x, author: y}\n",
            9,
            "action must be 'add' or 'remove'",
        ),
        ("criteria: [\n", 2, "not valid YAML"),
    ],
)
def test_bad_configs_name_file_and_line(text, line, message):
    with pytest.raises(ConfigError, match=message) as err:
        parse_config(text, source="mine.yaml")
    assert err.value.file == "mine.yaml"
    assert err.value.row == line


def test_override_with_justification_and_author_is_kept(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        BASE + "overrides:\n  - sector: F\n    action: add\n    justification: >\n"
        "      tied to the port\n    author: Steering committee\n",
        encoding="utf-8",
    )
    cfg = load_config(path)
    (o,) = cfg.overrides
    assert (o.sector, o.action, o.justification, o.author, o.line) == (
        "F",
        "add",
        "tied to the port",
        "Steering committee",
        9,
    )


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_default_is_parsed_once_and_equals_the_shipped_file():
    from importlib import resources

    text = resources.files("speerpunt.screening").joinpath("default.yaml").read_text("utf-8")
    fresh = parse_config(text, source="speerpunt/screening/default.yaml")
    # one shared (frozen) instance per process, equal field by field to a fresh parse of the file
    assert load_config() is load_config()
    assert repr(load_config()) == repr(fresh)
    assert load_config().rule.text == fresh.rule.text
