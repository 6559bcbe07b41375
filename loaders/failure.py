"""An article whose extraction failed, named with the sentence being read when it did.

No article can break a run: a bug the extractor meets on one article's wording is caught around
that article, becomes an ``ArticleFailed`` (the article's id, the sentence's character offset and
text, the exception in one line) and the other articles go on. ``ArticleFailed`` is a
``LoadError``, so the commands report it beside unreadable files; it pickles, so a worker process
can send it back.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Callable

from loaders.read import LoadError

__all__ = ["SentenceError", "ArticleFailed", "shorten", "resolve_or_record"]

_SHORT = 80
_ROOT = Path(__file__).resolve().parents[1]


def shorten(text: str, size: int = _SHORT) -> str:
    """One printable line of at most ``size`` characters: what a message quotes of a sentence."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return line if len(line) <= size else line[: size - 1].rstrip() + "…"


class SentenceError(Exception):
    """Raised from ``ArticleReader.read`` when reading a sentence fails; the cause is chained."""

    def __init__(self, offset: int, text: str):
        self.offset, self.text = offset, text
        super().__init__(f"reading the sentence at character {offset}: {shorten(text)!r}")


def _where(exc: BaseException) -> str:
    """The innermost frame of the cause, as 'loaders/vocab.py:80', for a bug report."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    path = Path(frames[-1].filename)
    try:
        path = path.resolve().relative_to(_ROOT)
    except ValueError:
        pass
    return f"{path}:{frames[-1].lineno}"


class ArticleFailed(LoadError):
    """An article the extractor failed on: nothing of it is in the graph.

    ``reason`` is plain (what the API returns: the step, and the sentence when one was being
    read); ``detail`` names the exception and where it was raised (for stderr and the log);
    ``trace`` is the formatted traceback (for the log)."""

    def __init__(self, article_id: str, reason: str, detail: str = "", offset: int | None = None,
                 sentence: str | None = None, trace: str = ""):
        super().__init__(article_id, reason)
        self.article_id, self.detail, self.offset, self.sentence, self.trace = \
            article_id, detail, offset, sentence, trace

    def __reduce__(self):
        return type(self), (self.article_id, self.reason, self.detail, self.offset, self.sentence, self.trace)

    @classmethod
    def of(cls, article_id: str, exc: BaseException, step: str = "reading") -> "ArticleFailed":
        """The failure of ``exc`` (a ``SentenceError`` names its sentence) raised at ``step``:
        'parsing' (the language pipeline), 'reading' (the article's sentences) or 'resolving'
        (its actors against those seen before)."""
        cause, offset, sentence = exc, None, None
        if isinstance(exc, SentenceError):
            offset, sentence = exc.offset, exc.text
            cause = exc.__cause__ or exc
        if sentence is not None:
            reason = f"extraction failed reading the sentence at character {offset}: \"{shorten(sentence)}\""
        else:
            reason = f"extraction failed {step} the article"
        where = _where(cause)
        detail = f"{type(cause).__name__}: {shorten(str(cause), 200)}" + (f" ({where})" if where else "")
        trace = "".join(traceback.format_exception(exc))
        failed = cls(article_id, reason, detail, offset, sentence, trace)
        failed.__cause__ = exc
        return failed


def resolve_or_record(article_id: str, reading: Any, resolve: Callable[[], Any], failures: list | None) -> Any:
    """``resolve()`` for an article whose reading is ``reading``; None when reading or resolving it
    failed, the failure appended to ``failures`` (raised, without that list). ``resolve`` must
    change nothing when it raises, so a failed article leaves nothing half-added."""
    failed = reading if isinstance(reading, ArticleFailed) else None
    if failed is None:
        try:
            return resolve()
        except Exception as exc:
            failed = ArticleFailed.of(article_id, exc, "resolving")
    if failures is None:
        raise failed
    failures.append(failed)
    return None
