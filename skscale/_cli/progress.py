"""The demo's progress line: tqdm on a terminal, one final line elsewhere.

tqdm (a kept, dependency-free library) redraws in place at most every
``MIN_INTERVAL`` seconds with the rate and the time left. Outside a terminal
(a log, a pipe, CI) a redrawn bar would be one line per redraw, so nothing is
drawn while it runs and one summary line in tqdm's format is written at the
end. ``quiet`` writes nothing at all.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

MIN_INTERVAL = 0.5  # seconds between redraws
SUMMARY_FORMAT = "{desc}s: {n_fmt}/{total_fmt} in {elapsed} ({rate_fmt})"


class Progress:
    """Count ``total`` steps on ``stream`` (default: stderr).

    Parameters
    ----------
    total : int
        The number of steps.
    stream : file-like, default=None
        Where to write; ``sys.stderr`` when None, so that stdout holds only
        the results.
    quiet : bool, default=False
        Write nothing.
    unit : str, default="run"
        What a step is, for the rate.
    """

    def __init__(self, total: int, stream=None, *, quiet=False, unit="run"):
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        self.quiet = quiet
        self.unit = unit
        self.done = 0
        self.start = time.perf_counter()
        self.interactive = not quiet and _is_terminal(self.stream)
        self._bar = (
            tqdm(
                total=total,
                file=self.stream,
                unit=unit,
                mininterval=MIN_INTERVAL,
                dynamic_ncols=True,
                leave=True,
            )
            if self.interactive
            else None
        )

    def describe(self, label: str) -> None:
        """Show what runs now (on a terminal only)."""
        if self._bar is not None:
            self._bar.set_description_str(label, refresh=False)

    def step(self) -> None:
        """One step done."""
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        """Finish the bar, or write the one summary line outside a terminal."""
        if self._bar is not None:
            self._bar.set_description_str("done", refresh=False)
            self._bar.close()
        elif not self.quiet:
            line = tqdm.format_meter(
                self.done,
                self.total,
                time.perf_counter() - self.start,
                prefix=self.unit,
                unit=self.unit,
                bar_format=SUMMARY_FORMAT,
            )
            self.stream.write(line + "\n")
            self.stream.flush()

    def abandon(self) -> None:
        """Stop drawing (an interrupt or an error): end the line, no summary."""
        if self._bar is not None:
            self._bar.close()


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
