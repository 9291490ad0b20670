"""Per-column statistics behind AutoScaler's choices, all columns at once.

The chunk summary (:func:`summarize_choices`) is written once, over ``xp``:
AutoScaler's ``fit``, ``partial_fit``, its Dask blocks and its Array API
path all run it, as does ``skscale profile --chunksize`` through
``AutoScaler.partial_fit``. Every statistic beyond the column moments is
read off each column while the engine holds it sorted for its exact
percentiles (the ``per_column`` hook of
:func:`skscale._engine._xp_stats.summarize`): no further pass over X. The
skewness and the fences are computed in one place,
:meth:`ChoiceSummary.profile`, from exact one-chunk inputs or merged ones.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from skscale._compat import max_float_dtype
from skscale._engine._map import into
from skscale._engine._stats import ColumnStats
from skscale._engine._xp_stats import host, summarize

# Tukey's "far out" fences: quartiles -/+ 3 IQR. Normal data has about
# 2 values in a million beyond them, so a share of 1% means a real tail.
FENCE_IQR_MULTIPLIER = 3.0


def fences(q1, q3):
    """Tukey's far-out fences, ``(q1 - 3 IQR, q3 + 3 IQR)``."""
    spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
    return q1 - spread, q3 + spread


@dataclass
class ColumnProfile:
    """Vectorized per-column summary: every field has shape ``(n_features,)``.

    ``skewness`` is the biased sample skewness ``m3 / m2**1.5`` (scipy's
    ``skew`` default), 0 for a constant column and NaN for an empty one.
    ``outlier_share`` is the share of non-NaN values beyond the quartiles
    -/+ 3 IQR. ``two_valued`` is True where a column holds at most two
    distinct non-NaN values.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [0.0, 2.0], [1.0, 3.0], [0.0, 100.0]])
    >>> profile = ColumnProfile.from_array(X)
    >>> profile.two_valued.tolist(), profile.skewness.round(2).tolist()
    ([True, False], [1.15, 1.15])
    """

    count: np.ndarray
    missing: np.ndarray
    min: np.ndarray
    max: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    skewness: np.ndarray
    outlier_share: np.ndarray
    two_valued: np.ndarray

    @classmethod
    def from_array(cls, X: np.ndarray) -> ColumnProfile:
        """Summarize a validated 2-D float array, ignoring NaN."""
        summary, exact = summarize_choices(np, X, percents=(25.0, 75.0, 0.0, 100.0))
        return summary.profile(exact[0], exact[1])


@dataclass
class ExactChunk:
    """What one unweighted chunk adds for exact choices: ``m2`` of each
    column scaled by ``2**-e`` (``e`` from :func:`magnitude_exponent`: it
    cannot overflow), the count of values beyond the fences of the exact
    quartiles, the exact percentiles and the statistics of the columns
    clipped at them."""

    m2: np.ndarray
    beyond: np.ndarray
    quantiles: np.ndarray
    clipped: ColumnStats


@dataclass
class ChoiceSummary:
    """What AutoScaler reads from a chunk of rows; chunks merge.

    Besides the column statistics and quantile sketch of every transformer:
    the third central moment ``m3`` (merged with Pébay's update), scale-free:
    the weighted mean of ``(x - mean)**3`` over the column scaled by
    ``2**-e`` (``e`` from :func:`magnitude_exponent` of ``stats``), so that
    neither the weights' size nor values near the float limits overflow it;
    the
    statistics of ``log(x + 1)`` over non-negative values (a log column's
    scaler learns from them), one value strictly between each column's
    minimum and maximum (NaN if none: the column is two-valued), and the
    total weight of the rows. A single unweighted chunk also keeps its
    :class:`ExactChunk`; after a merge, the outlier share, the percentiles
    and the clipped statistics are estimated from the sketch.

    References
    ----------
    P. Pébay, "Formulas for robust, one-pass parallel computation of
    covariances and arbitrary-order statistical moments", Sandia report
    SAND2008-6212, 2008.
    """

    stats: ColumnStats
    sketch: object
    m3: np.ndarray
    log_stats: ColumnStats
    inner: np.ndarray
    rows: float
    exact: ExactChunk | None = None

    @property
    def exact_quantiles(self) -> np.ndarray | None:
        """The exact percentiles of a single unweighted chunk, else None."""
        return None if self.exact is None else self.exact.quantiles

    def merge(self, other: ChoiceSummary) -> ChoiceSummary:
        a, b = self.stats, other.stats
        stats = a.merge(b)
        # Pébay's update divided by the total weight: only the shares of the
        # two parts enter, and every moment is on the merged column's scale.
        exponent = magnitude_exponent(stats)
        with np.errstate(all="ignore"):
            total = a.count + b.count
            share_a = np.where(total > 0, a.count / total, 0.0)
            share_b = np.where(total > 0, b.count / total, 0.0)
            delta = np.ldexp(np.nan_to_num(b.mean), -exponent) - np.ldexp(
                np.nan_to_num(a.mean), -exponent
            )
            var_a = np.ldexp(a.variance(ddof=0), -2 * exponent)
            var_b = np.ldexp(b.variance(ddof=0), -2 * exponent)
            cross = (
                share_a
                * share_b
                * (delta**3 * (share_a - share_b) + 3 * delta * (var_b - var_a))
            )
            m3_a = np.ldexp(self.m3, 3 * (magnitude_exponent(a) - exponent))
            m3_b = np.ldexp(other.m3, 3 * (magnitude_exponent(b) - exponent))
            both = (a.count > 0) & (b.count > 0)
            m3 = share_a * m3_a + share_b * m3_b + np.where(both, cross, 0.0)
        candidates = [self.inner, other.inner, a.min, a.max, b.min, b.max]
        inner = np.fmin.reduce(
            [np.where((c > stats.min) & (c < stats.max), c, np.nan) for c in candidates]
        )
        return ChoiceSummary(
            stats,
            self.sketch.merge(other.sketch),
            m3,
            self.log_stats.merge(other.log_stats),
            inner,
            self.rows + other.rows,
        )

    def profile(self, q1: np.ndarray, q3: np.ndarray) -> ColumnProfile:
        """The profile the choices read: exact for one chunk, else merged
        (``q1`` and ``q3`` then place the fences in the sketch)."""
        stats = self.stats
        count, counted = stats.count, np.fmax(stats.count, 1)
        # Moments of the columns scaled by 2**-e, as m3 is: none overflows.
        exponent = magnitude_exponent(stats)
        if self.exact is not None:
            m2 = self.exact.m2
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(count > 0, self.exact.beyond / counted, 0.0)
        else:
            m2 = np.ldexp(stats.m2, -2 * exponent)
            share = self.sketch.share_outside(*fences(q1, q3))
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            # A count may be a total weight below 1: divided as it is.
            variance = np.maximum(np.where(count > 0, m2 / count, 0.0), 0.0)
            skewness = np.where(variance > 0, self.m3 / variance**1.5, 0.0)
            copies = count - stats.unit  # ddof=1, in copies of the unit weight
            sample = np.maximum(np.where(copies > 0, m2 / copies, 0.0), 0.0)
            std = np.where(count > 1, np.ldexp(np.sqrt(sample), exponent), np.nan)
        return ColumnProfile(
            count=count,
            missing=self.rows - count,
            min=stats.min,
            max=stats.max,
            mean=stats.mean,
            std=std,
            skewness=np.where(count > 0, skewness, np.nan),
            outlier_share=share,
            two_valued=np.isnan(self.inner) & (count > 0),
        )

    def clipped(self, lower: np.ndarray, upper: np.ndarray) -> ColumnStats:
        """Statistics of the columns clipped to ``[lower, upper]``."""
        if self.exact is not None:
            return self.exact.clipped
        mean, m2 = self.sketch.clipped_moments(lower, upper)
        clip = lambda v: np.minimum(np.maximum(v, lower), upper)  # noqa: E731
        count = self.stats.count
        return ColumnStats(count, clip(self.stats.min), clip(self.stats.max), mean, m2)


# The per-column results of _sorted_column_choices, in this order.
_FIELDS = (
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


def _total(xp, values, weights=None):
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


def _sorted_column_choices(
    xp, values, weights, quantiles, stats, j, *, outlier_threshold=0.0, buffers
):
    """AutoScaler's statistics of one column, from its sorted non-NaN values
    of positive weight (``weights`` None: unweighted) and its exact
    quantiles (the quartiles, then the clipping percentiles); see
    :data:`_FIELDS`. Every value is read on the column's namespace, in a few
    passes over the column (dot products on NumPy). What cannot serve a
    choice is skipped: the log's statistics of a column with a negative
    value (it is never logged, and merged chunks keep its minimum), and the
    clipped statistics of a column whose exact outlier share does not exceed
    ``outlier_threshold`` (it is not clipped by this fit; merged chunks
    estimate them from the sketch)."""
    n = values.shape[0]
    result = dict.fromkeys(_FIELDS, np.nan)
    result.update(m3=0.0, m2_scaled=0.0, beyond=0.0)
    result.update(log_count=0.0, log_m2=0.0, log_rows=0.0, clip_m2=0.0)
    if n == 0:
        return [result[name] for name in _FIELDS]
    exponent = int(magnitude_exponent(stats)[j])
    # Deviations from the mean, in float64, scaled by 2**-shift: by the
    # column's power of two only where cubes could overflow (or underflow);
    # a power-of-two scaling changes no bit of the results, only the range.
    shift = 0 if abs(exponent) < 300 else exponent
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
        if not np.isfinite(m2):  # it overflowed unscaled
            m2 = _total(xp, squares, weights)
        # m3 as ChoiceSummary keeps it: the weighted mean of the cubes of
        # the column scaled by 2**-exponent, the weights relative to their
        # largest (no size of weights overflows the sum).
        if weights is None:
            m3 = _dot(xp, squares, deviations) / n
        else:
            relative = weights / _largest(xp, weights)
            m3 = _dot(xp, squares, deviations, relative) / _total(xp, relative)
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
            count = logged.shape[0] if kept is None else _total(xp, kept)
            low, high = float(logged[0]), float(logged[-1])
            mean = min(max(_total(xp, logged, kept) / count, low), high)
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
    return [result[name] for name in _FIELDS]


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
    mean = (_total(xp, middle) + low * below + high * above) / n
    mean = min(max(mean, low), high)
    middle = into(xp, middle, xp.subtract, middle, mean)  # deviations are spent
    m2 = _dot(xp, middle, middle) + below * (low - mean) ** 2
    result.update(clip_mean=mean, clip_m2=m2 + above * (high - mean) ** 2)


def summarize_choices(
    xp, X, sample_weight=None, *, percents, needs="m2", outlier_threshold=0.0
):
    """A chunk's :class:`ChoiceSummary` and its exact ``percents`` (the
    quartiles, then the clipping percentiles), for X of namespace ``xp``.
    Exact clipped statistics are kept for the columns whose outlier share
    exceeds ``outlier_threshold`` (those the fit may clip)."""
    if sparse.issparse(X):
        raise TypeError(
            "AutoScaler does not accept sparse input: its choices read each "
            "column's skewness and outliers, and its log, clip and scaling steps "
            "move zeros; convert X with X.toarray() first."
        )
    # The engine's threads each take some columns: BLAS's own threads
    # (the dot products) would only compete with them.
    with threadpool_limits(limits=1, user_api="blas") if xp is np else nullcontext():
        summary, exact = summarize(
            xp,
            X,
            sample_weight,
            percents=percents,
            needs="m2",
            per_column=partial(
                _sorted_column_choices,
                outlier_threshold=outlier_threshold,
                buffers={},  # this summary's scratch columns, per thread
            ),
        )
    stats = summary.stats
    n_features = X.shape[1]
    columns = summary.per_column or []
    parts = dict(
        zip(_FIELDS, np.array(columns, dtype=np.float64).reshape(-1, len(_FIELDS)).T)
    )
    if not columns:
        parts = {name: np.zeros(n_features) for name in _FIELDS}
        parts.update(inner=np.full(n_features, np.nan))
    weighted = sample_weight is not None
    log_stats = ColumnStats(
        parts["log_count"],
        parts["log_min"],
        parts["log_max"],
        parts["log_mean"],
        parts["log_m2"],
        unit=stats.unit,
        rows=parts["log_rows"] if weighted else None,
    )
    rows = _total(xp, sample_weight, None) if weighted else float(X.shape[0])
    result = ChoiceSummary(
        stats, summary.sketch, parts["m3"], log_stats, parts["inner"], rows
    )
    if not weighted and X.shape[0]:
        dtype = np.float32 if X.dtype == xp.float32 else np.float64
        low, high = (
            np.where(np.isnan(q), b, q).astype(dtype).astype(np.float64)
            for q, b in [(exact[2], -np.inf), (exact[3], np.inf)]
        )
        clip = lambda v: np.minimum(np.maximum(v, low), high)  # noqa: E731
        clipped = ColumnStats(
            stats.count,
            clip(stats.min),
            clip(stats.max),
            parts["clip_mean"],
            parts["clip_m2"],
        )
        result.exact = ExactChunk(parts["m2_scaled"], parts["beyond"], exact, clipped)
    return result, exact


def magnitude_exponent(stats: ColumnStats) -> np.ndarray:
    """Per column, the ``e`` that puts the largest magnitude in ``[2**(e-1),
    2**e)`` (0 for an empty column): the column times ``2**-e`` is at most 1
    in magnitude, and its moments cannot overflow."""
    magnitude = np.fmax(np.abs(stats.min), np.abs(stats.max))
    return np.frexp(np.nan_to_num(magnitude))[1]
