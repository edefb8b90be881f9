"""Policy sectors: named sets of NACE codes chosen by the analyst, defined in YAML.

A file holds one sector (a mapping) or several (a mapping with a ``sectors:`` list)::

    name: bouw                       # optional, defaults to the file name
    label_nl: Bouw
    label_en: Construction
    description: Bouwnijverheid (NACE sectie F).
    nace: ["41", "42", "43"]         # NACE Rev. 2 codes of any level; quote them
    exclude: []                      # optional codes taken out again
    assumption: true                 # the NACE definition is our reading, not the source's
    note: Tabel 9 gives no NACE codes …   # required when assumption is true
    source: Provincie Antwerpen (2013), Tabel 9

The package ships the six spearhead sectors of the Antwerp study and the other sectors of its Tabel 13 in
``policy_sector_files/``; they are editable defaults.

Example
-------
>>> sectors = policy_sectors()
>>> sectors["bouw"].label_nl, sectors["bouw"].nace
('Bouw', ('41', '42', '43'))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from speerpunt.classify.nace import is_nace, nace_classes_of, normalise_nace
from speerpunt.errors import ConfigError, Text
from speerpunt.panel import Panel

_KEYS = {
    "name",
    "label_nl",
    "label_en",
    "description",
    "nace",
    "exclude",
    "assumption",
    "note",
    "source",
}
_REQUIRED = ("label_nl", "label_en", "nace")


@dataclass(frozen=True)
class PolicySector:
    """A named set of NACE codes with labels, its provenance and whether the NACE definition is assumed."""

    name: str
    label_nl: str
    label_en: str
    nace: tuple[str, ...]
    assumption: bool = False
    note: str = ""
    source: str = ""
    description: str = ""
    exclude: tuple[str, ...] = ()
    file: str | None = None

    def classes(self) -> frozenset[str]:
        """The NACE classes the sector covers (``nace`` minus ``exclude``)."""
        inc = {c for code in self.nace for c in nace_classes_of(code)}
        exc = {c for code in self.exclude for c in nace_classes_of(code)}
        return frozenset(inc - exc)

    def label(self, lang: str = "nl") -> str:
        """The Dutch (``'nl'``) or English label."""
        return self.label_nl if lang == "nl" else self.label_en


def _fail(message: str, file: str, node: yaml.Node | None, key: str | None = None) -> ConfigError:
    row = node.start_mark.line + 1 if node is not None else None
    return ConfigError(message, file=file, row=row, column=key)


def _scalar(node: yaml.Node, file: str, key: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(Text("cl_policy_single", key=key), file, node, key)
    return str(node.value).strip()


def _codes(node: yaml.Node, file: str, key: str) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(Text("cl_policy_list", key=key), file, node, key)
    codes: list[str] = []
    for item in node.value:
        raw = _scalar(item, file, key)
        if not is_nace(raw):
            raise _fail(Text("cl_policy_unknown_code", code=raw, key=key), file, item, key)
        code = normalise_nace(raw)
        if code in codes:
            raise _fail(Text("cl_policy_code_twice", code=raw, key=key), file, item, key)
        codes.append(code)
    return tuple(codes)


def _sector(node: yaml.Node, file: str, default_name: str) -> PolicySector:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(
            Text("cl_policy_mapping"),
            file,
            node,
        )
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, file, "key")
        if key not in _KEYS:
            raise _fail(
                Text("cl_policy_unknown_key", key=key, allowed=", ".join(sorted(_KEYS))),
                file,
                key_node,
                key,
            )
        if key in values:
            raise _fail(Text("cl_policy_key_twice", key=key), file, key_node, key)
        if key in ("nace", "exclude"):
            values[key] = _codes(value_node, file, key)
        elif key == "assumption":
            flag = _scalar(value_node, file, key).lower()
            if flag not in ("true", "false", "yes", "no"):
                raise _fail(Text("cl_policy_assumption", flag=flag), file, value_node, key)
            values[key] = flag in ("true", "yes")
        else:
            values[key] = _scalar(value_node, file, key)
    for key in _REQUIRED:
        if not values.get(key):
            raise _fail(Text("cl_policy_missing_key", key=key), file, node, key)
    if values.get("assumption") and not values.get("note"):
        raise _fail(Text("cl_policy_note"), file, node, "note")
    sector = PolicySector(
        name=str(values.get("name") or default_name),
        label_nl=str(values["label_nl"]),
        label_en=str(values["label_en"]),
        nace=values["nace"],  # type: ignore[arg-type]
        assumption=bool(values.get("assumption", False)),
        note=str(values.get("note", "")),
        source=str(values.get("source", "")),
        description=str(values.get("description", "")),
        exclude=values.get("exclude", ()),
        file=file,
    )  # type: ignore[arg-type]
    if not sector.classes():
        raise _fail(
            Text("cl_policy_empty_sector", name=sector.name),
            file,
            node,
            "nace",
        )
    return sector


def load_policy_sectors(yaml_path: str | Path) -> dict[str, PolicySector]:
    """Read and validate one YAML file of policy sectors.

    Raises
    ------
    ConfigError
        Unreadable YAML, unknown keys, missing labels, unknown NACE codes …, naming the file and line.
    """
    path = Path(yaml_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Text("cl_policy_unreadable", detail=str(exc)), file=str(path)) from exc
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ConfigError(
            Text("cl_invalid_yaml", detail=str(getattr(exc, "problem", exc))),
            file=str(path),
            row=row,
        ) from exc
    if root is None:
        raise ConfigError(Text("cl_policy_empty"), file=str(path))
    nodes = [root]
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == "sectors":
                if not isinstance(value_node, yaml.SequenceNode):
                    raise _fail(Text("cl_policy_sectors_list"), str(path), value_node, "sectors")
                nodes = value_node.value
    out: dict[str, PolicySector] = {}
    for node in nodes:
        sector = _sector(node, str(path), path.stem)
        if sector.name in out:
            raise _fail(Text("cl_policy_twice", name=sector.name), str(path), node, "name")
        out[sector.name] = sector
    return out


def policy_sectors(path: str | Path | None = None) -> dict[str, PolicySector]:
    """All policy sectors of a YAML file or of every ``*.yaml`` in a folder (default: the shipped ones)."""
    if path is None:
        folder = resources.files("speerpunt.classify").joinpath("policy_sector_files")
        files = sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")))
    else:
        p = Path(path)
        if not p.exists():
            raise ConfigError(Text("cl_policy_not_found"), file=str(p))
        files = sorted([*p.glob("*.yaml"), *p.glob("*.yml")]) if p.is_dir() else [p]
    out: dict[str, PolicySector] = {}
    for f in files:
        for name, sector in load_policy_sectors(f).items():
            if name in out:
                raise ConfigError(
                    Text("cl_policy_twice_in", name=name, other=out[name].file), file=str(f)
                )
            out[name] = sector
    return out


def policy_sector_panel(
    panel: Panel,
    sectors: Mapping[str, PolicySector] | Iterable[PolicySector] | None = None,
    *,
    keep: bool = False,
) -> Panel:
    """The panel's ``TOTAL`` and one sector per policy sector (named by ``name``), built from the finest
    NACE level present (see :func:`speerpunt.classify.sector_build.build_sectors`, which also returns
    the coverage of every code).

    ``TOTAL`` is kept so that shares and location quotients are taken against the true region total, not
    against the sum of the chosen sectors. A missing member cell makes the sum missing (flagged), never
    zero; a code only approximated by a wider one flags the sum ``e``.

    Raises
    ------
    ClassificationError
        The panel has no ``TOTAL`` or none of the sectors' codes.
    """
    from speerpunt.classify.sector_build import build_sectors

    if sectors is None:
        sectors = policy_sectors()
    items = list(sectors.values()) if isinstance(sectors, Mapping) else list(sectors)
    return build_sectors(panel, items, keep=keep).panel
