"""Input validation shared by skscale's transformers and networks.

Errors name the column and the problem: a non-numeric column, ±inf, a
parameter of the wrong length. Nothing here knows an estimator class: the
functions take the estimator only to record feature names (``validate_data``)
and to name it in messages.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_array

from skscale._compat import validate_data
from skscale._engine._input import describe_non_numeric_column, numeric_input
from skscale._engine._stats import column_extremes

__all__ = [
    "FLOAT_DTYPES",
    "check_float_array",
    "describe_non_numeric_column",
    "feature_names_or_default",
    "is_dask",
    "is_polars",
    "numeric_input",
    "per_feature",
    "reject_infinite",
]

FLOAT_DTYPES = (np.float64, np.float32)


def is_polars(X) -> bool:
    """Whether X is a polars object (without importing polars)."""
    return type(X).__module__.split(".")[0] == "polars"


def check_float_array(
    estimator, X, *, reset: bool | None, accept_sparse=False
) -> np.ndarray:
    """Validate X into a 2-D float32/float64 array and record its feature names.

    ``reset=None`` (``inverse_transform``) checks only the number of columns:
    the input holds the transformer's output, whose names are not the fitted
    input's, and scikit-learn's scalers ignore them there.

    float32 stays float32 (polars included, which scikit-learn upcasts), other
    numbers become float64, NaN is allowed and ±inf rejected with the column
    named. Non-numeric columns raise the conversion's error type with a
    message naming the column. ``accept_sparse`` is passed to ``check_array``.
    Containers ``check_array`` misreads (dates, LazyFrames, ``pd.NA`` in
    object columns, sparse pandas frames) go through
    :func:`skscale._engine._input.numeric_input` first.
    """
    X = numeric_input(estimator, X)
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
    if reset is None:
        if array.ndim == 2 and array.shape[1] != estimator.n_features_in_:
            raise ValueError(
                f"X has {array.shape[1]} features, but {type(estimator).__name__} "
                f"is expecting {estimator.n_features_in_} features as input."
            )
        return array
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
