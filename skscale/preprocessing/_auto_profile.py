"""Per-column statistics behind AutoScaler's choices, all columns at once."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from skscale._engine._stats import ColumnStats, column_percentiles, summarize

# Tukey's "far out" fences: quartiles -/+ 3 IQR. Normal data has about
# 2 values in a million beyond them, so a share of 1% means a real tail.
FENCE_IQR_MULTIPLIER = 3.0


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
        raw_stats = ColumnStats.from_array(X)
        # Skewness and the outlier share do not change when a column is scaled
        # by a power of two (exactly, bit for bit), but its third moment
        # overflows near the float limits: compute them on columns scaled so
        # that their largest magnitude is in [0.5, 1).
        exponent = magnitude_exponent(raw_stats)
        values = np.ldexp(X.astype(np.float64), -exponent)
        stats = ColumnStats.from_array(values)
        missing = X.shape[0] - stats.count
        with np.errstate(invalid="ignore", divide="ignore"):
            deviations = values - stats.mean
            m3 = np.nansum(deviations**3, axis=0)
            variance = stats.variance(ddof=0)
            skewness = np.where(
                variance > 0, m3 / np.fmax(stats.count, 1) / variance**1.5, 0.0
            )
            skewness = np.where(stats.count > 0, skewness, np.nan)
            q1, q3 = column_percentiles(values, [25.0, 75.0])
            spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
            beyond = (values < q1 - spread) | (values > q3 + spread)
            outlier_share = np.where(
                stats.count > 0, beyond.sum(axis=0) / np.fmax(stats.count, 1), 0.0
            )
            two_valued = np.all(
                (values == stats.min) | (values == stats.max) | np.isnan(values),
                axis=0,
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            std = np.ldexp(np.sqrt(stats.variance(ddof=1)), exponent)
        std = np.where(stats.count > 1, std, np.nan)
        return cls(
            count=stats.count,
            missing=missing,
            min=raw_stats.min,
            max=raw_stats.max,
            mean=raw_stats.mean,
            std=std,
            skewness=skewness,
            outlier_share=outlier_share,
            two_valued=two_valued & (stats.count > 0),
        )


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
    total weight of the rows. A single unweighted chunk also keeps its exact
    :class:`ColumnProfile`, its exact percentiles and the statistics of its
    columns clipped at them; after a merge those are estimated from the
    merged parts and the sketch.

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
    exact_profile: ColumnProfile | None = None
    exact_clipped: ColumnStats | None = None
    exact_quantiles: np.ndarray | None = None

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
        """The profile the choices read: exact for one chunk, else merged."""
        if self.exact_profile is not None:
            return self.exact_profile
        stats = self.stats
        exponent = magnitude_exponent(stats)
        variance = np.ldexp(stats.variance(ddof=0), -2 * exponent)
        spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            skewness = np.where(variance > 0, self.m3 / variance**1.5, 0.0)
            std = np.where(stats.count > 1, np.sqrt(stats.variance(ddof=1)), np.nan)
        return ColumnProfile(
            count=stats.count,
            missing=self.rows - stats.count,
            min=stats.min,
            max=stats.max,
            mean=stats.mean,
            std=std,
            skewness=np.where(stats.count > 0, skewness, np.nan),
            outlier_share=self.sketch.share_outside(q1 - spread, q3 + spread),
            two_valued=np.isnan(self.inner) & (stats.count > 0),
        )

    def clipped(self, lower: np.ndarray, upper: np.ndarray) -> ColumnStats:
        """Statistics of the columns clipped to ``[lower, upper]``."""
        if self.exact_clipped is not None:
            return self.exact_clipped
        mean, m2 = self.sketch.clipped_moments(lower, upper)
        clip = lambda v: np.minimum(np.maximum(v, lower), upper)  # noqa: E731
        count = self.stats.count
        return ColumnStats(count, clip(self.stats.min), clip(self.stats.max), mean, m2)


def summarize_choices(X, sample_weight=None, *, percents, needs="m2"):
    """A dense chunk's :class:`ChoiceSummary` and its exact ``percents``
    (the quartiles, then the clipping percentiles)."""
    if sparse.issparse(X):
        raise TypeError(
            "AutoScaler does not accept sparse input: its choices read each "
            "column's skewness and outliers, and its log, clip and scaling steps "
            "move zeros; convert X with X.toarray() first."
        )
    summary, exact = summarize(X, sample_weight, percents=percents, needs="m2")
    stats = summary.stats
    weight = np.ones(X.shape[0]) if sample_weight is None else sample_weight
    m3 = scaled_third_moment(X, weight, stats)
    with np.errstate(all="ignore"):
        logged = np.log1p(np.where(X >= 0, X, np.nan))
        between = (stats.min < X) & (stats.max > X) & (weight[:, None] > 0)
    # NaN is fmin's identity: an empty chunk (a filtered Dask partition) has none.
    inner = np.fmin.reduce(np.where(between, X, np.nan), axis=0, initial=np.nan)
    inner = inner.astype(np.float64)
    log_stats = ColumnStats.from_array(logged, sample_weight=sample_weight)
    result = ChoiceSummary(
        stats, summary.sketch, m3, log_stats, inner, float(weight.sum())
    )
    if sample_weight is None and X.shape[0]:
        result.exact_profile = ColumnProfile.from_array(X)
        low, high = (
            np.where(np.isnan(q), b, q)
            for q, b in [(exact[2], -np.inf), (exact[3], np.inf)]
        )
        result.exact_clipped = ColumnStats.from_array(
            np.minimum(np.maximum(X, low.astype(X.dtype)), high.astype(X.dtype))
        )
        result.exact_quantiles = exact
    return result, exact


def magnitude_exponent(stats: ColumnStats) -> np.ndarray:
    """Per column, the ``e`` that puts the largest magnitude in ``[2**(e-1),
    2**e)`` (0 for an empty column): the column times ``2**-e`` is at most 1
    in magnitude, and its moments cannot overflow."""
    magnitude = np.fmax(np.abs(stats.min), np.abs(stats.max))
    return np.frexp(np.nan_to_num(magnitude))[1]


def scaled_third_moment(X, weight, stats: ColumnStats) -> np.ndarray:
    """:class:`ChoiceSummary`'s ``m3`` of a dense chunk: the weighted mean of
    the cubed deviations of ``X * 2**-e``, with the weights divided by their
    maximum (equal weights of any size are then all 1)."""
    exponent = magnitude_exponent(stats)
    with np.errstate(all="ignore"):
        deviations = np.ldexp(X.astype(np.float64), -exponent) - np.ldexp(
            stats.mean, -exponent
        )
        relative = weight / np.max(weight, initial=0.0)
        kept = ~np.isnan(deviations) & (weight > 0)[:, None]
        w = np.where(kept, relative[:, None], 0.0)
        total = w.sum(axis=0)
        cubes = np.where(kept, w * deviations**3, 0.0).sum(axis=0)
        return np.where(total > 0, cubes / total, 0.0)
