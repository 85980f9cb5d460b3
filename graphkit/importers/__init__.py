"""Interoperability: importers for GDELT, ACLED and STIX; STIX, graph and CSV exports; merge.

Imported facts are machine-coded: every event, actor and source carries a
:class:`~graphkit.model.Provenance` with its dataset and record id, and gets a stable id derived
from it (``gdelt-881990832``, ``acled-UKR12345``), so importing a file twice gives the same
output and nothing is merged silently with curated facts. :func:`promote` moves reviewed records
into a curated file; :func:`merge` combines knowledge bases, keeping conflicting claims side by
side. See docs/importers.md.
"""

from graphkit.importers._base import (
    ActorMap,
    ImporterError,
    ImportResult,
    OnError,
    Progress,
    RowProblem,
    read_document,
    read_text_document,
)
from graphkit.importers.acled import import_acled
from graphkit.importers.cameo import CameoMatch, cameo_index, map_cameo
from graphkit.importers.gdelt import import_gdelt
from graphkit.importers.merge import (
    MergeNote,
    MergeResult,
    PromoteResult,
    append_items,
    concatenate,
    merge,
    promote,
)
from graphkit.importers.stix import import_stix, to_stix
from graphkit.importers.tables import (
    actors_csv,
    csv_zip,
    events_csv,
    network,
    relations_csv,
    sources_csv,
    to_gexf,
    to_graphml,
)

__all__ = [
    "ActorMap",
    "CameoMatch",
    "ImportResult",
    "ImporterError",
    "MergeNote",
    "MergeResult",
    "OnError",
    "Progress",
    "PromoteResult",
    "RowProblem",
    "actors_csv",
    "append_items",
    "cameo_index",
    "concatenate",
    "csv_zip",
    "events_csv",
    "import_acled",
    "import_gdelt",
    "import_stix",
    "map_cameo",
    "merge",
    "network",
    "promote",
    "read_document",
    "read_text_document",
    "relations_csv",
    "sources_csv",
    "to_gexf",
    "to_graphml",
    "to_stix",
]
