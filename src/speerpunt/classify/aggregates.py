"""Eurostat aggregates of NACE Rev. 2 and sector schemes.

* A*10, A*21, A*38, A*64: the standard aggregations of the European System of Accounts (ESA 2010, Eurostat
  *NACE Rev. 2 – Statistical classification*, chapter 5 "Aggregations"), as mappings from aggregate codes to
  NACE sections or divisions;
* the combined codes of Eurostat's regional accounts (``nama_10r_*``): ``B-E``, ``G-I``, ``G-J``, ``K-N``,
  ``M_N``, ``O-Q``, ``O-U``, ``R-U`` and ``TOTAL``;
* sector schemes (:func:`sector_set`) and partitions of the economy (:func:`partitions`, :func:`is_partition`).

Every code is reduced to the set of NACE classes it covers; two codes overlap when those sets intersect and
a list of codes partitions the economy when the sets are disjoint and cover all 615 classes.

Example
-------
>>> sector_set("a10")
['A', 'B-E', 'F', 'G-I', 'J', 'K', 'L', 'M_N', 'O-Q', 'R-U']
>>> is_partition(sector_set("a10"))
True
>>> aggregate_members("G-I")
['G', 'H', 'I']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from speerpunt.classify.nace import is_nace, nace_classes_of, nace_codes, nace_label, normalise_nace
from speerpunt.errors import ClassificationError, Text

TOTAL = "TOTAL"
SECTIONS = [chr(c) for c in range(ord("A"), ord("U") + 1)]


def _divisions(first: str, last: str) -> list[str]:
    return [d for d in nace_codes("division") if first <= d <= last]


def _sections(first: str, last: str) -> list[str]:
    return [s for s in SECTIONS if first <= s <= last]


#: Combined codes of Eurostat's regional accounts → NACE sections.
REGIONAL = {
    "B-E": _sections("B", "E"),
    "G-I": _sections("G", "I"),
    "G-J": _sections("G", "J"),
    "K-N": _sections("K", "N"),
    "M_N": ["M", "N"],
    "O-Q": _sections("O", "Q"),
    "O-U": _sections("O", "U"),
    "R-U": _sections("R", "U"),
    TOTAL: SECTIONS,
}

#: A*10 (ESA 2010): 10 aggregates → sections.
A10 = {
    "A": ["A"],
    "B-E": REGIONAL["B-E"],
    "F": ["F"],
    "G-I": REGIONAL["G-I"],
    "J": ["J"],
    "K": ["K"],
    "L": ["L"],
    "M_N": ["M", "N"],
    "O-Q": REGIONAL["O-Q"],
    "R-U": REGIONAL["R-U"],
}

#: A*21: the 21 sections.
A21 = {s: [s] for s in SECTIONS}

#: A*38 → divisions (whole sections where the aggregate is a section).
A38 = {
    "A": ["A"],
    "B": ["B"],
    "CA": _divisions("10", "12"),
    "CB": _divisions("13", "15"),
    "CC": _divisions("16", "18"),
    "CD": ["19"],
    "CE": ["20"],
    "CF": ["21"],
    "CG": _divisions("22", "23"),
    "CH": _divisions("24", "25"),
    "CI": ["26"],
    "CJ": ["27"],
    "CK": ["28"],
    "CL": _divisions("29", "30"),
    "CM": _divisions("31", "33"),
    "D": ["D"],
    "E": ["E"],
    "F": ["F"],
    "G": ["G"],
    "H": ["H"],
    "I": ["I"],
    "JA": _divisions("58", "60"),
    "JB": ["61"],
    "JC": _divisions("62", "63"),
    "K": ["K"],
    "L": ["L"],
    "MA": _divisions("69", "71"),
    "MB": ["72"],
    "MC": _divisions("73", "75"),
    "N": ["N"],
    "O": ["O"],
    "P": ["P"],
    "QA": ["86"],
    "QB": _divisions("87", "88"),
    "R": ["R"],
    "S": ["S"],
    "T": ["T"],
    "U": ["U"],
}

#: A*64 (Eurostat codes as in ``nama_10_a64``) → divisions or sections.
A64 = {
    "A01": ["01"],
    "A02": ["02"],
    "A03": ["03"],
    "B": ["B"],
    "C10-C12": _divisions("10", "12"),
    "C13-C15": _divisions("13", "15"),
    **{f"C{d}": [d] for d in _divisions("16", "30")},
    "C31_C32": ["31", "32"],
    "C33": ["33"],
    "D": ["D"],
    "E36": ["36"],
    "E37-E39": _divisions("37", "39"),
    "F": ["F"],
    "G45": ["45"],
    "G46": ["46"],
    "G47": ["47"],
    "H49": ["49"],
    "H50": ["50"],
    "H51": ["51"],
    "H52": ["52"],
    "H53": ["53"],
    "I": ["I"],
    "J58": ["58"],
    "J59_J60": ["59", "60"],
    "J61": ["61"],
    "J62_J63": ["62", "63"],
    "K64": ["64"],
    "K65": ["65"],
    "K66": ["66"],
    "L68": ["68"],
    "M69_M70": ["69", "70"],
    "M71": ["71"],
    "M72": ["72"],
    "M73": ["73"],
    "M74_M75": ["74", "75"],
    "N77": ["77"],
    "N78": ["78"],
    "N79": ["79"],
    "N80-N82": _divisions("80", "82"),
    "O": ["O"],
    "P": ["P"],
    "Q86": ["86"],
    "Q87_Q88": ["87", "88"],
    "R90-R92": _divisions("90", "92"),
    "R93": ["93"],
    "S94": ["94"],
    "S95": ["95"],
    "S96": ["96"],
    "T": ["T"],
    "U": ["U"],
}

#: The A*38 groupings as Eurostat's datasets spell them (``C16-C18`` for ``CC`` …); codes shared with A*64
#: (``C10-C12``, ``J62_J63``, ``Q87_Q88`` …) are defined there.
A38_EUROSTAT = {
    "C16-C18": A38["CC"],
    "C22_C23": A38["CG"],
    "C24_C25": A38["CH"],
    "C29_C30": A38["CL"],
    "C31-C33": A38["CM"],
    "J58-J60": A38["JA"],
    "M69-M71": A38["MA"],
    "M73-M75": A38["MC"],
}

#: Named partitions of TOTAL.
PARTITIONS = {
    "a10": list(A10),
    "a10-coarse": ["A", "B-E", "F", "G-J", "K-N", "O-U"],
    "sections": SECTIONS,
    "a21": SECTIONS,
    "a38": list(A38),
    "a64": list(A64),
    "divisions": nace_codes("division"),
    "groups": nace_codes("group"),
    "classes": nace_codes("class"),
}

#: Schemes that list every code of a level; with ``available`` they are restricted, not required.
_ENUMERATIONS = {"divisions", "groups", "classes", "nace"}

_AGG_LABELS = {  # code: (English, Dutch)
    "B-E": ("Industry (except construction)", "Industrie (exclusief bouwnijverheid)"),
    "G-I": (
        "Wholesale and retail trade, transport, accommodation and food service activities",
        "Handel, vervoer en horeca",
    ),
    "G-J": (
        "Wholesale and retail trade, transport, accommodation and food service activities; "
        "information and communication",
        "Handel, vervoer, horeca, informatie en communicatie",
    ),
    "K-N": (
        "Financial and insurance activities; real estate activities; professional, scientific and "
        "technical activities; administrative and support service activities",
        "Financiële activiteiten, vastgoed, vrije beroepen en ondersteunende diensten",
    ),
    "M_N": (
        "Professional, scientific and technical activities; administrative and support service "
        "activities",
        "Vrije beroepen, wetenschappelijke, technische, administratieve en ondersteunende diensten",
    ),
    "O-Q": (
        "Public administration, defence, education, human health and social work activities",
        "Openbaar bestuur, defensie, onderwijs, gezondheidszorg en maatschappelijke dienstverlening",
    ),
    "O-U": (
        "Public administration, defence, education, human health and social work activities; arts, "
        "entertainment and recreation; other service activities; activities of households and "
        "extra-territorial organisations",
        "Openbaar bestuur, onderwijs, zorg, cultuur en overige diensten",
    ),
    "R-U": (
        "Arts, entertainment and recreation; other service activities; activities of households and "
        "extra-territorial organisations",
        "Kunst, amusement en recreatie; overige diensten; "
        "huishoudens en extraterritoriale organisaties",
    ),
    TOTAL: ("Total - all NACE activities", "Totaal - alle activiteiten"),
}


def _definitions() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for table in (A64, A38_EUROSTAT, A38, A10, REGIONAL):
        out.update(table)
    return out


def aggregate_members(code: str) -> list[str]:
    """The NACE sections or divisions an aggregate consists of (a NACE code is its own member).

    >>> aggregate_members("CA"), aggregate_members("M_N"), aggregate_members("20")
    (['10', '11', '12'], ['M', 'N'], ['20'])
    """
    c = str(code).strip()
    defs = _definitions()
    if c in defs:
        return list(defs[c])
    if is_nace(c):
        return [normalise_nace(c)]
    raise ClassificationError(Text("io_unknown_code", code=code))


def is_sector_code(code: str) -> bool:
    """True for a NACE code, an A*10/A*21/A*38/A*64 or regional-accounts aggregate, or ``TOTAL``."""
    return str(code).strip() in _definitions() or is_nace(code)


@lru_cache(maxsize=4096)
def sector_classes(code: str) -> frozenset[str]:
    """The NACE classes covered by any sector code (cached)."""
    classes: set[str] = set()
    for member in aggregate_members(code):
        classes.update(nace_classes_of(member))
    return frozenset(classes)


def is_partition(codes: Iterable[str]) -> bool:
    """True when the codes are disjoint and together cover the whole economy (all of TOTAL).

    >>> is_partition(["A", "B-E", "F", "G-J", "K-N", "O-U"]), is_partition(["B-E", "C"])
    (True, False)
    """
    seen: set[str] = set()
    total = 0
    for code in codes:
        classes = sector_classes(str(code).strip())
        if seen & classes:
            return False
        seen |= classes
        total += len(classes)
    return total == len(nace_codes("class"))


def partitions() -> dict[str, list[str]]:
    """The named partitions of TOTAL known to :func:`sector_set`.

    >>> sorted(partitions())[:3]
    ['a10', 'a10-coarse', 'a21']
    """
    return {name: list(codes) for name, codes in PARTITIONS.items()}


def _label_from_members(code: str, lang: str) -> str:
    return "; ".join(nace_label(m, lang) for m in aggregate_members(code))


def sector_label(code: str, lang: str = "en") -> str:
    """Label of a NACE code, an aggregate or ``TOTAL``.

    A*38/A*64 aggregates without a label of their own get their members' labels joined with ``"; "``.

    >>> sector_label("G-I", "nl")
    'Handel, vervoer en horeca'
    >>> sector_label("C", "en")
    'Manufacturing'
    """
    c = str(code).strip()
    if lang not in ("en", "nl"):
        raise ClassificationError(Text("io_unknown_lang", lang=lang, langs="en, nl"))
    if c in _AGG_LABELS:
        return _AGG_LABELS[c][0 if lang == "en" else 1]
    if is_nace(c):
        return nace_label(c, lang)
    return _label_from_members(c, lang)


def split_codes(spec: str) -> list[str]:
    """A ``--sectors`` list of data codes → the codes; labels with a comma are quoted or ``;``-separated.

    Codes are separated by ``,``; a code holding a comma is written in double quotes
    (``"Chemie, pharma",C``), or the whole list is separated by ``;`` (``Chemie, pharma;C``).

    >>> split_codes('"Chemie, pharma",C')
    ['Chemie, pharma', 'C']
    >>> split_codes("Chemie, pharma; Bouw")
    ['Chemie, pharma', 'Bouw']
    >>> split_codes("C,F")
    ['C', 'F']
    """
    import csv

    sep = ";" if ";" in spec and '"' not in spec else ","
    try:
        (fields,) = list(csv.reader([spec], delimiter=sep, quotechar='"', skipinitialspace=True))
    except (ValueError, csv.Error):
        raise ClassificationError(
            Text("io_bad_sector_list", spec=repr(spec)), column="sectors"
        ) from None
    return [f.strip() for f in fields if f.strip()]


def is_code_list(spec: str) -> bool:
    """Whether a ``--sectors`` string is a list (or a quoted code) rather than one scheme or code."""
    return any(ch in spec for ch in ',;"')


def sector_set(spec: str | Sequence[str], available: Iterable[str] | None = None) -> list[str]:
    """Resolve a scheme name or a list of codes into a list of sector codes.

    Parameters
    ----------
    spec : str or list of str
        A scheme: ``'a10'``, ``'a10-coarse'``, ``'sections'``/``'a21'``, ``'a38'``, ``'a64'``,
        ``'divisions'``, ``'groups'``, ``'classes'``, ``'nace'`` (any NACE or aggregate code); a single code;
        a comma-separated string (``'C,F'``; a code with a comma in double quotes,
        ``'"Chemie, pharma",C'``, or the list separated by ``;``: see :func:`split_codes`) or a list
        of codes.
    available : iterable of str, optional
        The sectors present in the data. Partition schemes and explicit lists need every code present
        (:class:`ClassificationError` names the absent ones); ``'divisions'``, ``'groups'``, ``'classes'`` and
        ``'nace'`` are restricted to the available codes of their kind.

    Returns
    -------
    list of str

    Examples
    --------
    >>> sector_set("a10-coarse")
    ['A', 'B-E', 'F', 'G-J', 'K-N', 'O-U']
    >>> sector_set("nace", available=["C", "TOTAL"])
    ['C', 'TOTAL']
    """
    have = None if available is None else [str(a).strip() for a in available]
    if isinstance(spec, str) and is_code_list(spec):
        spec = split_codes(spec)
    if isinstance(spec, str):
        name = spec.strip()
        key = name.lower()
        if key == "nace":
            if have is None:
                return list(dict.fromkeys(nace_codes() + list(_definitions())))
            unknown = [c for c in have if not is_sector_code(c)]
            if unknown:
                raise ClassificationError(
                    Text("io_not_nace", codes=_quoted(unknown)),
                    column="sector",
                )
            return list(dict.fromkeys(have))
        if key in PARTITIONS:
            codes = PARTITIONS[key]
            if have is not None and key in _ENUMERATIONS:
                present = set(have)
                return [c for c in codes if c in present]
            return _require(codes, have, Text("io_of_scheme", name=name))
        if is_sector_code(name):
            return _require([name], have, Text("io_of_list"))
        known = ", ".join([*PARTITIONS, "nace"])
        raise ClassificationError(
            Text("io_unknown_scheme", name=name, known=known), column="sectors"
        )
    codes = [str(c).strip() for c in spec]
    return _require(codes, have, Text("io_of_list"))


def _require(codes: list[str], have: list[str] | None, what: str) -> list[str]:
    if have is None:
        return list(codes)
    present = set(have)
    absent = [c for c in codes if c not in present]
    if absent:
        raise ClassificationError(
            Text(
                "io_sectors_absent",
                codes=_quoted(absent),
                what=what,
                available=", ".join(sorted(present)),
            ),
            column="sector",
        )
    return list(codes)


def _quoted(codes: Iterable[str]) -> str:
    return ", ".join(f"'{c}'" for c in codes)
