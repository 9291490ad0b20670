"""Input containers turned into what ``check_array`` reads right, or refused.

scikit-learn's ``check_array`` reads dates as nanoseconds since 1970, fails on
``pd.NA`` in an object column, cannot convert a pandas frame of sparse
columns whose fill value is NaN, and knows nothing of polars' LazyFrame.
:func:`numeric_input` handles those before validation, and
:func:`describe_non_numeric_column` names the column when a conversion fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse


def _is_polars(X) -> bool:
    return type(X).__module__.split(".")[0] == "polars"


def _column_names(X, n_columns: int) -> list[str]:
    names = getattr(X, "columns", None)
    if names is not None and len(names) == n_columns:
        return [str(name) for name in names]
    return [f"x{j}" for j in range(n_columns)]


def _column(X, j: int):
    if hasattr(X, "iloc"):
        return X.iloc[:, j]
    if _is_polars(X):
        return X.to_series(j)
    return np.asarray(X, dtype=object)[:, j]


def _first_bad_value(column):
    """The first value of a column that is neither a number nor missing."""
    values = pd.Series(np.asarray(column, dtype=object).ravel(), dtype=object)
    numbers = pd.to_numeric(values, errors="coerce")
    bad = np.flatnonzero(numbers.isna().to_numpy() & values.notna().to_numpy())
    return (
        values.iloc[bad[0]] if bad.size else (values.iloc[0] if len(values) else None)
    )


def describe_non_numeric_column(X) -> str | None:
    """Name the first column that cannot be read as numbers, or None.

    The example quoted is the first value of that column that is not a
    number (a string such as '1' converts, so it is not the culprit).
    """
    if sparse.issparse(X) or not hasattr(X, "__len__"):
        return None
    try:
        n_columns = len(X[0]) if isinstance(X, list) else X.shape[1]
    except (TypeError, IndexError, AttributeError, KeyError):
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
            return (
                f"column {names[j]!r} (dtype {dtype}) is not numeric, e.g. "
                f"{_first_bad_value(column)!r}; skscale's transformers need "
                "numbers: encode the column first or route it elsewhere with a "
                "ColumnTransformer"
            )
    return None


def _temporal_columns(X) -> list[tuple[int, object]]:
    """``(index, dtype)`` of the date, time and duration columns of X."""
    if _is_polars(X):
        return [(j, d) for j, d in enumerate(X.dtypes) if d.is_temporal()]
    if isinstance(X, pd.DataFrame):
        return [
            (j, d) for j, d in enumerate(X.dtypes) if getattr(d, "kind", "") in "mM"
        ]
    dtype = getattr(X, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "mM" and np.ndim(X) == 2:
        return [(j, dtype) for j in range(X.shape[1])]
    return []


def _all_sparse_frame(X) -> bool:
    return (
        isinstance(X, pd.DataFrame)
        and X.shape[1] > 0
        and all(isinstance(d, pd.SparseDtype) for d in X.dtypes)
    )


def sparse_frame_as_matrix(X) -> bool:
    """Whether X is a pandas frame of sparse numeric columns whose fill value
    is 0: scikit-learn reads it as a sparse matrix, and so does skscale."""
    return _all_sparse_frame(X) and all(
        d.fill_value == 0 and d.subtype.kind in "biuf" for d in X.dtypes
    )


def _object_na_as_nan(X):
    """pandas' NA (and None, NaT) in object columns as NaN: missing values."""
    if isinstance(X, pd.DataFrame):
        columns = [j for j, d in enumerate(X.dtypes) if d.kind == "O"]
        if not columns:
            return X
        X = X.copy(deep=False)
        for j in columns:
            column = X.iloc[:, j]
            missing = column.isna()
            if missing.any():
                X.isetitem(j, column.where(~missing, np.nan))
        return X
    if isinstance(X, np.ndarray) and X.dtype == object:
        missing = pd.isna(X)
        if missing.any():
            X = X.copy()
            X[missing] = np.nan
    return X


def numeric_input(estimator, X):
    """X ready for ``check_array``: refused if it cannot hold numbers.

    - a polars LazyFrame raises a TypeError asking for ``.collect()``;
    - date, time and duration columns (pandas, numpy or polars) raise a
      ValueError naming the column, instead of becoming nanoseconds;
    - ``pd.NA``, None and NaT in object columns become NaN (missing values,
      as ``pd.NA`` in a nullable Int64/Float64/boolean column already is);
    - a pandas frame of sparse columns is densified unless every fill value
      is 0 (NaN fill values mean missing values, not zeros).
    """
    name = type(estimator).__name__
    if _is_polars(X) and type(X).__name__ == "LazyFrame":
        raise TypeError(
            f"{name} got a polars LazyFrame, which holds a query rather than "
            "data: call .collect() on it first and pass the DataFrame."
        )
    temporal = _temporal_columns(X)
    if temporal:
        names = _column_names(X, X.shape[1])
        j, dtype = temporal[0]
        raise ValueError(
            f"In {name}: column {names[j]!r} (dtype {dtype}) is not numeric: it "
            "holds dates or times, which would be read as counts of time units "
            "since 1970. Convert it to numbers first (for example elapsed days, "
            "(d - d.min()) / pd.Timedelta(days=1)) or route it elsewhere with a "
            "ColumnTransformer."
        )
    if _all_sparse_frame(X) and not sparse_frame_as_matrix(X):
        X = X.sparse.to_dense()
    return _object_na_as_nan(X)
