"""A campaign's approved declarations turned into the figures of a bulletin: the public snapshot
(schema amrc-bulletin/1, docs/bulletin-schema.md) and the internal record behind it.

Everything is summed in the database, in a fixed number of queries whatever the number of
companies (`reading`): group-bys over (segment, formality), (region, segment) and (measure,
segment), which Python only rolls up into totals, and window functions that fetch the few largest
contributions of each cell for the dominance rule. Each published table has its own small builder
(`declared`, `regional`, `estimates`, `measures`, `response`) declaring its cells and relations in
the shared `cells.CellBook`; disclosure control (amrc.lib.disclosure) then decides which cells are
published, and each builder renders its table.
"""

from bulletins.aggregation.columns import KEY_FIGURES, SCHEMA
from bulletins.aggregation.snapshot import campaign_snapshot, differing_declarations, disclosure_rules_from_settings

__all__ = [
    "KEY_FIGURES",
    "SCHEMA",
    "campaign_snapshot",
    "differing_declarations",
    "disclosure_rules_from_settings",
]
