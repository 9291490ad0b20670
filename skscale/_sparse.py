"""Column statistics of scipy.sparse CSR/CSC matrices, implicit zeros counted.

A sparse column holds its stored entries (NaN and explicit zeros included)
and, in every other row, an implicit zero. Each function here treats those
implicit zeros as values, so its results equal the dense path's on
``X.toarray()``, without building it.
"""

from __future__ import annotations

import warnings

import numpy as np


def _entries(X, sample_weight):
    """Stored values of CSC ``X`` with their column index and row weight."""
    X = X.tocsc()
    n_rows, n_features = X.shape
    row_weight = np.ones(n_rows) if sample_weight is None else sample_weight
    stored = np.diff(X.indptr)
    column = np.repeat(np.arange(n_features), stored)
    return X, column, row_weight[X.indices], row_weight


def entry_columns(X) -> np.ndarray:
    """Column index of each entry of ``X.data`` (CSR or CSC)."""
    if X.format == "csr":
        return X.indices
    return np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))


def sparse_moments(X, sample_weight=None):
    """``(count, min, max, mean, m2)`` per column, as ColumnStats's fields.

    NaN entries are ignored, rows of zero weight skip min and max; everything
    is accumulated in float64.
    """
    X, column, weight, row_weight = _entries(X, sample_weight)
    n_features = X.shape[1]
    data = X.data.astype(np.float64)
    nan = np.isnan(data)
    observed = ~nan
    total = row_weight.sum()

    def per_column(values, mask):
        return np.bincount(column[mask], weights=values[mask], minlength=n_features)

    count = total - per_column(weight, nan)
    implicit_zero = total - per_column(weight, np.ones_like(nan))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, per_column(weight * data, observed) / count, np.nan)
        deviation = data - mean[column]
    m2 = per_column(weight * deviation * deviation, observed)
    m2 += implicit_zero * np.nan_to_num(mean) ** 2

    kept = observed & (weight > 0)
    col_min = np.full(n_features, np.inf)
    col_max = np.full(n_features, -np.inf)
    np.minimum.at(col_min, column[kept], data[kept])
    np.maximum.at(col_max, column[kept], data[kept])
    n_positive = np.count_nonzero(row_weight > 0)
    stored_positive = np.bincount(column, weights=weight > 0, minlength=n_features)
    has_zero = n_positive - stored_positive > 0
    col_min = np.where(has_zero, np.minimum(col_min, 0.0), col_min)
    col_max = np.where(has_zero, np.maximum(col_max, 0.0), col_max)
    empty = np.isinf(col_min) & np.isinf(col_max) & (col_min > col_max)
    col_min[empty] = np.nan
    col_max[empty] = np.nan
    mean = np.fmin(np.fmax(mean, col_min), col_max)
    return count, col_min, col_max, mean, m2


def sparse_sorted_columns(X, sample_weight=None) -> list:
    """Per column, sorted ``(values, weights)``; implicit zeros are one point."""
    X, column, weight, row_weight = _entries(X, sample_weight)
    total = row_weight.sum()
    columns = []
    for j in range(X.shape[1]):
        span = slice(X.indptr[j], X.indptr[j + 1])
        values = X.data[span].astype(np.float64)
        weights = weight[span].astype(np.float64)
        implicit_zero = total - weights.sum()
        kept = ~np.isnan(values) & (weights > 0)
        values, weights = values[kept], weights[kept]
        if implicit_zero > 0:
            values = np.append(values, 0.0)
            weights = np.append(weights, implicit_zero)
        order = np.argsort(values, kind="stable")
        columns.append((values[order], weights[order]))
    return columns


def sparse_extremes(X) -> tuple[np.ndarray, np.ndarray]:
    """Per-column min and max ignoring NaN, implicit zeros included."""
    _, col_min, col_max, _, _ = sparse_moments(X)
    return col_min, col_max


def count_nonpositive(X, columns: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Number of values with ``x + offset <= 0`` in the given columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sub = X[:, columns].toarray()
    return np.sum(sub + offset <= 0, axis=0)
