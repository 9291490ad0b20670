"""A mergeable, weighted quantile sketch per column, and exact weighted percentiles.

The sketch keeps, for each column, a few sorted summaries of (value, weight)
points arranged like a binary counter (Manku, Rajagopalan and Lindsay's
buffer levels, as in KLL): a chunk's points enter at level 0; two summaries
of the same level are combined, compressed to at most ``k`` points and
carried to the next level. Compression is deterministic, so the rank error
bound below holds always, not with some probability. Each group of points
compressed into one is represented by its weighted middle (the lower and the
upper middle in turn where the group splits evenly), so that the errors of
the ranks do not lean one way, and every column's exact minimum and maximum
are kept beside the summaries.
"""

from __future__ import annotations

import numpy as np

from skscale._engine._config import get_config
from skscale._engine._kernels import run_parallel, workers_for

DEFAULT_K = 2048


def _lerp(low: np.ndarray, high: np.ndarray, t: np.ndarray) -> np.ndarray:
    """numpy's own linear interpolation (``np.percentile``'s), bit for bit."""
    with np.errstate(over="ignore", invalid="ignore"):
        diff = high - low
        result = np.where(t >= 0.5, high - diff * (1 - t), low + diff * t)
        # Near the float limits high - low overflows (numpy then returns inf or
        # NaN); halves cannot overflow, and the doubled result lies in [low, high].
        overflowed = np.isinf(diff) & np.isfinite(low) & np.isfinite(high)
    if np.any(overflowed):
        halves = _lerp(np.asarray(low) / 2, np.asarray(high) / 2, t) * 2
        result = np.where(overflowed, halves, result)
    return result


def points_quantiles(values, weights, quantiles, unit=None) -> np.ndarray:
    """Quantiles of sorted weighted points, with ``np.percentile``'s interpolation.

    A point of weight ``w`` stands for ``w / unit`` copies of its value, where
    ``unit`` is the smallest positive weight of the fit (default: of these
    points). The ``q``-quantile sits at position ``q * (C - 1)`` of the ``C``
    sorted copies, interpolated between neighbours, as ``np.percentile``'s
    default ("linear") method places it. So unit weights equal
    ``np.percentile``; equal weights of any size (1 / n, 3 / n, 1e300) equal
    it too, since only the weights' proportions count; integer weights whose
    smallest is 1 equal the rows repeated, exactly; and the result lies
    within one interpolation step (between two adjacent sorted values) of
    ``np.percentile(..., weights=..., method="inverted_cdf")``. Empty input
    gives NaN; copies whose total overflows float64 (weights spanning more
    than about 300 orders of magnitude) raise a ``ValueError``.
    """
    quantiles = np.asarray(quantiles, dtype=np.float64)
    if values.size == 0:
        return np.full(quantiles.shape, np.nan)
    unit = weights.min() if unit is None else unit
    with np.errstate(over="ignore"):
        ends = np.cumsum(weights / unit if unit != 1 else weights)
    if not np.isfinite(ends[-1]):
        raise ValueError(
            "sample_weight spans too many orders of magnitude: its total is "
            f"{ends[-1]} times its smallest positive weight ({unit:g}); quantiles "
            "count each row as weight / smallest positive weight copies."
        )
    position = np.maximum(quantiles * (ends[-1] - 1), 0.0)
    index = np.minimum(np.searchsorted(ends, position, side="right"), values.size - 1)
    # Between the last copy of one point (at ends - 1) and the next point.
    gamma = np.clip(position - (ends[index] - 1), 0.0, 1.0)
    following = values[np.minimum(index + 1, values.size - 1)]
    return np.where(gamma > 0, _lerp(values[index], following, gamma), values[index])


def sorted_columns(X: np.ndarray, sample_weight: np.ndarray | None = None) -> list:
    """Per column, the sorted non-NaN values of positive weight and their weights."""
    if sample_weight is None:
        # Rows of the transpose are contiguous: sorting them is the fast path.
        by_column = np.sort(np.array(X.T, dtype=np.float64, order="C"), axis=1)
        counts = (~np.isnan(by_column)).sum(axis=1)
        return [(row[:n], np.ones(n)) for row, n in zip(by_column, counts)]
    order = np.argsort(X, axis=0, kind="stable")
    columns = []
    for j in range(X.shape[1]):
        values = X[order[:, j], j].astype(np.float64)
        weights = sample_weight[order[:, j]]
        kept = ~np.isnan(values) & (weights > 0)
        weights = weights[kept].astype(np.float64)
        columns.append((values[kept], weights))
    return columns


def _unit_quantiles(values: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """:func:`points_quantiles` of sorted values of weight 1, without the
    cumulative weights: the point ``i`` ends at ``i + 1``."""
    n = values.size
    if n == 0:
        return np.full(quantiles.shape, np.nan)
    position = np.maximum(quantiles * (n - 1.0), 0.0)
    index = np.minimum(np.floor(position).astype(np.intp), n - 1)
    gamma = np.clip(position - index, 0.0, 1.0)
    low = values[index].astype(np.float64)
    following = values[np.minimum(index + 1, n - 1)].astype(np.float64)
    return np.where(gamma > 0, _lerp(low, following, gamma), low)


def _unit_compress(values: np.ndarray, k: int):
    """:func:`_compress` of sorted values of weight 1, in O(k).

    The bucket of point ``i`` is ``ceil((i + 1) * (k / n))``, non-decreasing
    by steps of at most 1 (``k < n``): group ``b + 1`` starts at the first
    ``i`` whose bucket exceeds ``b``, found among a few candidates around
    ``b n / k`` with the same floating-point expression.
    """
    n = values.size
    if n <= k:
        return values.astype(np.float64), np.ones(n), 0.0
    scale = k / float(n)
    last_bucket = np.ceil(float(n) * scale)
    b = np.arange(1.0, last_bucket)
    window = np.floor(b / scale).astype(np.intp)[:, None] + np.arange(-2, 3)
    window = np.clip(window, 0, n - 1)
    above = np.ceil((window + 1.0) * scale) > b[:, None]
    if not above.any(axis=1).all():  # never expected: take the general path
        return _compress(values.astype(np.float64), np.ones(n), k)
    starts = window[np.arange(b.size), np.argmax(above, axis=1)]
    first = np.r_[0, starts]
    sizes = np.diff(np.r_[first, n])
    # The middle point; of an even group the lower and upper middle in turn.
    middle = first + (sizes - 1 + np.arange(first.size) % 2) // 2
    before, after = middle - first, first + sizes - 1 - middle
    compressed = values[middle].astype(np.float64)
    return compressed, sizes.astype(np.float64), float(np.max(np.fmax(before, after)))


def _sort_columns(X, columns, quantiles, k, per_column):
    """Exact quantiles and the compressed summary of some columns of X (and
    ``per_column`` of each sorted column, see exact_quantiles_and_sketch)."""
    # Sorted in X's dtype (float32 sorts twice as fast); the few values read
    # from the sorted column are converted to float64 exactly.
    buffer = np.empty(X.shape[0], dtype=X.dtype)
    results = []
    for j in columns:
        np.copyto(buffer, X[:, j])
        buffer.sort()  # NaN sorts last
        values = buffer[: np.searchsorted(buffer, np.nan)]
        exact = _unit_quantiles(values, quantiles)
        extra = None if per_column is None else per_column(j, values, None, exact)
        results.append((j, exact, _unit_compress(values, k), _ends(values), extra))
    return results


def _ends(values) -> tuple[float, float]:
    """The first and last of sorted values (NaN for none), as float64."""
    if not values.size:
        return np.nan, np.nan
    return float(values[0]), float(values[-1])


def exact_quantiles_and_sketch(
    X: np.ndarray, quantiles, k: int = DEFAULT_K, per_column=None
):
    """Exact unweighted per-column quantiles of a dense X, NaN ignored, and its
    sketch, one column at a time (threads across columns): the extra memory
    is one column per thread, not a sorted copy of X.

    ``per_column(j, values, weights, quantiles)``, if given, is called on
    each sorted column (its non-NaN values in X's dtype, weights None, its
    exact quantiles) while it is at hand: a statistic read off the sorted
    values costs no further pass over X.

    Returns ``(quantiles of shape (len(quantiles), n_features), sketch,
    per-column results or None)``.
    """
    quantiles = np.asarray(quantiles, dtype=np.float64)
    n_features = X.shape[1]
    workers = workers_for(X.size, n_features, get_config())
    tasks = [
        (X, range(w, n_features, workers), quantiles, k, per_column)
        for w in range(workers)
    ]
    exact = np.empty((quantiles.size, n_features))
    compressed = [None] * n_features
    extras = [None] * n_features
    sketch = QuantileSketch(n_features, k)
    for part in run_parallel(_sort_columns, tasks):
        for j, column_quantiles, (values, weights, error), ends, extra in part:
            exact[:, j] = column_quantiles
            compressed[j] = (values, weights)
            extras[j] = extra
            sketch.rank_error_[j] += error
            sketch.min_[j], sketch.max_[j] = ends
    sketch.levels = [compressed]
    sketch.unit_ = 1.0
    return exact, sketch, None if per_column is None else extras


def stack_quantiles(columns, quantiles, n_features, unit=None) -> np.ndarray:
    """:func:`points_quantiles` of each column, weights counted in ``unit``."""
    result = np.empty((quantiles.size, n_features))
    for j, (values, weights) in enumerate(columns):
        result[:, j] = points_quantiles(values, weights, quantiles, unit)
    return result


def _compress(values, weights, k: int):
    """At most ``k`` points whose rank function is within ``W / k`` of the input's.

    Points are grouped by ``ceil(cumulative weight * k / W)``; each group
    becomes its weighted middle value carrying the group's weight (where the
    middle falls between two points, the lower and the upper one in turn
    from group to group: a fixed choice, such as the first value, would
    shift every estimate the same way). A rank then changes by at most the
    group's weight on either side of its middle, less than ``W / k``.
    Returns the points and that change.
    """
    if values.size <= k:
        return values, weights, 0.0
    ends = np.cumsum(weights)
    bucket = np.ceil(ends * (k / ends[-1]))
    first = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    last = np.r_[first[1:] - 1, values.size - 1]
    group_weight = np.add.reduceat(weights, first)
    before_group = ends[first] - weights[first]
    half = before_group + group_weight / 2
    upper = np.arange(first.size) % 2 == 1
    middle = np.where(
        upper,
        np.searchsorted(ends, half, side="right"),
        np.searchsorted(ends, half, side="left"),
    )
    middle = np.minimum(np.maximum(middle, first), last)
    before = ends[middle] - weights[middle] - before_group
    error = float(np.max(np.fmax(before, ends[last] - ends[middle])))
    return values[middle], group_weight, error


def _combine(a, b):
    values = np.concatenate([a[0], b[0]])
    weights = np.concatenate([a[1], b[1]])
    order = np.argsort(values, kind="stable")
    return values[order], weights[order]


class QuantileSketch:
    """Mergeable weighted quantile summaries of each column of a data stream.

    Each column keeps at most ``k`` (value, weight) points per level, and
    ``levels <= 1 + log2(number of chunks)``. Build one sketch per chunk with
    :meth:`from_array`, combine them in any order with :meth:`merge`, and read
    quantiles with :meth:`quantiles` (``np.percentile``'s interpolation on
    the summarized points).

    Rank-error bound: for every value ``x``, the weight of stored points
    ``<= x`` differs from the weight of the data ``<= x`` by at most
    ``rank_error_`` (per column, tracked as compressions happen), and

        rank_error_ <= n_levels * W / k,

    where ``W`` is the column's total weight. Quantiles count weights as
    copies of the smallest positive weight seen (``unit_``, kept apart from
    the compressed points and merged as a minimum), as in
    :func:`points_quantiles`, so they depend only on the weights' proportions.
    Consequently the value ``v`` returned for a quantile ``q`` satisfies, with
    ``eps = (rank_error_ + unit_) / W``
    (:meth:`rank_error_bound`), ``rank_<(v) <= (q + eps) W`` and
    ``rank_<=(v) >= (q - eps) W``. A column that never held more than ``k``
    points has ``rank_error_ == 0``: its quantiles are exact.

    Parameters
    ----------
    n_features : int
        Number of columns.
    k : int, default=2048
        Points kept per column and level; the error shrinks as ``1 / k``.

    References
    ----------
    G. S. Manku, S. Rajagopalan and B. G. Lindsay, "Approximate medians and
    other quantiles in one pass and with limited memory", SIGMOD 1998.
    Z. Karnin, K. Lang and E. Liberty, "Optimal quantile approximation in
    streams", FOCS 2016.

    The exact minimum and maximum of each column (``min_``, ``max_``) are
    kept beside the summaries: the quantiles 0 and 1 are exact, and no
    estimate falls outside them.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> head, tail = QuantileSketch.from_array(X[:4]), QuantileSketch.from_array(X[4:])
    >>> sketch = head.merge(tail)
    >>> sketch.quantiles([0.5]), np.percentile(X, 50, axis=0)
    (array([[4.5]]), array([4.5]))
    """

    def __init__(self, n_features: int, k: int = DEFAULT_K):
        self.n_features = n_features
        self.k = k
        self.levels: list[list | None] = []
        self.rank_error_ = np.zeros(n_features)
        self.unit_ = np.inf
        self.min_ = np.full(n_features, np.nan)
        self.max_ = np.full(n_features, np.nan)

    @classmethod
    def from_array(cls, X, sample_weight=None, k: int = DEFAULT_K) -> QuantileSketch:
        """Sketch of a 2-D float array, NaN and rows of zero weight ignored."""
        unit = None
        if sample_weight is not None:
            positive = sample_weight[sample_weight > 0]
            unit = float(positive.min()) if positive.size else np.inf
        return cls.from_sorted_columns(sorted_columns(X, sample_weight), k, unit)

    @classmethod
    def from_sorted_columns(
        cls, columns: list, k: int = DEFAULT_K, unit: float | None = None
    ) -> QuantileSketch:
        """Sketch of per-column sorted ``(values, weights)`` pairs.

        ``unit`` is the smallest positive weight of the rows behind them
        (default: the smallest weight among the points).
        """
        sketch = cls(len(columns), k)
        if unit is None:
            unit = min((w.min() for _, w in columns if w.size), default=np.inf)
        sketch.unit_ = float(unit)
        for j, (values, _) in enumerate(columns):
            sketch.min_[j], sketch.max_[j] = _ends(values)
        sketch._carry(0, columns)
        return sketch

    def _carry(self, level: int, columns: list) -> None:
        """Add a level's summaries, compressing and carrying like a binary counter."""
        columns = self._compressed(columns)
        while level < len(self.levels) and self.levels[level] is not None:
            merged = [_combine(a, b) for a, b in zip(self.levels[level], columns)]
            self.levels[level] = None
            columns = self._compressed(merged)
            level += 1
        if level == len(self.levels):
            self.levels.append(None)
        self.levels[level] = columns

    def _compressed(self, columns: list) -> list:
        result = []
        for j, (values, weights) in enumerate(columns):
            values, weights, error = _compress(values, weights, self.k)
            self.rank_error_[j] += error
            result.append((values, weights))
        return result

    def merge(self, other: QuantileSketch) -> QuantileSketch:
        """A new sketch of the union of the data behind ``self`` and ``other``."""
        merged = QuantileSketch(self.n_features, min(self.k, other.k))
        merged.levels = list(self.levels)
        merged.rank_error_ = self.rank_error_ + other.rank_error_
        merged.unit_ = min(self.unit_, other.unit_)
        merged.min_ = np.fmin(self.min_, other.min_)
        merged.max_ = np.fmax(self.max_, other.max_)
        for level, columns in enumerate(other.levels):
            if columns is not None:
                merged._carry(level, columns)
        return merged

    def _points(self, j: int):
        present = [level[j] for level in self.levels if level is not None]
        if not present:
            return np.empty(0), np.empty(0)
        values = np.concatenate([p[0] for p in present])
        weights = np.concatenate([p[1] for p in present])
        order = np.argsort(values, kind="stable")
        return values[order], weights[order]

    def total_weight(self) -> np.ndarray:
        """Total weight summarized per column."""
        return np.array([self._points(j)[1].sum() for j in range(self.n_features)])

    def rank_error_bound(self) -> np.ndarray:
        """Per-column ``eps``: returned quantiles are within ``eps`` in rank."""
        # One copy of the smallest weight: the interpolation's own step.
        unit = self.unit_ if np.isfinite(self.unit_) else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.rank_error_ + unit) / self.total_weight()

    def share_outside(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Per column, the share of the weight below ``low`` or above ``high``
        (exact while a column is uncompressed, else within ``rank_error_``)."""
        share = np.zeros(self.n_features)
        for j in range(self.n_features):
            values, weights = self._points(j)
            total = weights.sum()
            outside = weights[(values < low[j]) | (values > high[j])].sum()
            share[j] = outside / total if total > 0 else 0.0
        return share

    def clipped_moments(self, lower: np.ndarray, upper: np.ndarray):
        """Per column, the weighted mean and M2 of the points clipped to
        ``[lower, upper]`` (exact while a column is uncompressed)."""
        mean = np.full(self.n_features, np.nan)
        m2 = np.zeros(self.n_features)
        for j in range(self.n_features):
            values, weights = self._points(j)
            if weights.sum() > 0:
                clipped = np.minimum(np.maximum(values, lower[j]), upper[j])
                mean[j] = np.average(clipped, weights=weights)
                m2[j] = np.sum(weights * (clipped - mean[j]) ** 2)
        return mean, m2

    def quantiles(self, quantiles) -> np.ndarray:
        """Estimated quantiles (``q`` in [0, 1]), shape ``(len(q), n_features)``."""
        quantiles = np.asarray(quantiles, dtype=np.float64)
        columns = [self._points(j) for j in range(self.n_features)]
        unit = self.unit_ if np.isfinite(self.unit_) else None
        result = stack_quantiles(columns, quantiles, self.n_features, unit)
        # The exact extremes: at 0 and 1, and as bounds of every estimate.
        result = np.minimum(np.maximum(result, self.min_), self.max_)
        result[quantiles == 0] = self.min_
        result[quantiles == 1] = self.max_
        return result
