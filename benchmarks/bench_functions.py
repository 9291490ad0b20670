"""The course's five functions: skscale's vectorized ones vs the originals.

The originals are written as Google's Machine Learning Crash Course writes
them, ``Series.apply(lambda ...)``: one Python call per value. Both run on the
same float64 pandas Series; outputs are checked equal before timing. Run
``python benchmarks/bench_functions.py [--tiny | --large]``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from _common import (
    SIZES,
    Result,
    add_size_arguments,
    copy_bound,
    markdown_table,
    median_times,
    size_from_args,
)

import skscale

CLIP_RANGE = (5.0, 300.0)
THRESHOLD = 100.0


# The crash course's code, kept as written there (two-space indents aside).
def course_linear_scale(series):
    min_val = series.min()
    max_val = series.max()
    scale = (max_val - min_val) / 2.0
    return series.apply(lambda x: ((x - min_val) / scale) - 1.0)


def course_log_normalize(series):
    return series.apply(lambda x: math.log(x + 1.0))


def course_clip(series, clip_to_min, clip_to_max):
    return series.apply(lambda x: min(max(x, clip_to_min), clip_to_max))


def course_z_score_normalize(series):
    mean = series.mean()
    std_dv = series.std()
    return series.apply(lambda x: (x - mean) / std_dv)


def course_binary_threshold(series, threshold):
    return series.apply(lambda x: 1 if x > threshold else 0)


CASES: list[tuple[str, str, Callable, str, Callable]] = [
    (
        "linear_scale",
        "linear_scale(s)",
        skscale.linear_scale,
        "s.apply(lambda x: ((x - min_val) / scale) - 1.0)",
        course_linear_scale,
    ),
    (
        "log_normalize",
        "log_normalize(s)",
        skscale.log_normalize,
        "s.apply(lambda x: math.log(x + 1.0))",
        course_log_normalize,
    ),
    (
        "clip",
        "clip(s, 5, 300)",
        lambda s: skscale.clip(s, *CLIP_RANGE),
        "s.apply(lambda x: min(max(x, 5), 300))",
        lambda s: course_clip(s, *CLIP_RANGE),
    ),
    (
        "z_score_normalize",
        "z_score_normalize(s)",
        skscale.z_score_normalize,
        "s.apply(lambda x: (x - mean) / std_dv)",
        course_z_score_normalize,
    ),
    (
        "binary_threshold",
        "binary_threshold(s, 100)",
        lambda s: skscale.binary_threshold(s, THRESHOLD),
        "s.apply(lambda x: 1 if x > 100 else 0)",
        lambda s: course_binary_threshold(s, THRESHOLD),
    ),
]


def _tolerance(expected: np.ndarray) -> dict:
    """Equal up to a few roundings of the largest output.

    The originals compute ``(x - mean) / std`` where skscale computes
    ``x * scale + offset``: each rounds at the size of its terms, not of the
    result, so an output near 0 (cancellation) differs by a few ulp of the
    column's outputs, a large *relative* difference (3e-11 for the z-score at
    200,000 rows). 16 ulp of the largest |output| covers the few operations
    of either side; a wrong kernel is off by far more.
    """
    largest = float(np.max(np.abs(expected), initial=0.0))
    return {"rtol": 1e-12, "atol": 16 * np.finfo(np.float64).eps * largest}


def make_series(n_rows: int) -> pd.Series:
    """A deterministic, positive, skewed float64 Series (like a housing column)."""
    rng = np.random.default_rng(0)
    return pd.Series(100.0 * rng.standard_exponential(n_rows), name="feature")


def check_equal(ours: Callable, peer: Callable, series: pd.Series) -> None:
    """Raise unless skscale's function and the original agree on ``series``."""
    expected = peer(series)
    got = ours(series)
    np.testing.assert_allclose(
        got.to_numpy(), expected.to_numpy(), **_tolerance(expected.to_numpy())
    )
    pd.testing.assert_index_equal(got.index, expected.index)


def run(size: str = "small", *, log: Callable[[str], None] = print) -> list[Result]:
    """Each function against its original at one size profile."""
    n_rows, _, repeats = SIZES[size]
    log(f"bench_functions: {size} profile, a Series of {n_rows:,} values")
    series = make_series(n_rows)
    values = series.to_numpy()
    results = []
    for name, subject, ours, peer_name, peer in CASES:
        log(f"  time_{name}")
        check_equal(ours, peer, series)
        times = median_times(
            {
                "subject": lambda f=ours: f(series),
                "peer": lambda f=peer: f(series),
                "copy": copy_bound(values),
            },
            repeats=repeats,
        )
        results.append(
            Result(
                "functions",
                f"time_{name}",
                f"Series of {n_rows:,} float64",
                subject,
                times["subject"],
                peer_name,
                times["peer"],
                times["copy"],
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser)
    args = parser.parse_args()
    print(markdown_table(run(size_from_args(args))))


if __name__ == "__main__":
    main()
