"""The exports' errors: one root, so callers (CLI, API) can turn any of them into one message."""
from __future__ import annotations

__all__ = ["ExportError", "UnknownFormat", "ExportUnavailable"]


class ExportError(Exception):
    """Root of the export errors."""


class UnknownFormat(ExportError, ValueError):
    """No export format of that name; the message lists the known ones."""


class ExportUnavailable(ExportError):
    """A format's renderer is not installed here; the message says what to install."""
