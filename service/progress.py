"""A small progress bar on stderr for long CLI work (extract, ingest).

On a terminal it redraws one line; elsewhere (CI logs, pipes) it prints a line every 10% so logs
stay short. It stays silent for small jobs, where a bar is only noise.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, min_total: int = 10):
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.enabled = total >= min_total
        self.done = 0
        self.started = time.monotonic()
        self._last_decile = -1
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if not self.enabled:
            return
        frac = self.done / self.total if self.total else 1.0
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        if self.tty:
            bar = "#" * int(frac * 30)
            self.stream.write(f"\r{self.label} [{bar:<30}] {self.done}/{self.total} {rate:6.1f}/s {note[:30]:<30}")
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif int(frac * 10) > self._last_decile:
            self._last_decile = int(frac * 10)
            self.stream.write(f"{self.label}: {self.done}/{self.total} ({frac:.0%}, {rate:.1f}/s)\n")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self.done < self.total:
            self.stream.write("\n")
            self.stream.flush()
