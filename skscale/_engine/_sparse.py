"""Column statistics of scipy.sparse CSR/CSC matrices, implicit zeros counted.

A sparse column holds its stored entries (NaN and explicit zeros included)
and, in every other row, an implicit zero. Each function here treats those
implicit zeros as values, so its results equal the dense path's on
``X.toarray()``, without building it.
"""

from __future__ import annotations

import warnings

import numpy as np


def canonical(X):
    """``X`` with duplicate entries summed and indices sorted, ``X`` itself if
    it already is: a copy otherwise, so the caller's matrix is never changed.

    A non-canonical CSR/CSC matrix may store one cell several times (scipy
    reads the cell as their sum); maps such as the log are not additive, so
    every path works on the summed cell.
    """
    if X.has_canonical_format:
        return X
    X = X.copy()
    X.sum_duplicates()
    return X


def _bincount(index, weights, n_bins):
    # np.bincount of no entries returns int64 even with weights: keep float64.
    return np.bincount(index, weights=weights, minlength=n_bins).astype(np.float64)


def _entries(X, sample_weight):
    """Stored values of canonical CSC ``X``, their column index and row weight,
    and the weight of each column's implicit zeros.

    The implicit zeros of a column are the rows between its stored row
    indices: their weight is the sum of those gaps' weights, read from prefix
    sums of the row weights. A column stored in every row has no gap, so its
    implicit-zero weight is exactly 0 (subtracting the stored weight from the
    total instead leaves a rounding residual there, a phantom weight at 0).
    Unweighted, it is the exact count of rows without a stored entry.
    """
    X = canonical(X.tocsc())
    n_rows, n_features = X.shape
    row_weight = np.ones(n_rows) if sample_weight is None else sample_weight
    stored = np.diff(X.indptr)
    column = np.repeat(np.arange(n_features), stored)
    # Counts of rows are exact integers: rows without a stored entry, and
    # those of positive weight (which count towards min and max).
    stored_positive = np.bincount(
        column, weights=row_weight[X.indices] > 0, minlength=n_features
    )
    implicit_positive = np.count_nonzero(row_weight > 0) - stored_positive
    if sample_weight is None:
        return X, column, row_weight[X.indices], n_rows - stored, implicit_positive
    prefix = np.concatenate([[0.0], np.cumsum(row_weight, dtype=np.float64)])
    # Column j's gaps: before each stored row r, the rows from one after the
    # previous stored row (0 for the first) up to r; then the rows after its
    # last stored row. Indices are sorted: X is canonical.
    previous = np.empty_like(X.indices)
    previous[1:] = X.indices[:-1] + 1
    previous[X.indptr[:-1][stored > 0]] = 0
    after_last = np.zeros(n_features, dtype=X.indices.dtype)
    after_last[stored > 0] = X.indices[X.indptr[1:][stored > 0] - 1] + 1
    # An empty gap adds exactly 0, not a difference of equal prefix sums.
    before = np.where(X.indices > previous, prefix[X.indices] - prefix[previous], 0)
    trailing = np.where(after_last < n_rows, prefix[-1] - prefix[after_last], 0)
    implicit_zero = _bincount(column, before, n_features) + trailing
    return X, column, row_weight[X.indices], implicit_zero, implicit_positive


def entry_columns(X) -> np.ndarray:
    """Column index of each entry of ``X.data`` (CSR or CSC)."""
    if X.format == "csr":
        return X.indices
    return np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))


def _observed_entries(X, sample_weight):
    """Stored non-NaN values (X's dtype), their column index, their row weight
    (None unweighted), and per column the weight of the implicit zeros and
    the number of rows of positive weight without a stored entry.

    Unweighted, ``X`` keeps its format: a CSR matrix's column index is its
    ``indices``, with no conversion to CSC (the weighted gaps need CSC's
    sorted rows). NaN entries are masked out only when there are any.
    """
    if sample_weight is not None:
        X, column, weight, implicit_zero, implicit_positive = _entries(X, sample_weight)
        kept = ~np.isnan(X.data) & (weight > 0)
        return X.data, column, weight, implicit_zero, implicit_positive, kept
    X = canonical(X)
    n_rows, n_features = X.shape
    # intp once: bincount and ufunc.at would each convert int32 indices.
    column = entry_columns(X).astype(np.intp, copy=False)
    stored = np.bincount(column, minlength=n_features)
    implicit_zero = n_rows - stored
    data = X.data
    nan = np.isnan(data)
    if nan.any():
        data, column = data[~nan], column[~nan]
    return data, column, None, implicit_zero, implicit_zero, None


def sparse_moments(X, sample_weight=None):
    """``(count, min, max, mean, m2)`` per column, as ColumnStats's fields.

    NaN entries are ignored, rows of zero weight skip min and max; everything
    is accumulated in float64. Each statistic is one ``bincount`` (or one
    ``ufunc.at``) over the stored entries, never a dense column.
    """
    n_features = X.shape[1]
    data, column, weight, implicit_zero, implicit_positive, kept = _observed_entries(
        X, sample_weight
    )
    if weight is not None:
        # NaN and zero-weight entries drop out of every sum below too.
        data, column, weight = data[kept], column[kept], weight[kept]
    col_min, col_max = _extremes(data, column, implicit_positive, n_features)

    stored_count = (
        np.bincount(column, minlength=n_features)
        if weight is None
        else _bincount(column, weight, n_features)
    )
    count = implicit_zero + stored_count.astype(np.float64)
    # bincount accumulates its weights in float64 whatever X's dtype.
    weighted = data if weight is None else weight * data
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(
            count > 0, _bincount(column, weighted, n_features) / count, np.nan
        )
        # Clamped before the deviations: a constant column's M2 is then 0.
        mean = np.fmin(np.fmax(mean, col_min), col_max)
        deviation = data - mean[column]
    squares = deviation * deviation
    if weight is not None:
        squares *= weight
    m2 = _bincount(column, squares, n_features)
    m2 += implicit_zero * np.nan_to_num(mean) ** 2
    return count, col_min, col_max, mean, m2


def sparse_sorted_columns(X, sample_weight=None) -> list:
    """Per column, sorted ``(values, weights)``; implicit zeros are one point."""
    X, column, weight, implicit_zeros, _ = _entries(X, sample_weight)
    columns = []
    for j in range(X.shape[1]):
        span = slice(X.indptr[j], X.indptr[j + 1])
        values = X.data[span].astype(np.float64)
        weights = weight[span].astype(np.float64)
        implicit_zero = implicit_zeros[j]
        kept = ~np.isnan(values) & (weights > 0)
        values, weights = values[kept], weights[kept]
        if implicit_zero > 0:
            values = np.append(values, 0.0)
            weights = np.append(weights, implicit_zero)
        order = np.argsort(values, kind="stable")
        columns.append((values[order], weights[order]))
    return columns


def _extremes(data, column, implicit_positive, n_features):
    """Per-column min and max of the entries and, where a row of positive
    weight has no entry, of its implicit 0; NaN for a column with neither."""
    col_min = np.full(n_features, np.inf, dtype=data.dtype)
    col_max = np.full(n_features, -np.inf, dtype=data.dtype)
    np.minimum.at(col_min, column, data)
    np.maximum.at(col_max, column, data)
    col_min, col_max = col_min.astype(np.float64), col_max.astype(np.float64)
    has_zero = implicit_positive > 0
    col_min = np.where(has_zero, np.minimum(col_min, 0.0), col_min)
    col_max = np.where(has_zero, np.maximum(col_max, 0.0), col_max)
    empty = np.isinf(col_min) & np.isinf(col_max) & (col_min > col_max)
    col_min[empty] = np.nan
    col_max[empty] = np.nan
    return col_min, col_max


def sparse_extremes(X) -> tuple[np.ndarray, np.ndarray]:
    """Per-column min and max ignoring NaN, implicit zeros included."""
    data, column, _, _, implicit_positive, _ = _observed_entries(X, None)
    return _extremes(data, column, implicit_positive, X.shape[1])


def count_nonpositive(X, columns: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Number of values with ``x + offset <= 0`` in the given columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sub = X[:, columns].toarray()
    return np.sum(sub + offset <= 0, axis=0)
