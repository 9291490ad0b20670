"""``skscale profile`` on a CSV too big to load: one pass over chunks.

Each chunk goes to ``AutoScaler.partial_fit``, which merges its chunk summary
(column moments, the third moment, the quantile sketch, whether a column
holds only two values) exactly as a fit on the whole file would read it,
up to the sketch's documented rank error for the quartiles and the share
beyond Tukey's fences. The table is ``AutoScaler.report()``: the command
asks the estimator through its public methods only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.base import clone

from skscale._cli.data import csv_options, numeric_columns
from skscale._cli.errors import UserError
from skscale.preprocessing import AutoScaler

# Files larger than this are profiled in chunks rather than loaded whole.
CHUNKED_ABOVE_BYTES = 256 * 2**20
DEFAULT_CHUNK_ROWS = 200_000


def _all_columns(chunk: pd.DataFrame) -> list:
    return list(chunk.columns)


def _chunks(path, chunk_rows: int, choose, options: dict):
    """Numeric chunks of the columns ``choose(first chunk)`` names; ``options``
    (from :func:`~skscale._cli.data.csv_options`) say how to read the file."""
    columns = None
    try:
        reader = pd.read_csv(path, chunksize=chunk_rows, **options)
        for index, chunk in enumerate(reader):
            if chunk.empty:  # a header-only file gives one chunk of no rows
                continue
            if columns is None:
                columns = choose(chunk)
            yield numeric_columns(chunk[columns], path, first_row=index * chunk_rows)
    except pd.errors.EmptyDataError:
        raise UserError(f"{path} is empty: no header and no rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise UserError(f"cannot read {path} as CSV: {first_line}") from None


@dataclass
class ChunkedProfile:
    """What :func:`profile_csv_in_chunks` learns from a file: the columns,
    ``AutoScaler.report()`` of the scaler fitted chunk by chunk, and counts."""

    columns: list
    report: pd.DataFrame
    n_chunks: int
    n_rows: int


def profile_csv_in_chunks(
    path, chunk_rows: int = DEFAULT_CHUNK_ROWS, choose=_all_columns, scaler=None
) -> ChunkedProfile:
    """Profile a CSV chunk by chunk, in memory of a few chunks whatever its size.

    ``choose`` maps the first chunk to the columns to profile (default: all;
    each must be numeric, or the first non-numeric value is a UserError).
    ``scaler`` (default ``AutoScaler()``) is cloned and fitted with
    ``partial_fit`` on each chunk.
    """
    scaler = clone(AutoScaler() if scaler is None else scaler)
    columns, n_chunks, n_rows = None, 0, 0
    for chunk in _chunks(path, chunk_rows, choose, csv_options(path)):
        columns = list(chunk.columns) if columns is None else columns
        try:
            scaler.partial_fit(chunk)
        except ValueError as exc:  # ±inf in a column: the message names it
            raise UserError(str(exc).splitlines()[0]) from None
        n_chunks += 1
        n_rows += len(chunk)
    if columns is None:
        raise UserError(f"{path} has a header but no data rows")
    return ChunkedProfile(columns, scaler.report(), n_chunks, n_rows)
