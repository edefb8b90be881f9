"""Classifications: NACE Rev. 2, Eurostat aggregates, technology intensity, NUTS, policy sectors, breaks.

>>> from speerpunt.classify import nace_label, sector_set, nuts_name
>>> nace_label("C", "nl"), sector_set("a10")[:3], nuts_name("BE21", "nl")
('Industrie', ['A', 'B-E', 'F'], 'Provincie Antwerpen')
"""

from speerpunt.classify.aggregates import (
    A10,
    A21,
    A38,
    A38_EUROSTAT,
    A64,
    REGIONAL,
    aggregate_members,
    is_partition,
    is_sector_code,
    partitions,
    sector_classes,
    sector_label,
    sector_set,
)
from speerpunt.classify.breaks import (
    BlockingBreak,
    apply_conversion,
    check_break,
    nacebel_2008_break,
    read_conversion,
)
from speerpunt.classify.combine import aggregate_panel
from speerpunt.classify.nace import (
    is_nace,
    nace_children,
    nace_classes_of,
    nace_codes,
    nace_label,
    nace_level,
    nace_parent,
    nace_section,
    nace_table,
    normalise_nace,
)
from speerpunt.classify.nuts import (
    is_nuts,
    nis_nuts,
    nis_to_nuts,
    nuts_ancestors,
    nuts_changes,
    nuts_children,
    nuts_country,
    nuts_level,
    nuts_name,
    nuts_parent,
    nuts_recode,
    nuts_table,
    nuts_to_nis,
)
from speerpunt.classify.policy import (
    PolicySector,
    load_policy_sectors,
    policy_sector_panel,
    policy_sectors,
)
from speerpunt.classify.sector_build import BuiltSectors, build_sectors
from speerpunt.classify.selection import Selection, select
from speerpunt.classify.technology import (
    CLASS_LABELS,
    technology_intensity,
    technology_subclass,
    technology_table,
)
from speerpunt.classify.territories import add_territories, territories
from speerpunt.classify.vocabulary import named_sets, policy_spec, sectors_table

__all__ = [
    "add_territories",
    "build_sectors",
    "BuiltSectors",
    "named_sets",
    "policy_spec",
    "sectors_table",
    "select",
    "Selection",
    "territories",
    "A10",
    "A21",
    "A38",
    "A38_EUROSTAT",
    "A64",
    "REGIONAL",
    "CLASS_LABELS",
    "aggregate_members",
    "aggregate_panel",
    "apply_conversion",
    "BlockingBreak",
    "check_break",
    "is_nace",
    "is_nuts",
    "is_partition",
    "is_sector_code",
    "load_policy_sectors",
    "nace_children",
    "nace_classes_of",
    "nace_codes",
    "nace_label",
    "nace_level",
    "nace_parent",
    "nace_section",
    "nace_table",
    "nacebel_2008_break",
    "nis_nuts",
    "nis_to_nuts",
    "normalise_nace",
    "nuts_ancestors",
    "nuts_changes",
    "nuts_children",
    "nuts_country",
    "nuts_level",
    "nuts_name",
    "nuts_parent",
    "nuts_recode",
    "nuts_table",
    "nuts_to_nis",
    "partitions",
    "PolicySector",
    "policy_sector_panel",
    "policy_sectors",
    "read_conversion",
    "sector_classes",
    "sector_label",
    "sector_set",
    "technology_intensity",
    "technology_subclass",
    "technology_table",
]
