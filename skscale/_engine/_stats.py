"""Column statistics that merge exactly: count, min, max, mean and M2.

Every transformer learns its statistics through :class:`ColumnStats`, so the
streaming (``partial_fit``), Dask and performance work change this module, not
five classes. Statistics are accumulated in float64 whatever the input dtype.
Weights are supported throughout: ``count`` is then a sum of weights, the mean
and M2 are weighted (as scikit-learn's ``StandardScaler(sample_weight=...)``),
and rows of zero weight do not count towards ``min`` and ``max``.

What a weight means (one definition for every statistic of the package): a
row of weight ``w`` counts as ``w / u`` copies of itself, where ``u`` is the
smallest positive weight of the fit (``unit``; 1 without weights). Results
then depend only on the weights' proportions: equal weights of any size give
the unweighted results, and integer weights whose smallest positive value is
1 give exactly the results of the rows repeated. ``ddof`` and the quantiles'
interpolation are counted in copies (see :meth:`ColumnStats.variance` and
:func:`skscale._engine._sketch.points_quantiles`). Weights whose sum overflows
float64 are refused with a ``ValueError`` (divide them by their maximum).

NaN is ignored: a column's ``count`` is its number (or total weight) of
non-NaN values, and a column with none has ``mean`` and ``min``/``max`` NaN.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from skscale._engine._kernels import blockable, blocked_moments
from skscale._engine._sketch import (
    QuantileSketch,
    exact_quantiles_and_sketch,
    sorted_columns,
    stack_quantiles,
)
from skscale._engine._sparse import sparse_moments, sparse_sorted_columns


@dataclass
class ColumnStats:
    """Per-column count, min, max, mean and sum of squared deviations (M2).

    The first five fields are float64 arrays of shape ``(n_features,)``.
    ``count`` is the sum of the weights of non-NaN values (the number of them
    when unweighted). ``unit`` is the smallest positive row weight behind the
    statistics (1 unweighted, inf for no rows): a weight ``w`` counts as
    ``w / unit`` copies. ``rows`` is the number of non-NaN values of positive
    weight per column (``count`` when unweighted), the number of terms whose
    rounding the constant-column tests allow for.

    Two summaries merge exactly with Chan et al.'s pairwise update, so that
    statistics computed chunk by chunk equal those of the whole.

    References
    ----------
    T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a pairwise
    algorithm for computing sample variances", COMPSTAT 1982.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, np.nan], [5.0, 6.0]])
    >>> whole = ColumnStats.from_array(X)
    >>> merged = ColumnStats.from_array(X[:1]).merge(ColumnStats.from_array(X[1:]))
    >>> bool(np.allclose(whole.m2, merged.m2))
    True
    >>> whole.mean.tolist(), whole.count.tolist()
    ([3.0, 4.0], [3.0, 2.0])
    """

    count: np.ndarray
    min: np.ndarray
    max: np.ndarray
    mean: np.ndarray
    m2: np.ndarray
    unit: float = 1.0
    rows: np.ndarray | None = None

    def __post_init__(self):
        if self.rows is None:
            self.rows = self.count

    @classmethod
    def empty(cls, n_features: int) -> ColumnStats:
        """Statistics of no rows: the identity of :meth:`merge`."""
        return cls(
            count=np.zeros(n_features),
            min=np.full(n_features, np.nan),
            max=np.full(n_features, np.nan),
            mean=np.full(n_features, np.nan),
            m2=np.zeros(n_features),
            unit=np.inf,
        )

    @classmethod
    def from_array(
        cls,
        X: np.ndarray,
        *,
        sample_weight: np.ndarray | None = None,
        needs: str = "m2",
    ) -> ColumnStats:
        """Compute the statistics of a 2-D float array, ignoring NaN.

        ``needs`` names the last statistic the caller uses: ``"extremes"``
        (count, min and max), ``"mean"`` or ``"m2"`` (all). Statistics not
        needed may be left NaN on the fast path. A C-ordered array takes the
        blocked, threaded pass of :mod:`skscale._engine._kernels`; other layouts and
        weighted data take plain reductions. Rows of zero weight do not count
        towards ``min`` and ``max``.
        """
        n_features = X.shape[1]
        if X.shape[0] == 0:
            return cls.empty(n_features)
        if sample_weight is not None:
            return _weighted_stats(X, np.asarray(sample_weight, dtype=np.float64))
        if blockable(X):
            moments = blocked_moments(X, needs)
            if moments is not None:
                return cls(*moments)
        return cls._simple(X)

    @classmethod
    def _simple(cls, X: np.ndarray) -> ColumnStats:
        """Every statistic by whole-array reductions (any layout)."""
        n_features = X.shape[1]
        col_min = X.min(axis=0).astype(np.float64)
        col_max = X.max(axis=0).astype(np.float64)
        nan_cols = np.flatnonzero(np.isnan(col_min))
        count = np.full(n_features, float(X.shape[0]))
        with np.errstate(over="ignore"):  # recomputed below if it overflowed
            mean = X.sum(axis=0, dtype=np.float64) / X.shape[0]
        if nan_cols.size:
            sub = X[:, nan_cols]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                col_min[nan_cols] = np.nanmin(sub, axis=0)
                col_max[nan_cols] = np.nanmax(sub, axis=0)
                count[nan_cols] = np.sum(~np.isnan(sub), axis=0)
                mean[nan_cols] = (
                    np.nansum(sub, axis=0, dtype=np.float64) / count[nan_cols]
                )
        mean = _mean_without_overflow(X, mean, count, col_min, col_max)
        mean = _within(mean, col_min, col_max)
        m2 = _sum_squared_deviations(X, mean, nan_cols, count)
        return cls(count=count, min=col_min, max=col_max, mean=mean, m2=m2)

    def merge(self, other: ColumnStats) -> ColumnStats:
        """Statistics of the union of the rows behind ``self`` and ``other``."""
        with np.errstate(over="ignore"):
            count = self.count + other.count
        _check_total_weight(count)
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = other.mean - self.mean
            share = np.where(count > 0, other.count / count, np.nan)
            mean = np.where(
                self.count == 0,
                other.mean,
                np.where(other.count == 0, self.mean, self.mean + delta * share),
            )
            correction = np.where(
                (self.count > 0) & (other.count > 0),
                delta * delta * self.count * share,
                0.0,
            )
        col_min = np.fmin(self.min, other.min)
        col_max = np.fmax(self.max, other.max)
        return ColumnStats(
            count=count,
            min=col_min,
            max=col_max,
            mean=_within(mean, col_min, col_max),
            m2=self.m2 + other.m2 + correction,
            unit=min(self.unit, other.unit),
            rows=self.rows + other.rows,
        )

    def variance(self, ddof: int = 0) -> np.ndarray:
        """Variance ``M2 / (count - ddof * unit)``; 0 when that is <= 0.

        ``ddof`` is counted in copies of the smallest positive weight, as the
        weights are: without weights (or with integer weights whose smallest
        is 1) this is the usual ``count - ddof``; with equal weights of any
        size (weights summing to 1 included) it is the unweighted variance,
        instead of a division by ``1 - ddof``.
        """
        denominator = self.count
        if ddof:
            denominator = self.count - ddof * self.unit
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.where(denominator > 0, self.m2 / denominator, 0.0)
        return np.maximum(var, 0.0)


def _mean_without_overflow(X, mean, count, col_min, col_max) -> np.ndarray:
    """Recompute the means whose sum overflowed although every value is finite.

    Near the float limits the column sum overflows; summing ``x / n`` instead
    cannot. Only those (rare) columns pay for the extra pass.
    """
    overflowed = np.flatnonzero(
        ~np.isfinite(mean) & np.isfinite(col_min) & np.isfinite(col_max)
    )
    if overflowed.size:
        mean = mean.copy()
        sub = X[:, overflowed].astype(np.float64) / count[overflowed]
        mean[overflowed] = np.nansum(sub, axis=0)
    return mean


def _sum_squared_deviations(
    X: np.ndarray, mean: np.ndarray, nan_cols: np.ndarray, count: np.ndarray
) -> np.ndarray:
    """M2 per column, by a second pass over the data (accurate, unlike E[x²]-E[x]²)."""
    # Deviations are taken in X's dtype (no float64 copy of a float32 X) from
    # the mean rounded to that dtype; M2 about that centre exceeds M2 about
    # the float64 mean by exactly n (mean - centre)², removed below, so the
    # float32 variance equals the float64 accumulation's.
    centre = mean.astype(X.dtype)
    # ±inf gives inf - inf = NaN here; the caller rejects it from min/max.
    with np.errstate(invalid="ignore", over="ignore"):
        deviations = X - centre
        m2 = np.einsum("ij,ij->j", deviations, deviations, dtype=np.float64)
    if nan_cols.size:
        sub = deviations[:, nan_cols]
        m2[nan_cols] = np.nansum(sub * sub, axis=0, dtype=np.float64)
    if X.dtype != np.float64:
        with np.errstate(invalid="ignore", over="ignore"):
            bias = count * (mean - centre.astype(np.float64)) ** 2
            m2 = np.where(np.isfinite(bias), np.maximum(m2 - bias, 0.0), m2)
    return m2


def smallest_weight(sample_weight) -> float:
    """The unit of the weights: the smallest positive one (1 without weights,
    inf when none is positive)."""
    if sample_weight is None:
        return 1.0
    positive = sample_weight[sample_weight > 0]
    return float(positive.min()) if positive.size else np.inf


def _check_total_weight(total) -> None:
    """Refuse weights whose sum overflows float64 (they would give NaN)."""
    if np.any(np.isposinf(total)):
        raise ValueError(
            "sample_weight sums to more than float64 can hold; the fitted "
            "statistics depend only on the weights' proportions, so divide "
            "sample_weight by its maximum."
        )


def _weighted_stats(X: np.ndarray, weight: np.ndarray) -> ColumnStats:
    """Weighted statistics: ``count`` sums weights, zero-weight rows skip min/max."""
    observed = ~np.isnan(X)
    kept = observed & (weight[:, None] > 0)
    # Weights scaled by a power of two (exact) to at most 1: w * x cannot
    # overflow for weights near the float limit; count and M2 are scaled back.
    unit = smallest_weight(weight)
    scale = np.ldexp(1.0, -int(np.frexp(weight.max())[1])) if weight.size else 1.0
    weight = weight * scale
    w = np.where(observed, weight[:, None], 0.0)
    with np.errstate(over="ignore"):
        count = w.sum(axis=0) / scale
    _check_total_weight(count)
    values = np.where(observed, X, 0.0).astype(np.float64)
    col_min = np.where(kept, X, np.inf).min(axis=0).astype(np.float64)
    col_max = np.where(kept, X, -np.inf).max(axis=0).astype(np.float64)
    none_kept = ~kept.any(axis=0)
    col_min[none_kept] = np.nan
    col_max[none_kept] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        total = w.sum(axis=0)
        mean = np.where(total > 0, (w * values).sum(axis=0) / total, np.nan)
    mean = _within(mean, col_min, col_max)
    deviations = np.where(observed, values - mean, 0.0)
    with np.errstate(over="ignore"):
        m2 = (w * deviations * deviations).sum(axis=0) / scale
    return ColumnStats(
        count=count,
        min=col_min,
        max=col_max,
        mean=mean,
        m2=m2,
        unit=unit,
        rows=kept.sum(axis=0).astype(np.float64),
    )


def _within(mean: np.ndarray, col_min: np.ndarray, col_max: np.ndarray) -> np.ndarray:
    """The mean clamped to [min, max]: rounding cannot move it outside, and a
    constant column's mean is then exactly its value."""
    return np.fmin(np.fmax(mean, col_min), col_max)


@dataclass
class Summary:
    """What a chunk contributes to a fit: its column statistics and, when a
    quantile is learned, its quantile sketch. Summaries merge like their parts,
    so ``partial_fit`` and Dask's per-block reduction share one code path."""

    stats: ColumnStats
    sketch: QuantileSketch | None = None
    per_column: list | None = None

    def merge(self, other: Summary) -> Summary:
        """Summary of the union of the rows behind ``self`` and ``other``."""
        sketch = None
        if self.sketch is not None and other.sketch is not None:
            sketch = self.sketch.merge(other.sketch)
        return Summary(self.stats.merge(other.stats), sketch)


def summarize(X, sample_weight=None, *, percents=None, needs="m2", per_column=None):
    """Summary of a dense or sparse chunk, and its exact percentiles if asked.

    With ``percents`` (a sequence), the chunk's columns are sorted once: the
    exact weighted percentiles are read from them before they are compressed
    into the sketch. ``needs`` is passed to :meth:`ColumnStats.from_array`.
    ``per_column(xp, values, weights, quantiles, stats, j)`` (with
    ``percents``) is called on each sorted column, its list of results kept
    in ``Summary.per_column``: see
    :func:`skscale._engine._sketch.exact_quantiles_and_sketch`.
    Returns ``(summary, exact_percentiles_or_None)``.
    """
    if sample_weight is not None:
        with np.errstate(over="ignore"):
            _check_total_weight(np.sum(sample_weight))
    if sparse.issparse(X):
        stats = _sparse_stats(X, sample_weight)
    else:
        stats = ColumnStats.from_array(X, sample_weight=sample_weight, needs=needs)
    if percents is None:
        return Summary(stats), None
    quantiles = np.asarray(percents, dtype=np.float64) / 100
    hook = None
    if per_column is not None:

        def hook(j, values, weights, column_quantiles):
            # In X's dtype (the sorted columns of weighted data are float64).
            values = values.astype(X.dtype, copy=False)
            return per_column(np, values, weights, column_quantiles, stats, j)

    if sample_weight is None and isinstance(X, np.ndarray):
        exact, sketch, extras = exact_quantiles_and_sketch(
            X, quantiles, per_column=hook
        )
        return Summary(stats, sketch, extras), exact
    if sparse.issparse(X):
        columns = sparse_sorted_columns(X, sample_weight)
    else:
        columns = sorted_columns(X, sample_weight)
    unit = smallest_weight(sample_weight)
    exact = stack_quantiles(columns, quantiles, X.shape[1], unit=unit)
    sketch = QuantileSketch.from_sorted_columns(columns, unit=unit)
    extras = None
    if hook is not None:
        extras = [hook(j, *column, exact[:, j]) for j, column in enumerate(columns)]
    return Summary(stats, sketch, extras), exact


def _sparse_stats(X, sample_weight) -> ColumnStats:
    """ColumnStats of a sparse chunk, with the weights' unit and row counts."""
    stats = ColumnStats(*sparse_moments(X, sample_weight))
    if sample_weight is None:
        return stats
    positive = sample_weight > 0
    # Rows of positive weight, less those whose stored value is NaN.
    entries = X.tocoo()
    nan_entry = np.isnan(entries.data) & positive[entries.row]
    nan_rows = np.bincount(entries.col[nan_entry], minlength=X.shape[1])
    stats.unit = smallest_weight(sample_weight)
    stats.rows = (np.count_nonzero(positive) - nan_rows).astype(np.float64)
    return stats


def column_extremes(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column minimum and maximum ignoring NaN (NaN for an all-NaN column).

    ``fmin``/``fmax`` reductions skip NaN without a mask or a warning.
    """
    if X.shape[0] == 0:
        nan = np.full(X.shape[1], np.nan)
        return nan, nan.copy()
    if blockable(X):
        _, col_min, col_max, _, _ = blocked_moments(X, "extremes")
        return col_min, col_max
    col_min = np.fmin.reduce(X, axis=0).astype(np.float64)
    col_max = np.fmax.reduce(X, axis=0).astype(np.float64)
    return col_min, col_max


def column_percentiles(X: np.ndarray, percents) -> np.ndarray:
    """Exact per-column percentiles ignoring NaN, as ``np.nanpercentile`` computes.

    Returns an array of shape ``(len(percents), n_features)`` in float64; an
    all-NaN column gives NaN.
    """
    percents = np.asarray(percents, dtype=np.float64)
    if X.shape[0] == 0:
        return np.full((percents.size, X.shape[1]), np.nan)
    values = X.astype(np.float64, copy=False)
    col_min = values.min(axis=0)
    nan_cols = np.flatnonzero(np.isnan(col_min))
    result = np.percentile(values, percents, axis=0).reshape(percents.size, -1)
    if nan_cols.size:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result[:, nan_cols] = np.nanpercentile(
                values[:, nan_cols], percents, axis=0
            ).reshape(percents.size, -1)
    return result
