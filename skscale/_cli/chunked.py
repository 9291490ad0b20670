"""``skscale profile`` on a CSV too big to load: two passes over chunks.

Pass one merges each chunk's column statistics and quantile sketch (the
streaming machinery of ``partial_fit``); pass two, with the mean and the
sketch's quartiles known, adds the third moment, the count beyond Tukey's
fences and whether a column holds only its two extremes. The result is the
:class:`~skscale.preprocessing._auto_profile.ColumnProfile` that AutoScaler
decides from, so the choices match a fit on the whole file (quartiles up to
the sketch's documented rank error).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from skscale._cli.data import csv_options, numeric_columns
from skscale._cli.errors import UserError
from skscale._engine._stats import Summary, summarize
from skscale.preprocessing._auto_profile import FENCE_IQR_MULTIPLIER, ColumnProfile

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
    """What :func:`profile_csv_in_chunks` learns from a file."""

    columns: list
    profile: ColumnProfile
    n_chunks: int
    n_rows: int


def profile_csv_in_chunks(
    path, chunk_rows: int = DEFAULT_CHUNK_ROWS, choose=_all_columns
) -> ChunkedProfile:
    """Profile a CSV chunk by chunk, in memory of a few chunks whatever its size.

    ``choose`` maps the first chunk to the columns to profile (default: all;
    each must be numeric, or the first non-numeric value is a UserError).
    """
    merged, columns, n_chunks = None, None, 0
    options = csv_options(path)  # the rows' shape is checked once, for both passes
    for chunk in _chunks(path, chunk_rows, choose, options):
        columns = list(chunk.columns) if columns is None else columns
        summary, _ = summarize(chunk.to_numpy(np.float64), percents=[])
        merged = summary if merged is None else Summary.merge(merged, summary)
        n_chunks += 1
    if merged is None:
        raise UserError(f"{path} has a header but no data rows")
    stats = merged.stats
    q1, q3 = merged.sketch.quantiles([0.25, 0.75])
    spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
    m3 = np.zeros(len(columns))
    beyond = np.zeros(len(columns))
    two_valued = np.ones(len(columns), dtype=bool)
    n_rows = 0
    for chunk in _chunks(path, chunk_rows, lambda _: columns, options):
        values = chunk.to_numpy(np.float64)
        n_rows += len(values)
        with np.errstate(invalid="ignore", over="ignore"):
            m3 += np.nansum((values - stats.mean) ** 3, axis=0)
            beyond += np.sum((values < q1 - spread) | (values > q3 + spread), axis=0)
            two_valued &= np.all(
                (values == stats.min) | (values == stats.max) | np.isnan(values),
                axis=0,
            )
    variance = stats.variance(ddof=0)
    counted = np.fmax(stats.count, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        skewness = np.where(variance > 0, m3 / counted / variance**1.5, 0.0)
        std = np.where(stats.count > 1, np.sqrt(stats.variance(ddof=1)), np.nan)
    profile = ColumnProfile(
        count=stats.count,
        missing=n_rows - stats.count,
        min=stats.min,
        max=stats.max,
        mean=stats.mean,
        std=std,
        skewness=np.where(stats.count > 0, skewness, np.nan),
        outlier_share=np.where(stats.count > 0, beyond / counted, 0.0),
        two_valued=two_valued & (stats.count > 0),
    )
    return ChunkedProfile(columns, profile, n_chunks, n_rows)
