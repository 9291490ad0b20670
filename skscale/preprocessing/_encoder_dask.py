"""Lazy Dask transform for encoders whose output has more columns than X."""

from __future__ import annotations

import numpy as np

from skscale._dask import _frame_dtype, _is_dataframe


def _fitted_copy(estimator):
    """A copy holding parameters and fitted attributes only (to ship to workers)."""
    from sklearn.base import clone

    worker = clone(estimator)
    worker.__dict__.update(
        {k: v for k, v in vars(estimator).items() if k.endswith("_")}
    )
    return worker


def _array_block(block, estimator):
    return estimator._checked_transform(block)


def _partition(partition, estimator):
    import pandas as pd

    values = estimator._checked_transform(partition)
    columns = estimator.get_feature_names_out()
    return pd.DataFrame(values, index=partition.index, columns=columns)


def dask_expand(estimator, X, n_out: int):
    """Blockwise transform of a dask array or DataFrame into ``n_out`` columns."""
    import pandas as pd

    worker = _fitted_copy(estimator)
    n_in = estimator.n_features_in_
    if _is_dataframe(X):
        if len(X.columns) != n_in:
            raise ValueError(
                f"X has {len(X.columns)} features, but {type(estimator).__name__} "
                f"is expecting {n_in} features as input."
            )
        dtype = _frame_dtype(X._meta)
        columns = estimator.get_feature_names_out()
        meta = pd.DataFrame(
            {name: pd.Series(dtype=dtype) for name in columns}, index=X._meta.index
        )
        return X.map_partitions(_partition, worker, meta=meta)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(
            f"X has shape {X.shape}, but {type(estimator).__name__} is expecting "
            f"{n_in} features as input."
        )
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    X = X.rechunk({1: -1})
    return X.map_blocks(
        _array_block,
        worker,
        dtype=dtype,
        chunks=(X.chunks[0], (n_out,)),
        meta=np.empty((0, n_out), dtype=dtype),
    )
