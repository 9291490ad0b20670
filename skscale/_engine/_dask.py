"""Dask collections as blocks: split for a fit, merge in one compute, map lazily.

Knows nothing about estimators: :mod:`skscale._engine` passes the function
that summarizes one block and the one that maps one block. ``summarize_blocks``
builds one task per block, merges the summaries pairwise in a tree and runs a
single ``dask.compute``: the data is read once, and only the small summaries
travel between workers. ``map_lazily`` returns a lazy collection of the
input's kind (a DataFrame keeps its column names and index). Works with any
scheduler, including ``distributed``.
"""

from __future__ import annotations

import numpy as np


def is_dataframe(X) -> bool:
    return hasattr(X, "columns") and hasattr(X, "map_partitions")


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


def _array_dtype(X):
    return np.dtype(np.float32 if X.dtype == np.float32 else np.float64)


def describe(X):
    """``(meta, dtype)``: what ``validate_data`` should see (a DataFrame's
    empty ``_meta`` with its names, or an empty array of X's width) and the
    float dtype a transform produces."""
    if is_dataframe(X):
        return X._meta, _frame_dtype(X._meta)
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D dask array, got {X.ndim} dimension(s).")
    return np.empty((0, X.shape[1])), _array_dtype(X)


def _weight_blocks(sample_weight, X, n_blocks):
    if sample_weight is None:
        return [None] * n_blocks
    import dask.array as da

    if is_dataframe(X):
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


def _merge(a, b):
    return a.merge(b)


def summarize_blocks(X, sample_weight, summarize_block):
    """``summarize_block(block, weight)`` over every row block, merged, in one
    ``dask.compute``; ``weight`` is a 1-D array or None."""
    import dask
    from dask import delayed

    if is_dataframe(X):
        blocks = X.to_delayed()
    else:
        X = X.rechunk({1: -1})
        blocks = list(X.to_delayed().ravel())
    weights = _weight_blocks(sample_weight, X, len(blocks))
    parts = [
        delayed(summarize_block, pure=True)(block, weight)
        for block, weight in zip(blocks, weights)
    ]
    while len(parts) > 1:
        odd = [parts[-1]] if len(parts) % 2 else []
        parts = [
            delayed(_merge, pure=True)(parts[i], parts[i + 1])
            for i in range(0, len(parts) - 1, 2)
        ] + odd
    (summary,) = dask.compute(parts[0])
    return summary


def _map_rows(block, map_block, width: int, dtype):
    """``map_block(block)``; an empty block (a filter can empty a partition)
    maps to no rows, as the estimators refuse 0 samples."""
    if block.shape[0] == 0:
        return np.empty((0, width), dtype=dtype)
    return map_block(block)


def _map_partition(partition, map_block, columns, dtype):
    import pandas as pd

    values = _map_rows(partition, map_block, len(columns), dtype)
    return pd.DataFrame(values, index=partition.index, columns=columns)


def map_lazily(X, map_block, columns, width_in: int, estimator_name: str):
    """A lazy collection of X's kind: ``map_block`` over its row blocks.

    ``columns`` are the output names (a DataFrame's columns, and the
    output width); X must have ``width_in`` columns.
    """
    import pandas as pd

    meta, dtype = describe(X)
    if meta.shape[1] != width_in:
        raise ValueError(
            f"X has {meta.shape[1]} features, but {estimator_name} is expecting "
            f"{width_in} features as input."
        )
    if is_dataframe(X):
        frame_meta = pd.DataFrame(
            {name: pd.Series(dtype=dtype) for name in columns}, index=meta.index
        )
        return X.map_partitions(
            _map_partition, map_block, columns, dtype, meta=frame_meta
        )
    X = X.rechunk({1: -1})
    empty = np.empty((0, len(columns)), dtype=dtype)
    chunks = (X.chunks[0], (len(columns),))
    width = len(columns)
    return X.map_blocks(
        _map_rows, map_block, width, dtype, dtype=dtype, meta=empty, chunks=chunks
    )
