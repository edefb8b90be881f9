"""A tiny, safe parser for combination rules such as ``important or (specialised and growing)``.

Grammar (no ``eval``; names are criterion names, keywords are case-insensitive)::

    expr   := term ("or" term)*
    term   := factor ("and" factor)*
    factor := "not" factor | "(" expr ")" | NAME

Evaluation uses Kleene's three-valued logic so that an *unknown* criterion (missing data) is neither a pass
nor a fail: ``unknown or True`` is True, ``unknown and False`` is False, anything else with unknown is unknown.

Example
-------
>>> rule = parse_rule("important or (specialised and growing)")
>>> rule.names
('important', 'specialised', 'growing')
>>> rule.evaluate({"important": False, "specialised": True, "growing": None}) is None
True
>>> rule.evaluate({"important": None, "specialised": True, "growing": True})
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from speerpunt.errors import ConfigError, Text

_TOKEN = re.compile(r"\s*(?:(\()|(\))|([A-Za-z_][A-Za-z0-9_]*)|(\S))")
_KEYWORDS = {"and", "or", "not"}

Truth = bool | None


@dataclass(frozen=True)
class Rule:
    """A parsed rule: evaluate it on a mapping ``criterion name → True/False/None``."""

    text: str
    tree: tuple
    names: tuple[str, ...]

    def evaluate(self, values: dict[str, Truth]) -> Truth:
        return _eval(self.tree, values)


def _eval(node: tuple, values: dict[str, Truth]) -> Truth:
    kind = node[0]
    if kind == "name":
        return values[node[1]]
    if kind == "not":
        v = _eval(node[1], values)
        return None if v is None else not v
    parts = [_eval(n, values) for n in node[1:]]
    if kind == "and":
        if any(p is False for p in parts):
            return False
        return None if any(p is None for p in parts) else True
    if any(p is True for p in parts):
        return True
    return None if any(p is None for p in parts) else False


def _tokens(text: str, where: dict) -> list[str]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        if m.group(4) is not None:
            raise ConfigError(Text("sc_rule_char", rule=text, char=m.group(4)), **where)
        out.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    return out


def parse_rule(text: str, known: set[str] | None = None, **where: object) -> Rule:
    """Parse ``text``; ``known`` lists the allowed names. ``where`` (file=…, row=…) locates errors."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(Text("sc_rule_empty"), **where)
    toks = _tokens(text, where)
    pos = 0
    names: list[str] = []

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> str:
        nonlocal pos
        tok = peek()
        if tok is None:
            raise ConfigError(Text("sc_rule_early", rule=text), **where)
        pos += 1
        return tok

    def expr() -> tuple:
        parts = [term()]
        while (peek() or "").lower() == "or":
            take()
            parts.append(term())
        return parts[0] if len(parts) == 1 else ("or", *parts)

    def term() -> tuple:
        parts = [factor()]
        while (peek() or "").lower() == "and":
            take()
            parts.append(factor())
        return parts[0] if len(parts) == 1 else ("and", *parts)

    def factor() -> tuple:
        tok = take()
        if tok.lower() == "not":
            return ("not", factor())
        if tok == "(":
            inner = expr()
            if peek() != ")":
                raise ConfigError(Text("sc_rule_paren", rule=text), **where)
            take()
            return inner
        if tok == ")" or tok.lower() in _KEYWORDS:
            raise ConfigError(Text("sc_rule_unexpected", rule=text, token=tok), **where)
        if known is not None and tok not in known:
            raise ConfigError(
                Text("sc_rule_unknown", rule=text, token=tok, known=", ".join(sorted(known))),
                **where,
            )
        if tok not in names:
            names.append(tok)
        return ("name", tok)

    tree = expr()
    if pos != len(toks):
        raise ConfigError(Text("sc_rule_unexpected", rule=text, token=toks[pos]), **where)
    return Rule(text=text.strip(), tree=tree, names=tuple(names))
