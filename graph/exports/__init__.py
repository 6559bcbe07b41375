"""Exports of a GraphBatch, one module per format, and the registry that names them.

``FORMATS`` maps a format name to ``(function, media type, file extension)``; ``export(batch, fmt)``
runs one and returns bytes. Every module imports cheaply: the renderers that need programs or
libraries beyond networkx (Graphviz for pictures, WeasyPrint for PDF, followthemoney, openpyxl) are
reached only when called and raise ``ExportUnavailable`` naming what to install.

May import: ``graph.model``, and the Neo4j store's statements and import files for the Cypher and
neo4j-csv formats (which must write what that store reads). Imported by the service.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import NamedTuple

from graph.exports.cypher import to_cypher
from graph.exports.cytoscape import to_cytoscape
from graph.exports.errors import ExportError, ExportUnavailable, UnknownFormat
from graph.exports.ftm import to_ftm
from graph.exports.gexf import to_gexf
from graph.exports.graphjson import to_json
from graph.exports.graphml import to_graphml
from graph.exports.neo4j_csv import to_neo4j_csv
from graph.exports.picture import to_png, to_svg
from graph.exports.plover import to_plover
from graph.exports.report import to_html, to_pdf
from graph.exports.xlsx import MEDIA_TYPE as XLSX_MEDIA_TYPE, to_xlsx
from graph.model import GraphBatch

__all__ = ["FORMATS", "Format", "export", "filename", "is_text",
           "ExportError", "ExportUnavailable", "UnknownFormat"]


class Format(NamedTuple):
    function: Callable[..., bytes | str]
    media_type: str
    extension: str


FORMATS: dict[str, Format] = {
    "json": Format(to_json, "application/json", "json"),
    "graphml": Format(to_graphml, "application/graphml+xml", "graphml"),
    "gexf": Format(to_gexf, "application/gexf+xml", "gexf"),
    "neo4j-csv": Format(to_neo4j_csv, "application/zip", "zip"),
    "cytoscape": Format(to_cytoscape, "application/json", "cyjs"),
    "cypher": Format(to_cypher, "text/plain", "cypher"),
    "svg": Format(to_svg, "image/svg+xml", "svg"),
    "png": Format(to_png, "image/png", "png"),
    "html": Format(to_html, "text/html", "html"),
    "pdf": Format(to_pdf, "application/pdf", "pdf"),
    "ftm": Format(to_ftm, "application/x-ndjson", "ftm.json"),
    "xlsx": Format(to_xlsx, XLSX_MEDIA_TYPE, "xlsx"),
    "plover": Format(to_plover, "application/json", "plover.json"),
}


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UnknownFormat(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}") from None


def export(batch: GraphBatch, fmt: str, *, title: str | None = None, center: str | None = None,
           isolated: bool | None = None, **options: object) -> bytes:
    """The batch in format ``fmt`` as bytes (text formats in UTF-8). ``title``, ``center`` (the actor
    an ego network is centred on, marked in pictures) and ``isolated`` (draw actors without
    relations) go to the formats that take them (pictures and reports) and are ignored by the
    others; ``options`` go to the format's function as they are."""
    function = _format(fmt).function
    accepted = inspect.signature(function).parameters
    for name, value in (("title", title), ("center", center), ("isolated", isolated)):
        if value is not None and name in accepted:
            options[name] = value
    out = function(batch, **options)
    return out.encode("utf-8") if isinstance(out, str) else out


def is_text(fmt: str) -> bool:
    """Whether the format is text, safe to print on a terminal."""
    media = _format(fmt).media_type
    return media.startswith("text/") or media.endswith(("json", "xml"))


def filename(fmt: str, stem: str = "subgraph") -> str:
    return f"{stem}.{_format(fmt).extension}"
