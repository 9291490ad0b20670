"""Dask support: fit from per-block summaries in one compute, transform lazily.

``fit`` on a dask array or DataFrame builds one task per block that computes
the block's :class:`~skscale._stats.Summary` (the same code ``partial_fit``
runs on a numpy chunk), merges them pairwise in a tree and runs a single
``dask.compute``: the data is read once, and only the small summaries travel
between workers. ``transform`` maps the fitted estimator over the blocks
(``map_blocks`` / ``map_partitions``) and returns a lazy collection of the
input's kind. Works with any scheduler, including ``distributed``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_array
from sklearn.utils.validation import check_non_negative

from skscale._base import FLOAT_DTYPES
from skscale._compat import validate_data


def _is_dataframe(X) -> bool:
    return hasattr(X, "columns") and hasattr(X, "map_partitions")


def _block_array(block) -> np.ndarray:
    return check_array(
        block,
        dtype=FLOAT_DTYPES,
        ensure_all_finite=False,
        ensure_min_samples=0,
        copy=True,
    )


def _block_weight(weight) -> np.ndarray:
    """A block's weights, refused as the numpy path refuses them (NaN, ±inf,
    negative), with scikit-learn's messages. All-zero is checked on the total:
    one block of zero weight is fine."""
    weight = check_array(
        np.asarray(weight).ravel(),
        ensure_2d=False,
        dtype=np.float64,
        ensure_min_samples=0,
        input_name="sample_weight",
    )
    check_non_negative(weight, "`sample_weight`")
    return weight


def _block_summary(worker, block, weight):
    """``(summary, rows, any positive weight)`` of one block."""
    X = _block_array(block)
    if weight is not None:
        weight = _block_weight(weight)
    summary, _ = worker._chunk_summary(X, weight)
    positive = True if weight is None else bool(np.any(weight > 0))
    return summary, X.shape[0], positive


def _merge(a, b):
    return a[0].merge(b[0]), a[1] + b[1], a[2] or b[2]


def _check_totals(estimator, n_rows, n_features, positive, weighted) -> None:
    """The numpy path's errors for no rows and for weights that are all zero."""
    if n_rows == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape=(0, {n_features})) while a "
            f"minimum of 1 is required by {type(estimator).__name__}."
        )
    if weighted and not positive:
        raise ValueError("Sample weights must contain at least one non-zero number.")


def _worker(estimator):
    """A light copy to ship to the workers: parameters and feature names only."""
    worker = clone(estimator)
    for name in ("n_features_in_", "feature_names_in_"):
        if hasattr(estimator, name):
            setattr(worker, name, getattr(estimator, name))
    return worker


def _weight_blocks(sample_weight, X, n_blocks):
    if sample_weight is None:
        return [None] * n_blocks
    import dask.array as da

    if _is_dataframe(X):
        if not hasattr(sample_weight, "to_delayed"):
            raise TypeError(
                "sample_weight for a dask DataFrame must be a dask Series "
                "partitioned like X (e.g. a column of the same DataFrame)."
            )
        blocks = sample_weight.to_delayed()
    else:
        weight = da.asarray(sample_weight).rechunk((X.chunks[0],))
        blocks = list(weight.to_delayed().ravel())
    if len(blocks) != n_blocks:
        raise ValueError(
            f"sample_weight has {len(blocks)} partitions but X has {n_blocks}; "
            "partition them alike."
        )
    return blocks


def _frame_dtype(meta):
    from pandas.api.types import is_numeric_dtype

    for name, dtype in meta.dtypes.items():
        if not is_numeric_dtype(dtype):
            raise TypeError(
                f"column {name!r} (dtype {dtype}) is not numeric; skscale's "
                "transformers need numbers: encode the column first."
            )
    if len(meta.columns) and all(dtype == np.float32 for dtype in meta.dtypes):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def dask_summary(estimator, X, sample_weight, *, reset: bool):
    """Summary of a dask collection, merged on the cluster in one compute.

    Returns ``(summary, dtype)`` where ``dtype`` is the float dtype that
    transform will produce. Sets ``n_features_in_`` (and feature names for a
    DataFrame) as ``validate_data`` would.
    """
    import dask
    from dask import delayed

    if _is_dataframe(X):
        dtype = _frame_dtype(X._meta)
        validate_data(estimator, X._meta, reset=reset, skip_check_array=True)
        blocks = X.to_delayed()
    else:
        if X.ndim != 2:
            raise ValueError(f"Expected a 2-D dask array, got {X.ndim} dimension(s).")
        dtype = np.dtype(np.float32 if X.dtype == np.float32 else np.float64)
        X = X.rechunk({1: -1})
        empty = np.empty((0, X.shape[1]))
        validate_data(estimator, empty, reset=reset, skip_check_array=True)
        blocks = list(X.to_delayed().ravel())
    weights = _weight_blocks(sample_weight, X, len(blocks))
    worker = delayed(_worker(estimator), pure=True)
    parts = [
        delayed(_block_summary, pure=True)(worker, block, weight)
        for block, weight in zip(blocks, weights)
    ]
    while len(parts) > 1:
        odd = [parts[-1]] if len(parts) % 2 else []
        parts = [
            delayed(_merge, pure=True)(parts[i], parts[i + 1])
            for i in range(0, len(parts) - 1, 2)
        ] + odd
    ((summary, n_rows, positive),) = dask.compute(parts[0])
    n_features = estimator.n_features_in_
    _check_totals(estimator, n_rows, n_features, positive, sample_weight is not None)
    return summary, dtype


def _transform_array_block(block, estimator):
    # estimator.copy is True here: dask's blocks are never written to.
    return estimator._checked_transform(block)


def _transform_partition(partition, estimator):
    import pandas as pd

    values = estimator._checked_transform(partition)
    columns = estimator.get_feature_names_out()
    return pd.DataFrame(values, index=partition.index, columns=columns)


def dask_transform(estimator, X):
    """Lazy blockwise transform of a dask array or DataFrame, same kind out."""
    import pandas as pd

    worker = clone(estimator).set_params(copy=True)
    worker.__dict__.update(
        {k: v for k, v in vars(estimator).items() if k.endswith("_")}
    )
    if _is_dataframe(X):
        dtype = _frame_dtype(X._meta)
        columns = estimator.get_feature_names_out()
        if len(columns) != len(X.columns):
            raise ValueError(
                f"X has {len(X.columns)} features, but {type(estimator).__name__} "
                f"is expecting {len(columns)} features as input."
            )
        meta = pd.DataFrame(
            {name: pd.Series(dtype=dtype) for name in columns}, index=X._meta.index
        )
        return X.map_partitions(_transform_partition, worker, meta=meta)
    if X.ndim != 2 or X.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has shape {X.shape}, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input."
        )
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    X = X.rechunk({1: -1})
    meta = np.empty((0, X.shape[1]), dtype=dtype)
    return X.map_blocks(_transform_array_block, worker, dtype=dtype, meta=meta)
