"""Column statistics of an Array API array, on its own namespace and device.

The Array API path of :mod:`skscale._engine._xp_engine` reads every value of X here,
on X's device (a CUDA tensor stays on the GPU). What comes back to the host
is a chunk's per-column summary only, never the data:

- :class:`skscale._engine._stats.ColumnStats` (count, NaN-ignoring min and max, mean,
  M2, the weights' unit and row counts: a few vectors of ``n_features``);
- exact percentiles, ``np.percentile``'s default linear interpolation (with
  weights: :func:`skscale._engine._sketch.points_quantiles`'s definition), shape
  ``(len(percents), n_features)``;
- the chunk's quantile sketch: at most ``k`` (value, weight) points per
  column, compressed on the device as :func:`skscale._engine._sketch._compress` does,
  so that ``partial_fit`` merges chunks in the host's
  :class:`skscale._engine._sketch.QuantileSketch`.

The formulas are those of :mod:`skscale._engine._stats` (accumulated in float64, or
in the device's widest float where it has no float64), so a fit on any
namespace equals NumPy's to rounding. Percentiles sort each column with
``xp.sort``: on a CPU this is as fast as a selection; a GPU would gain from
a selection kernel (``torch.kthvalue``), left for a session with a GPU.
"""

from __future__ import annotations

import numpy as np

from skscale._compat import max_float_dtype, to_numpy
from skscale._engine import _stats
from skscale._engine._sketch import DEFAULT_K, QuantileSketch
from skscale._engine._stats import ColumnStats, Summary, _check_total_weight


def host(array) -> np.ndarray:
    """A small array (a per-column summary) as a NumPy array on the host."""
    return np.asarray(to_numpy(array), dtype=np.float64)


def _lerp(xp, low, high, t):
    """:func:`skscale._engine._sketch._lerp` (``np.percentile``'s formula) on ``xp``."""
    diff = high - low
    result = xp.where(t >= 0.5, high - diff * (1 - t), low + diff * t)
    # Near the float limits high - low overflows: halves cannot.
    overflowed = xp.isinf(diff) & xp.isfinite(low) & xp.isfinite(high)
    if bool(xp.any(overflowed)):
        halves = _lerp(xp, low / 2, high / 2, t) * 2
        result = xp.where(overflowed, halves, result)
    return result


def column_extremes(xp, X):
    """NaN-ignoring per-column minimum and maximum, on the host (float64)."""
    observed = ~xp.isnan(X)
    if X.shape[0] == 0:
        nan = np.full(X.shape[1], np.nan)
        return nan, nan.copy()
    inf = xp.asarray(xp.inf, dtype=X.dtype, device=X.device)
    low = xp.min(xp.where(observed, X, inf), axis=0)
    high = xp.max(xp.where(observed, X, -inf), axis=0)
    seen = xp.astype(xp.any(observed, axis=0), X.dtype)
    seen, low, high = host(xp.stack([seen, low, high]))
    return np.where(seen > 0, low, np.nan), np.where(seen > 0, high, np.nan)


def column_stats(xp, X, weight=None, needs: str = "m2") -> ColumnStats:
    """:class:`ColumnStats` of X (NaN ignored), computed on X's device.

    ``weight`` is None or a non-negative float vector on X's device; rows of
    zero weight do not count towards min and max. ``needs`` as in
    :meth:`ColumnStats.from_array`: statistics not needed are left NaN.
    """
    n_features = X.shape[1]
    if X.shape[0] == 0:
        return ColumnStats.empty(n_features)
    wide = max_float_dtype(xp, X.device)
    observed = ~xp.isnan(X)
    unit, scale = 1.0, 1.0
    kept = observed
    if weight is not None:
        # As _stats._weighted_stats: weights scaled by an exact power of two
        # to at most 1, so that w * x cannot overflow.
        positive = weight > 0
        unit, top = host(
            xp.stack([xp.min(xp.where(positive, weight, xp.inf)), xp.max(weight)])
        )
        unit = float(unit)
        scale = float(np.ldexp(1.0, -int(np.frexp(top)[1])))
        kept = observed & positive[:, None]
        w = xp.where(observed, xp.astype(weight * scale, wide)[:, None], 0.0)
    inf = xp.asarray(xp.inf, dtype=X.dtype, device=X.device)
    # One transfer for the first pass's vectors (each is a sync on a GPU).
    parts = [
        xp.sum(xp.astype(kept, wide), axis=0),
        xp.astype(xp.min(xp.where(kept, X, inf), axis=0), wide),
        xp.astype(xp.max(xp.where(kept, X, -inf), axis=0), wide),
    ]
    if weight is not None:
        parts.append(xp.sum(w, axis=0))
    if needs != "extremes":
        values = xp.where(observed, xp.astype(X, wide), 0.0)
        parts.append(xp.sum(values if weight is None else w * values, axis=0))
    first = host(xp.stack(parts))
    rows, col_min, col_max = first[0], first[1], first[2]
    count = rows if weight is None else first[3] / scale
    _check_total_weight(count)
    col_min[rows == 0] = np.nan
    col_max[rows == 0] = np.nan
    mean = m2 = np.full(n_features, np.nan)
    if needs != "extremes":
        total = count * scale
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            mean = np.where(total > 0, first[-1] / total, np.nan)
        redo = ~np.isfinite(mean) & np.isfinite(col_min) & np.isfinite(col_max)
        if redo.any() and weight is None:
            # The column sum overflowed: sum x / n instead (as _stats does).
            divisor = xp.asarray(np.fmax(count, 1.0), dtype=wide, device=X.device)
            mean = np.where(redo, host(xp.sum(values / divisor, axis=0)), mean)
        mean = np.fmin(np.fmax(mean, col_min), col_max)
    if needs == "m2":
        centre = xp.asarray(np.nan_to_num(mean), dtype=wide, device=X.device)
        deviations = xp.where(observed, values - centre, 0.0)
        squares = deviations * deviations if weight is None else w * deviations**2
        with np.errstate(over="ignore"):
            m2 = host(xp.sum(squares, axis=0)) / scale
    if weight is None:
        rows = None
    return ColumnStats(
        count=count, min=col_min, max=col_max, mean=mean, m2=m2, unit=unit, rows=rows
    )


def _sorted_columns(xp, X, weight):
    """Each column sorted with its kept values (non-NaN, positive weight)
    first, as float64 on the device, their weights, and per-column counts."""
    wide = max_float_dtype(xp, X.device)
    kept = ~xp.isnan(X)
    if weight is not None:
        kept = kept & (weight > 0)[:, None]
    key = xp.where(kept, xp.astype(X, wide), xp.inf)
    counts = host(xp.sum(xp.astype(kept, wide), axis=0)).astype(np.intp)
    if weight is None:
        return xp.sort(key, axis=0), None, counts
    order = xp.argsort(key, axis=0, stable=True)
    weights = xp.where(kept, xp.astype(weight, wide)[:, None], 0.0)
    return (
        xp.take_along_axis(key, order, axis=0),
        xp.take_along_axis(weights, order, axis=0),
        counts,
    )


def _column_quantiles(xp, values, ends, quantiles, n):
    """:func:`skscale._engine._sketch.points_quantiles` of one sorted column (on the
    device), given its cumulative weights in units."""
    position = np.maximum(quantiles * (float(host(ends[-1])) - 1), 0.0)
    position = xp.asarray(position, dtype=ends.dtype, device=values.device)
    index = xp.searchsorted(ends, position, side="right")
    index = xp.clip(index, max=n - 1)
    gamma = xp.clip(position - (xp.take(ends, index) - 1), min=0.0, max=1.0)
    low = xp.take(values, index)
    following = xp.take(values, xp.clip(index + 1, max=n - 1))
    return host(xp.where(gamma > 0, _lerp(xp, low, following, gamma), low))


def _compress(xp, values, weights, ends, k):
    """:func:`skscale._engine._sketch._compress` on the device: the weighted
    middle value of each group of ``ceil(cumulative weight * k / W)`` (lower
    and upper middle in turn) and the group's weight (``ends`` are the
    cumulative raw weights)."""
    n = values.shape[0]
    if n <= k:
        return host(values), host(weights), 0.0
    bucket = xp.ceil(ends * (k / float(host(ends[-1]))))
    starts = xp.concat(
        [xp.ones(1, dtype=xp.bool, device=values.device), bucket[1:] != bucket[:-1]]
    )
    first = xp.nonzero(starts)[0]
    last = xp.concat([first[1:] - 1, xp.asarray([n - 1], device=values.device)])
    before_group = xp.take(ends, first) - xp.take(weights, first)
    group_weight = xp.take(ends, last) - before_group
    half = before_group + group_weight / 2
    upper = xp.arange(first.shape[0], device=values.device) % 2 == 1
    middle = xp.where(
        upper,
        xp.searchsorted(ends, half, side="right"),
        xp.searchsorted(ends, half, side="left"),
    )
    middle = xp.minimum(xp.maximum(middle, first), last)
    before = xp.take(ends, middle) - xp.take(weights, middle) - before_group
    after = xp.take(ends, last) - xp.take(ends, middle)
    error = float(host(xp.max(xp.maximum(before, after))))
    return host(xp.take(values, middle)), host(group_weight), error


def summarize(
    xp, X, weight=None, *, percents=None, needs="m2", per_column=None, k=DEFAULT_K
):
    """A chunk's :class:`skscale._engine._stats.Summary` and exact percentiles
    (on the host), for X of any namespace: the default fit plan's summary.

    NumPy arrays (dense or sparse) take :func:`skscale._engine._stats.summarize`,
    the blocked kernels; on another namespace every value is read on X's
    device and the summary comes back (see the module).
    """
    if xp is np:
        return _stats.summarize(
            X, weight, percents=percents, needs=needs, per_column=per_column
        )
    stats = column_stats(xp, X, weight, needs)
    if percents is None:
        return Summary(stats), None
    quantiles = np.asarray(percents, dtype=np.float64) / 100
    values, weights, counts = _sorted_columns(xp, X, weight)
    unit = stats.unit
    n_features = X.shape[1]
    exact = np.full((quantiles.size, n_features), np.nan)
    sketch = QuantileSketch(n_features, k)
    compressed, extras = [], []
    wide = values.dtype
    for j in range(n_features):
        n = int(counts[j])
        column = values[:n, j]
        if weights is None:
            w = xp.ones(n, dtype=wide, device=X.device)
        else:
            w = weights[:n, j]
        raw_ends = xp.cumulative_sum(w)
        ends = raw_ends if unit == 1 else xp.cumulative_sum(w / unit)
        if n:
            exact[:, j] = _column_quantiles(xp, column, ends, quantiles, n)
            points, point_weights, error = _compress(xp, column, w, raw_ends, k)
        else:
            points, point_weights, error = np.empty(0), np.empty(0), 0.0
        compressed.append((points, point_weights))
        sketch.rank_error_[j] += error
        if n:
            sketch.min_[j], sketch.max_[j] = host(column[0]), host(column[n - 1])
        if per_column is not None:
            weights_j = None if weights is None else w
            # In X's dtype, as on NumPy (exact: the values came from it).
            own = xp.astype(column, X.dtype)
            extras.append(per_column(xp, own, weights_j, exact[:, j], stats, j))
    # A one-level sketch, as _sketch.exact_quantiles_and_sketch builds one.
    sketch.levels = [compressed]
    sketch.unit_ = float(unit)
    return Summary(stats, sketch, extras if per_column is not None else None), exact


def percentiles(xp, X, percents) -> np.ndarray:
    """Exact NaN-ignoring per-column percentiles of X (on its device), as
    :func:`skscale._engine._stats.column_percentiles`; shape ``(len(percents),
    n_features)`` on the host."""
    quantiles = np.asarray(percents, dtype=np.float64) / 100
    values, _, counts = _sorted_columns(xp, X, None)
    result = np.full((quantiles.size, X.shape[1]), np.nan)
    for j in range(X.shape[1]):
        n = int(counts[j])
        if n:
            ends = xp.cumulative_sum(xp.ones(n, dtype=values.dtype, device=X.device))
            result[:, j] = _column_quantiles(xp, values[:n, j], ends, quantiles, n)
    return result
