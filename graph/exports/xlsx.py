"""An Excel workbook (openpyxl) for analysts who live in spreadsheets: sheets ``nodes``,
``relations``, ``events`` and ``articles``.

``events`` has one row per event (graph.model.events: one meeting, visit, signing or offer however
many pairs of actors it ties): type, date, place, what, the participants with their roles, its
PLOVER and CAMEO codes and its corroboration.

``relations`` has one row per citation, so every row can be checked against its source: the
relation (type, date, ends and place by name and id, what) and then the article, its title, the
citing sentence and where it sits, then the relation's corroboration (independent sources, articles, first
and last reported, ``graph.model.corroboration``). A relation nobody cites (structure from the vocabularies) has one
row with the citation cells empty. Dates stay ISO text, since "2025-03" is no spreadsheet date.
Every sheet has a bold, frozen header row and a filter. Text is always written as text: a sentence
starting with "=" is not a formula.
"""
from __future__ import annotations

import io
from collections import Counter

from graph.model.batch import complete_events
from graph.model.corroboration import corroborate
from graph.exports.events import event_codes
from graph.exports.errors import ExportUnavailable
from graph.exports.network import actor_name
from graph.model import GraphBatch

__all__ = ["to_xlsx", "NODE_COLUMNS", "RELATION_COLUMNS", "EVENT_COLUMNS", "ARTICLE_COLUMNS", "MEDIA_TYPE"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NODE_COLUMNS = ("id", "name", "type", "aliases", "rank", "title", "relations")
RELATION_COLUMNS = ("type", "date", "source", "source id", "target", "target id", "place", "place id", "what",
                    "article", "article title", "published", "sentence", "start", "end", "confidence", "key",
                    "sources", "articles", "first reported", "last reported")
EVENT_COLUMNS = ("id", "type", "date", "place", "place id", "what", "participants", "participant ids",
                 "roles", "plover", "cameo", "sources", "articles", "article ids", "first reported", "last reported")
ARTICLE_COLUMNS = ("id", "title", "published", "source", "url", "citations")
_WIDTHS = {"id": 28, "name": 28, "source": 24, "target": 24, "place": 18, "what": 24, "article": 16,
           "article title": 32, "sentence": 80, "title": 32, "aliases": 28, "key": 40, "url": 36,
           "source id": 24, "target id": 24, "place id": 20, "participants": 40, "participant ids": 40,
           "roles": 28, "article ids": 24}


def _text(value: object) -> object:
    """Numbers stay numbers; text loses only the control characters XML cannot hold."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def _sheet(wb, title: str, columns: tuple[str, ...], rows) -> None:
    """One sheet, streamed (a write-only workbook: a cell-addressed one slows down with every row)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    # Sheet settings come before the rows in a write-only sheet.
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 12)
    ws.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    wrapped = {i for i, name in enumerate(columns) if name == "sentence"}

    def cell(value: object, i: int) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=_text(value))
        if isinstance(c.value, str):
            c.data_type = "s"  # openpyxl would take "=..." for a formula
            if i in wrapped or "\n" in c.value:
                c.alignment = wrap
        return c

    header = []
    for name in columns:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    n = 1
    for row in rows:
        ws.append([cell(v, i) for i, v in enumerate(row)])
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n}"


def to_xlsx(batch: GraphBatch) -> bytes:
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise ExportUnavailable(f"Excel export needs openpyxl: pip install openpyxl ({exc})") from exc

    def name(actor_id: str | None) -> str | None:
        return actor_name(batch, actor_id) or None

    degree = Counter()
    for r in batch.relations.values():
        degree[r.source] += 1
        degree[r.target] += 1
    cited = Counter(p.article for r in batch.relations.values() for p in r.provenance)

    nodes = ((a.id, a.name, a.type.value, "; ".join(a.aliases), a.rank, a.title, degree[a.id])
             for a in (batch.actors[k] for k in sorted(batch.actors)))

    def relation_rows():
        for key in sorted(batch.relations):
            r = batch.relations[key]
            c = corroborate(r.provenance, batch.articles)
            head = (r.type.value, r.date, name(r.source), r.source, name(r.target), r.target,
                    name(r.place), r.place, r.what)
            tail = (key, c.sources, c.articles, c.first_reported, c.last_reported)
            for p in r.provenance or [None]:
                if p is None:
                    yield (*head, None, None, None, None, None, None, None, *tail)
                    continue
                article = batch.articles.get(p.article)
                yield (*head, p.article, article and article.title, article and article.published, p.sentence,
                       p.start, p.end, p.confidence, *tail)

    codes = event_codes(batch)

    def event_rows():
        for ev in complete_events(batch):
            c = corroborate(ev.citations, batch.articles)
            yield (ev.id, ev.type.value, ev.date, name(ev.place), ev.place, ev.what,
                   "; ".join(actor_name(batch, p.actor) for p in ev.participants),
                   "; ".join(p.actor for p in ev.participants), "; ".join(p.role for p in ev.participants),
                   codes[ev.id].plover, codes[ev.id].cameo, c.sources, c.articles, "; ".join(ev.articles),
                   c.first_reported, c.last_reported)

    articles = ((a.id, a.title, a.published, a.source, a.url, cited[a.id])
                for a in (batch.articles[k] for k in sorted(batch.articles)))

    wb = Workbook(write_only=True)
    wb.properties.creator = "actorgraph"
    _sheet(wb, "nodes", NODE_COLUMNS, nodes)
    _sheet(wb, "relations", RELATION_COLUMNS, relation_rows())
    _sheet(wb, "events", EVENT_COLUMNS, event_rows())
    _sheet(wb, "articles", ARTICLE_COLUMNS, articles)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
