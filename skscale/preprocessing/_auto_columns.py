"""AutoScaler's statistics of one sorted column, on any namespace.

The ``per_column`` hook of AutoScaler's chunk summary
(:func:`skscale.preprocessing._auto_profile.summarize_choices`): the
engine calls it on each column while it holds the column sorted for its
exact percentiles, so these statistics cost a few passes over a column and
none over X. Tukey's fences and the columns' power-of-two scale are here,
written once for the exact count and the merged profile alike.
"""

from __future__ import annotations

import threading

import numpy as np

from skscale._compat import max_float_dtype
from skscale._engine._map import into
from skscale._engine._stats import ColumnStats
from skscale._engine._xp_stats import host

# Tukey's "far out" fences: quartiles -/+ 3 IQR. Normal data has about
# 2 values in a million beyond them, so a share of 1% means a real tail.
FENCE_IQR_MULTIPLIER = 3.0


def fences(q1, q3):
    """Tukey's far-out fences, ``(q1 - 3 IQR, q3 + 3 IQR)``."""
    spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
    return q1 - spread, q3 + spread


def magnitude_exponent(stats: ColumnStats) -> np.ndarray:
    """Per column, the ``e`` that puts the largest magnitude in ``[2**(e-1),
    2**e)`` (0 for an empty column): the column times ``2**-e`` is at most 1
    in magnitude, and its moments cannot overflow."""
    magnitude = np.fmax(np.abs(stats.min), np.abs(stats.max))
    return np.frexp(np.nan_to_num(magnitude))[1]


# The per-column results of sorted_column_choices, in this order.
COLUMN_FIELDS = (
    "m3",
    "m2_scaled",
    "inner",
    "log_count",
    "log_min",
    "log_max",
    "log_mean",
    "log_m2",
    "log_rows",
    "beyond",
    "clip_mean",
    "clip_m2",
)


def column_total(xp, values, weights=None):
    """The (weighted) sum of a column, accumulated in float64 on NumPy."""
    if weights is not None:
        return _dot(xp, values, weights)
    if xp is np:
        return float(np.sum(values, dtype=np.float64))
    wide = max_float_dtype(xp, values.device)
    return float(host(xp.sum(xp.astype(values, wide))))


def _dot(xp, a, b, weights=None):
    """``sum(a * b * weights)`` of float64 columns (BLAS on NumPy)."""
    if weights is not None:
        b = b * weights
    if xp is np:
        return float(np.dot(a, b))
    return float(host(xp.sum(a * b)))


def _largest(xp, values) -> float:
    return float(np.max(values)) if xp is np else float(host(xp.max(values)))


def _wide(xp, values):
    """A column in float64 (the device's widest float): its sums accumulate
    there."""
    if xp is np:
        return values.astype(np.float64, copy=False)
    return xp.astype(values, max_float_dtype(xp, values.device))


def _scratch(xp, n, which, buffers):
    """A float64 scratch column of this thread, reused from column to column
    within one summary (NumPy; None elsewhere): fresh arrays of a column's
    size would cost their page faults at every column."""
    if xp is not np:
        return None
    held = buffers.get(threading.get_ident())
    if held is None or held[0].size < n:
        held = buffers[threading.get_ident()] = (np.empty(n), np.empty(n))
    return held[which][:n]


def _index(xp, values, value, side):
    """``searchsorted`` of one number in a sorted column, as a Python int."""
    probe = xp.asarray([float(value)], dtype=values.dtype, device=values.device)
    found = xp.searchsorted(values, probe, side=side)
    return int(found[0]) if xp is np else int(host(found)[0])


def sorted_column_choices(
    xp, values, weights, quantiles, stats, j, *, outlier_threshold=0.0, buffers
):
    """AutoScaler's statistics of one column, from its sorted non-NaN values
    of positive weight (``weights`` None: unweighted) and its exact
    quantiles (the quartiles, then the clipping percentiles); see
    :data:`COLUMN_FIELDS`. Every value is read on the column's namespace, in a few
    passes over the column (dot products on NumPy). What cannot serve a
    choice is skipped: the log's statistics of a column with a negative
    value (it is never logged, and merged chunks keep its minimum), and the
    clipped statistics of a column whose exact outlier share does not exceed
    ``outlier_threshold`` (it is not clipped by this fit; merged chunks
    estimate them from the sketch)."""
    n = values.shape[0]
    result = dict.fromkeys(COLUMN_FIELDS, np.nan)
    result.update(m3=0.0, m2_scaled=0.0, beyond=0.0)
    result.update(log_count=0.0, log_m2=0.0, log_rows=0.0, clip_m2=0.0)
    if n == 0:
        return [result[name] for name in COLUMN_FIELDS]
    exponent = int(magnitude_exponent(stats)[j])
    # Deviations from the mean, in float64, scaled by 2**-shift: by the
    # column's power of two only where cubes could overflow (or underflow);
    # a power-of-two scaling changes no bit of the results, only the range.
    # Subnormal columns (exponent below -1022) are scaled up by 2**1000 at
    # most: 2**1074 is no float64, and 2**1000 brings them near 1 anyway.
    shift = 0 if abs(exponent) < 300 else max(exponent, -1000)
    factor, centre = float(np.ldexp(1.0, -shift)), float(stats.mean[j])
    with np.errstate(all="ignore"):
        deviations = _wide(xp, values) * factor if shift else _wide(xp, values)
        deviations = into(
            xp, _scratch(xp, n, 0, buffers), xp.subtract, deviations, centre * factor
        )
        squares = into(
            xp, _scratch(xp, n, 1, buffers), xp.multiply, deviations, deviations
        )
        m2 = np.ldexp(stats.m2[j], -2 * shift)  # the same sum, already made
        if shift or not np.isfinite(m2):  # unscaled, it may over- or underflow
            m2 = column_total(xp, squares, weights)
        # m3 as ChoiceSummary keeps it: the weighted mean of the cubes of
        # the column scaled by 2**-exponent, the weights relative to their
        # largest (no size of weights overflows the sum).
        if weights is None:
            m3 = _dot(xp, squares, deviations) / n
        else:
            relative = weights / _largest(xp, weights)
            m3 = _dot(xp, squares, deviations, relative) / column_total(xp, relative)
        result.update(
            m2_scaled=float(np.ldexp(m2, 2 * (shift - exponent))),
            m3=float(np.ldexp(m3, 3 * (shift - exponent))),
        )
        following = _index(xp, values, values[0], "right")
        if following < n and bool(values[following] < values[n - 1]):
            result["inner"] = float(values[following])
        # log1p of a non-negative column (so its extremes are its ends), in
        # X's dtype as the transform computes it.
        if stats.min[j] >= 0:
            wide = xp is np and values.dtype == np.float64
            buffer = _scratch(xp, n, 1, buffers) if wide else None
            logged = into(xp, buffer, xp.log1p, values)  # squares are spent
            kept = weights
            count = logged.shape[0] if kept is None else column_total(xp, kept)
            low, high = float(logged[0]), float(logged[-1])
            mean = min(max(column_total(xp, logged, kept) / count, low), high)
            spread = _wide(xp, logged)  # logged is spent: in place on NumPy
            spread = into(xp, spread, xp.subtract, spread, mean)
            result.update(
                log_count=float(count),
                log_min=low,
                log_max=high,
                log_mean=mean,
                log_m2=_dot(xp, spread, spread, kept),
                log_rows=float(logged.shape[0]),
            )
        if weights is None:
            if xp is np:  # clipped at bounds in X's dtype, as the transform clips
                quantiles = quantiles.astype(values.dtype).astype(np.float64)
            # The quantiles as the deviations are (same operations, rounding).
            shifted = [float(q) * factor - centre * factor for q in quantiles]
            _exact_chunk(xp, deviations, shifted, result, outlier_threshold)
            result["clip_mean"] = float(np.ldexp(result["clip_mean"], shift)) + centre
            result["clip_m2"] = float(np.ldexp(result["clip_m2"], 2 * shift))
    return [result[name] for name in COLUMN_FIELDS]


def _exact_chunk(xp, deviations, quantiles, result, outlier_threshold):
    """The outlier count and (if its share exceeds ``outlier_threshold``)
    the clipped moments of an unweighted column, from its sorted deviations
    and its quantiles as deviations."""
    n = deviations.shape[0]
    low, high = fences(quantiles[0], quantiles[1])
    beyond = _index(xp, deviations, low, "left") + n
    result["beyond"] = float(beyond - _index(xp, deviations, high, "right"))
    if not result["beyond"] / n > outlier_threshold:  # as the profile divides
        return
    low, high = quantiles[2], quantiles[3]
    below = _index(xp, deviations, low, "left")
    within = _index(xp, deviations, high, "right")
    middle, above = deviations[below:within], n - within
    mean = (column_total(xp, middle) + low * below + high * above) / n
    mean = min(max(mean, low), high)
    middle = into(xp, middle, xp.subtract, middle, mean)  # deviations are spent
    m2 = _dot(xp, middle, middle) + below * (low - mean) ** 2
    result.update(clip_mean=mean, clip_m2=m2 + above * (high - mean) ** 2)
