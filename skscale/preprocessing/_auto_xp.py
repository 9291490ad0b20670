"""AutoScaler's chunk summary on an Array API namespace and device.

The counterpart of :func:`skscale.preprocessing._auto_profile.summarize_choices`
for :mod:`skscale._engine._xp_engine`: the same :class:`ChoiceSummary`, every value
read on X's device, per-column results only coming to the host.
"""

from __future__ import annotations

import numpy as np

from skscale._compat import max_float_dtype
from skscale._engine import _xp_stats
from skscale._engine._xp_stats import column_extremes, column_stats, host
from skscale.preprocessing._auto_profile import (
    FENCE_IQR_MULTIPLIER,
    ChoiceSummary,
    ColumnProfile,
    magnitude_exponent,
)


def summarize_choices(xp, X, weight=None, *, percents, needs="m2"):
    """A chunk's :class:`ChoiceSummary` and exact ``percents`` (see the module)."""
    summary, exact = _xp_stats.summarize(xp, X, weight, percents=percents)
    stats = summary.stats
    wide = max_float_dtype(xp, X.device)
    w = xp.ones(X.shape[0], dtype=wide, device=X.device)
    if weight is not None:
        w = xp.astype(weight, wide)
    m3 = _scaled_third_moment(xp, X, w, stats, wide)
    with np.errstate(all="ignore"):  # NumPy-backed namespaces warn on log(NaN)
        logged = xp.log1p(xp.where(X >= 0, X, xp.nan))
    log_stats = column_stats(xp, logged, weight)
    between = (
        (_on(xp, stats.min, X.device, X.dtype) < X)
        & (_on(xp, stats.max, X.device, X.dtype) > X)
        & (w > 0)[:, None]
    )
    inner = column_extremes(xp, xp.where(between, X, xp.nan))[0]
    result = ChoiceSummary(
        stats, summary.sketch, m3, log_stats, inner, float(host(xp.sum(w)))
    )
    if weight is None and X.shape[0]:
        result.exact_profile = _profile(xp, X, stats)
        low, high = (
            np.where(np.isnan(q), b, q)
            for q, b in [(exact[2], -np.inf), (exact[3], np.inf)]
        )
        clipped = xp.minimum(
            xp.maximum(X, _on(xp, low, X.device, X.dtype)),
            _on(xp, high, X.device, X.dtype),
        )
        result.exact_clipped = column_stats(xp, clipped)
        result.exact_quantiles = exact
    return result, exact


def _scaled(xp, X, exponent, wide):
    """``X * 2**-exponent`` in ``wide``, by two exact powers of two (one
    could overflow float64 alone)."""
    half = -exponent // 2
    values = xp.astype(X, wide) * _on(xp, np.ldexp(1.0, half), X.device, wide)
    return values * _on(xp, np.ldexp(1.0, -exponent - half), X.device, wide)


def _scaled_third_moment(xp, X, w, stats, wide):
    """:func:`skscale.preprocessing._auto_profile.scaled_third_moment` on X's
    device."""
    exponent = magnitude_exponent(stats)
    with np.errstate(all="ignore"):
        mean = np.ldexp(stats.mean, -exponent)
    deviations = _scaled(xp, X, exponent, wide) - _on(xp, mean, X.device, wide)
    kept = ~xp.isnan(deviations) & (w > 0)[:, None]
    relative = w / xp.max(w) if X.shape[0] else w
    shares = xp.where(kept, relative[:, None], 0.0)
    total = host(xp.sum(shares, axis=0))
    cubes = host(xp.sum(xp.where(kept, shares * deviations**3, 0.0), axis=0))
    with np.errstate(all="ignore"):
        return np.where(total > 0, cubes / total, 0.0)


def _on(xp, values, device, dtype):
    return xp.asarray(np.asarray(values).astype(_numpy_dtype(xp, dtype)), device=device)


def _numpy_dtype(xp, dtype):
    return np.float32 if dtype == xp.float32 else np.float64


def _profile(xp, X, raw_stats) -> ColumnProfile:
    """:meth:`ColumnProfile.from_array` on X's device."""
    exponent = magnitude_exponent(raw_stats)
    wide = max_float_dtype(xp, X.device)
    values = _scaled(xp, X, exponent, wide)
    stats = column_stats(xp, values)
    missing = X.shape[0] - stats.count
    deviations = values - _on(xp, stats.mean, X.device, wide)
    cubes = deviations**3
    m3 = host(xp.sum(xp.where(xp.isnan(cubes), 0.0, cubes), axis=0))
    q1, q3 = _xp_stats.percentiles(xp, values, [25.0, 75.0])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        variance = stats.variance(ddof=0)
        skewness = np.where(
            variance > 0, m3 / np.fmax(stats.count, 1) / variance**1.5, 0.0
        )
        skewness = np.where(stats.count > 0, skewness, np.nan)
        spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
        low, high = q1 - spread, q3 + spread
    beyond = (values < _on(xp, low, X.device, wide)) | (
        values > _on(xp, high, X.device, wide)
    )
    beyond_count = host(xp.sum(xp.astype(beyond, wide), axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        outlier_share = np.where(
            stats.count > 0, beyond_count / np.fmax(stats.count, 1), 0.0
        )
    ends = (values == _on(xp, stats.min, X.device, wide)) | (
        values == _on(xp, stats.max, X.device, wide)
    )
    two_valued = host(xp.all(ends | xp.isnan(values), axis=0)) > 0
    with np.errstate(invalid="ignore", over="ignore"):
        std = np.ldexp(np.sqrt(stats.variance(ddof=1)), exponent)
    return ColumnProfile(
        count=stats.count,
        missing=missing,
        min=raw_stats.min,
        max=raw_stats.max,
        mean=raw_stats.mean,
        std=np.where(stats.count > 1, std, np.nan),
        skewness=skewness,
        outlier_share=outlier_share,
        two_valued=two_valued & (stats.count > 0),
    )
