"""The ``neo4j-csv`` export: the Neo4j store's import files (graph.stores.neo4j.import_files) zipped
with the command that loads them, a README and the fixup the import tool cannot do."""
from __future__ import annotations

import io
import zipfile

from graph.model import GraphBatch
from graph.stores.neo4j.cypher import PROVENANCE_LISTS
from graph.stores.neo4j.import_files import ARRAY_DELIMITER, IMPORT_COMMAND, csv_tables

__all__ = ["to_neo4j_csv"]

_README = f"""\
Actor graph export for neo4j-admin (Neo4j 5).

Stop the DBMS (or target a database that does not exist yet), then from this folder:

    {IMPORT_COMMAND}

Array columns use '{ARRAY_DELIMITER}' between elements, and citing sentences may span lines,
hence the two options. Then start the DBMS and run, in cypher-shell or Browser, cypher/schema.cypher
(constraints and indexes) and fixup.cypher from this folder: the import tool writes no property for an
empty list, and actorgraph's store expects empty lists it can append to.
"""

# What the import cannot write: empty lists (an empty CSV field means "no property").
_FIXUP = (
    "// Run once after neo4j-admin import: give every actor and relation the empty lists the\n"
    "// actorgraph store appends to (the import tool writes no property for an empty list).\n"
    "MATCH (a:Actor) WHERE a.aliases IS NULL SET a.aliases = [];\n"
    "MATCH (e:Event) WHERE e.prov_ids IS NULL\n"
    "SET " + ", ".join(f"e.{prop} = []" for prop in PROVENANCE_LISTS.values() if prop != "sentences") + ";\n"
    "MATCH (:Actor)-[r]->(:Actor) WHERE r.prov_ids IS NULL\n"
    "SET " + ", ".join(f"r.{prop} = []" for prop in PROVENANCE_LISTS.values()) + ";\n"
)


def to_neo4j_csv(batch: GraphBatch) -> bytes:
    """A zip of nodes.csv, relationships.csv, articles.csv, mentions.csv, fixup.cypher and a README
    with the import command."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in csv_tables(batch).items():
            zf.writestr(_entry(name), text)
        zf.writestr(_entry("fixup.cypher"), _FIXUP)
        zf.writestr(_entry("README.txt"), _README)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp makes equal graphs give byte-equal archives.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
