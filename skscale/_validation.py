"""Input validation shared by skscale's transformers and networks.

Errors name the column and the problem: a non-numeric column, ±inf, a
parameter of the wrong length. Nothing here knows an estimator class: the
functions take the estimator only to record feature names (``validate_data``)
and to name it in messages.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.utils import check_array

from skscale._compat import validate_data
from skscale._stats import column_extremes

FLOAT_DTYPES = (np.float64, np.float32)


def is_polars(X) -> bool:
    return type(X).__module__.split(".")[0] == "polars"


def _column_names(X, n_columns: int) -> list[str]:
    names = getattr(X, "columns", None)
    if names is not None and len(names) == n_columns:
        return [str(name) for name in names]
    return [f"x{j}" for j in range(n_columns)]


def _column(X, j: int):
    if hasattr(X, "iloc"):
        return X.iloc[:, j]
    if is_polars(X):
        return X.to_series(j)
    return np.asarray(X, dtype=object)[:, j]


def describe_non_numeric_column(X) -> str | None:
    """Name the first column that cannot be read as numbers, or None."""
    if sparse.issparse(X) or not hasattr(X, "__len__"):
        return None
    try:
        n_columns = len(X[0]) if isinstance(X, list) else X.shape[1]
    except (TypeError, IndexError, AttributeError):
        return None
    names = _column_names(X, n_columns)
    for j in range(n_columns):
        try:
            column = _column(X, j)
        except (ValueError, TypeError, IndexError):
            return None
        try:
            np.asarray(column, dtype=np.float64)
        except (ValueError, TypeError):
            dtype = getattr(column, "dtype", "object")
            values = [v for v in np.asarray(column, dtype=object).ravel()[:50]]
            example = next(
                (v for v in values if not isinstance(v, int | float | np.number)),
                values[0] if values else None,
            )
            return (
                f"column {names[j]!r} (dtype {dtype}) is not numeric, e.g. "
                f"{example!r}; skscale's transformers need numbers: encode the "
                "column first or route it elsewhere with a ColumnTransformer"
            )
    return None


def check_float_array(estimator, X, *, reset: bool, accept_sparse=False) -> np.ndarray:
    """Validate X into a 2-D float32/float64 array and record its feature names.

    float32 stays float32 (polars included, which scikit-learn upcasts), other
    numbers become float64, NaN is allowed and ±inf rejected with the column
    named. Non-numeric columns raise the conversion's error type with a
    message naming the column. ``accept_sparse`` is passed to ``check_array``.
    """
    converted = X.to_numpy() if is_polars(X) else X
    try:
        array = check_array(
            converted,
            dtype=FLOAT_DTYPES,
            accept_sparse=accept_sparse,
            ensure_all_finite=False,
            estimator=estimator,
            input_name="X",
        )
    except (ValueError, TypeError) as exc:
        described = describe_non_numeric_column(X)
        if described is None:
            raise
        raise type(exc)(f"{exc}. In {type(estimator).__name__}: {described}.") from exc
    has_frame_names = hasattr(X, "columns")
    validate_data(
        estimator, X if has_frame_names else array, reset=reset, skip_check_array=True
    )
    return array


def reject_infinite(estimator, X: np.ndarray, col_min=None, col_max=None) -> None:
    """Raise a ValueError naming the columns that hold ±inf.

    ``col_min`` and ``col_max`` may be passed when the caller already has them
    (they are NaN-ignoring column extremes), saving two passes over X.
    """
    if X.size == 0:
        return
    if col_min is None or col_max is None:
        col_min, col_max = column_extremes(X)
    bad = np.flatnonzero(np.isinf(col_min) | np.isinf(col_max))
    if bad.size:
        names = feature_names_or_default(estimator, X.shape[1])
        listed = ", ".join(repr(names[j]) for j in bad[:10])
        raise ValueError(
            f"Input X contains infinity in column(s) {listed} passed to "
            f"{type(estimator).__name__}. skscale ignores NaN but rejects ±inf: "
            "replace infinite values (for example by NaN) first."
        )


def feature_names_or_default(estimator, n_features: int) -> list[str]:
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and len(names) == n_features:
        return [str(name) for name in names]
    return [f"x{j}" for j in range(n_features)]


def per_feature(value, n_features: int, name: str) -> np.ndarray:
    """Broadcast a scalar or per-feature parameter to a float64 array."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return np.full(n_features, float(array))
    if array.shape != (n_features,):
        raise ValueError(
            f"{name}={value!r} must be a number or have one value per feature "
            f"({n_features}), got shape {array.shape}."
        )
    return array.copy()


def is_dask(X) -> bool:
    """Whether X is a dask array or DataFrame (without importing dask)."""
    return type(X).__module__.split(".")[0] == "dask"
