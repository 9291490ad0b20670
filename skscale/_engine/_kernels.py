"""Blocked and threaded primitives behind skscale's fits and transforms.

A C-ordered ``(n, d)`` array is walked in row blocks of about
``BLOCK_ELEMENTS`` values, small enough to stay in the L2 cache: every
statistic of a fit, and the check and the map of a transform, read a block
while it is in cache, so the data crosses the memory bus once. Column
reductions fold each block as ``(r / k, k * d)`` rows (``k * d`` about
``FOLD_WIDTH``): numpy's axis-0 reduction then runs long inner loops instead
of ``d``-long ones. Large arrays are split into contiguous runs of blocks,
one per thread (numpy releases the GIL in these loops).

Threads and block sizes are settings of :mod:`skscale._engine._config`
(``skscale.config_context``): each entry point reads them once, in the
calling thread, and passes them to its workers.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from skscale._engine._config import get_config

_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()
if hasattr(os, "register_at_fork"):
    # A forked child has none of the parent's threads: start new pools there.
    os.register_at_fork(after_in_child=_pools.clear)


def _pool(n_workers: int) -> ThreadPoolExecutor:
    with _pools_lock:
        pool = _pools.get(n_workers)
        if pool is None:
            pool = ThreadPoolExecutor(n_workers, thread_name_prefix="skscale")
            _pools[n_workers] = pool
        return pool


def fold_rows(n_features: int, config: dict) -> int:
    """Rows folded into one wide row of about ``fold_width`` values."""
    return max(1, config["fold_width"] // max(n_features, 1))


def block_rows(n_features: int, elements: int, config: dict) -> int:
    """Rows per block of about ``elements`` values: a multiple of
    :func:`fold_rows` unless forced by the ``block_rows`` setting."""
    if config["block_rows"] is not None:
        return max(1, int(config["block_rows"]))
    k = fold_rows(n_features, config)
    return max(k, elements // (max(n_features, 1) * k) * k)


def workers_for(n_elements: int, n_tasks: int, config: dict) -> int:
    """Threads for an array of ``n_elements`` split into ``n_tasks`` parts."""
    if n_elements < config["parallel_min_elements"]:
        return 1
    return max(1, min(int(config["n_threads"]), n_tasks))


def row_ranges(
    n_rows: int, n_features: int, config: dict, kind: str = "block_elements"
) -> tuple[list[tuple[int, int]], int]:
    """Contiguous runs of whole blocks, one per worker, and the block size.

    ``kind`` names the setting that sizes the blocks (``"block_elements"``
    for fits, ``"transform_block_elements"`` for transforms).
    """
    # Never more rows than X has: the scratch buffers are sized by a block.
    rows = min(block_rows(n_features, config[kind], config), max(n_rows, 1))
    n_blocks = -(-n_rows // rows)
    workers = workers_for(n_rows * n_features, n_blocks, config)
    per_worker = -(-n_blocks // workers) * rows
    ranges = [
        (start, min(n_rows, start + per_worker))
        for start in range(0, n_rows, per_worker)
    ]
    return ranges or [(0, 0)], rows


def run_parallel(function, tasks: list) -> list:
    """``[function(*task) for task in tasks]``, the first on this thread.

    Each task is one thread's share (callers size ``tasks`` from the
    ``n_threads`` setting). Every task finishes before this returns or
    raises, so no worker still writes into a buffer the caller has given up on.
    """
    if len(tasks) == 1:
        return [function(*tasks[0])]
    pool = _pool(len(tasks) - 1)
    futures = [pool.submit(function, *task) for task in tasks[1:]]
    results, error = [], None
    try:
        results.append(function(*tasks[0]))
    except BaseException as exc:  # noqa: BLE001 - re-raised below
        error = exc
    for future in futures:
        try:
            results.append(future.result())
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            error = error or exc
    if error is not None:
        raise error
    return results


def blockable(X) -> bool:
    """Whether X can take the blocked path: a C-ordered 2-D float array."""
    return (
        isinstance(X, np.ndarray)
        and X.ndim == 2
        and X.dtype in (np.float64, np.float32)
        and X.flags.c_contiguous
        and X.shape[0] > 0
        and X.shape[1] > 0
    )


def _wide(block: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """``block`` as ``(r / k, k * d)`` rows when k divides r, and the k used."""
    r, d = block.shape
    if k > 1 and r % k == 0:
        return block.reshape(r // k, k * d), k
    return block, 1


def _fold(ufunc, wide: np.ndarray, d: int, **kwargs) -> np.ndarray:
    part = ufunc.reduce(wide, axis=0, **kwargs)
    if part.size == d:
        return part
    return ufunc.reduce(part.reshape(-1, d), axis=0)


def _count_true(wide: np.ndarray, d: int) -> np.ndarray:
    """Per-column number of True in a (folded) boolean block, as float64."""
    if wide.shape[0] < 256:  # counts fit a byte: numpy's fast uint8 loop
        part = np.add.reduce(wide.view(np.uint8), axis=0, dtype=np.uint8)
    else:
        part = np.add.reduce(wide, axis=0, dtype=np.intp)
    return np.add.reduce(part.reshape(-1, d), axis=0, dtype=np.intp).astype(float)


# --- fits -----------------------------------------------------------------

LEVELS = {"extremes": 0, "mean": 1, "m2": 2}


def _moments_of_range(X, start, stop, rows, level, shift, k):
    """Per-block min, max, count, sum (of ``x - shift`` for M2) and squares."""
    with np.errstate(all="ignore"):  # per thread: errstate is thread-local
        return _moments_of_blocks(X, start, stop, rows, level, shift, k)


def _moments_of_blocks(X, start, stop, rows, level, shift, k):
    d = X.shape[1]
    scratch = np.empty(rows * d) if level else None
    mask_buffer = np.empty(rows * d, dtype=bool)
    mins, maxs, counts, sums, squares = [], [], [], [], []
    for begin in range(start, stop, rows):
        block = X[begin : min(begin + rows, stop)]
        r = block.shape[0]
        values = block
        if level == 0:
            # A NaN-propagating minimum tells whether the block holds NaN.
            mins.append(_fold(np.minimum, _wide(block, k)[0], d))
            maxs.append(_fold(np.fmax, _wide(block, k)[0], d))
            clean = not np.isnan(mins[-1]).any()
            if not clean:
                mins[-1] = _fold(np.fmin, _wide(block, k)[0], d)
        else:
            mins.append(_fold(np.fmin, _wide(block, k)[0], d))
            maxs.append(_fold(np.fmax, _wide(block, k)[0], d))
            if level == 2:
                # Shifted values: their squares sum to M2 without cancellation.
                values = scratch[: r * d].reshape(r, d)
                np.subtract(block.reshape(-1), shift[: r * d], out=values.reshape(-1))
            # float32 is summed in float64 (exact accumulation) by the
            # reduction's own cast: no float64 copy of the block to write.
            column_sum = _fold(np.add, _wide(values, k)[0], d, dtype=np.float64)
            clean = np.isfinite(column_sum).all()
        mask = None
        if clean:
            count = np.full(d, float(r))
        else:
            mask = mask_buffer[: r * d].reshape(r, d)
            np.isnan(block, out=mask)
            count = r - _count_true(_wide(mask, k)[0], d)
        counts.append(count)
        if level == 0:
            continue
        if mask is not None:
            if values is block:
                values = scratch[: r * d].reshape(r, d)
                np.copyto(values, block)
            np.copyto(values, 0.0, where=mask)
            column_sum = _fold(np.add, _wide(values, k)[0], d)
        sums.append(column_sum)
        if level == 2:
            wide = _wide(values, k)[0]
            part = np.einsum("ij,ij->j", wide, wide)
            squares.append(np.add.reduce(part.reshape(-1, d), axis=0))
    return mins, maxs, counts, sums, squares


def _shift(X, rows):
    """Each column's mean over the first block, within its range (0 if none)."""
    first = X[:rows].astype(np.float64)
    with np.errstate(all="ignore"):
        observed = ~np.isnan(first)
        mean = np.where(observed, first, 0.0).sum(axis=0) / observed.sum(axis=0)
        low, high = np.fmin.reduce(first, axis=0), np.fmax.reduce(first, axis=0)
        return np.nan_to_num(np.fmin(np.fmax(mean, low), high), posinf=0, neginf=0)


def blocked_moments(X: np.ndarray, needs: str = "m2"):
    """``(count, min, max, mean, m2)`` of a :func:`blockable` X, NaN ignored.

    ``needs`` is ``"extremes"`` (count, min and max; mean and M2 are NaN),
    ``"mean"`` (M2 NaN) or ``"m2"``. For M2, every block sums ``x - c`` and
    its squares, with ``c`` the first block's mean: block M2s and means then
    merge exactly (Chan et al.), and a constant column stays exactly constant.
    Returns None when a sum overflowed although the values are finite (the
    caller then takes the simple path, which sums ``x / n``).
    """
    level = LEVELS[needs]
    d = X.shape[1]
    config = get_config()
    k = fold_rows(d, config)
    ranges, rows = row_ranges(*X.shape, config)
    shift_row = _shift(X, rows) if level == 2 else np.zeros(d)
    shift = np.tile(shift_row, min(rows, X.shape[0])) if level == 2 else None
    parts = run_parallel(
        _moments_of_range, [(X, a, b, rows, level, shift, k) for a, b in ranges]
    )
    mins, maxs, counts, sums, squares = (
        np.array([row for part in parts for row in part[i]]) for i in range(5)
    )
    col_min = np.fmin.reduce(mins, axis=0).astype(np.float64)
    col_max = np.fmax.reduce(maxs, axis=0).astype(np.float64)
    count = counts.sum(axis=0)
    nan = np.full(d, np.nan)
    if level == 0:
        return count, col_min, col_max, nan, nan.copy()
    finite = np.isfinite(col_min) & np.isfinite(col_max)
    with np.errstate(all="ignore"):
        shifted_mean = sums.sum(axis=0) / count
        mean = shift_row + shifted_mean
        if np.any(~np.isfinite(mean) & finite):
            return None
        mean = np.fmin(np.fmax(mean, col_min), col_max)
        if level == 1:
            return count, col_min, col_max, mean, nan
        block_means = np.zeros_like(sums)
        np.divide(sums, counts, out=block_means, where=counts > 0)
        within = squares - counts * block_means**2
        between = counts * (block_means - shifted_mean) ** 2
        m2 = np.maximum(within.sum(axis=0) + between.sum(axis=0), 0.0)
        m2 = np.where(count > 0, m2, 0.0)
    if np.any(~np.isfinite(m2) & finite):
        return None
    return count, col_min, col_max, mean, m2


# --- transforms -------------------------------------------------------------


def _rejected(block, offset, k) -> bool:
    """Whether a block holds ±inf or, with ``offset``, ``x + offset <= 0``."""
    if np.isinf(block).any():
        return True
    if offset is None:
        return False
    col_min = _fold(np.fmin, _wide(block, k)[0], block.shape[1])
    return bool(np.any(col_min + offset <= 0))


def _transform_range(X, out, start, stop, rows, spec):
    with np.errstate(all="ignore"):  # per thread: errstate is thread-local
        return _transform_blocks(X, out, start, stop, rows, spec)


def _transform_blocks(X, out, start, stop, rows, spec):
    """One worker's blocks in one of three modes (see blocked_transform)."""
    mode, function, params, offset, restore_nan, scan_output, k = spec
    min_offset = None if offset is None else np.min(offset)
    bad = False
    for begin in range(start, stop, rows):
        end = min(begin + rows, stop)
        block = X[begin:end]
        x = block.reshape(-1)
        o = out[begin:end].reshape(-1)
        tiled = [p[: x.size] for p in params]
        if mode == "scan":
            finite = np.isfinite(np.add.reduce(x))
            bad = bad or (not finite and np.isinf(x).any())
            # A flat minimum clears most blocks at once; columns only if not.
            if offset is not None and not np.fmin.reduce(x) + min_offset > 0:
                bad = bad or _rejected(block, offset, k)
        elif mode == "in place":
            # The NaN mask is taken before the map overwrites x.
            nan = None
            if restore_nan and not np.isfinite(np.add.reduce(x)):
                nan = np.isnan(x)
            function(np, x, o, *tiled)
            if nan is not None:
                np.copyto(o, np.nan, where=nan)
        else:
            # Scanning after the map reads data already in cache; a map that
            # keeps ±inf (and turns x + offset <= 0 into NaN or -inf) can be
            # scanned on its output. Only non-finite blocks are inspected.
            # A map that does not (a log composed with a clip) turns
            # out-of-domain values into finite ones or NaN, so its input is
            # checked against the domain: a flat minimum clears most blocks.
            function(np, x, o, *tiled)
            out_of_domain = (
                offset is not None
                and not scan_output
                and not np.fmin.reduce(x) + min_offset > 0
            )
            if out_of_domain or not np.isfinite(np.add.reduce(o if scan_output else x)):
                bad = bad or _rejected(block, offset, k)
                if restore_nan:
                    np.copyto(o, x, where=np.isnan(x))
    return bad


def blocked_transform(
    X, out, function, params, *, offset=None, restore_nan=False, scan_output=False
):
    """Map a :func:`blockable` X into ``out`` (X itself, or C-ordered like X).

    ``function(np, x, o, *params)`` maps flat blocks elementwise; ``params`` are
    the per-column parameters, tiled here to a block. Every block is checked
    for ±inf and, with ``offset``, for ``x + offset <= 0``: after it is mapped
    into a new ``out`` (by a sum over its output when ``scan_output``: the
    map must then turn those values into ±inf or NaN), or, when ``out`` is X,
    over all of X before anything is written, so that a rejected X is left
    unchanged. With ``restore_nan`` (a map that does not keep NaN), NaN is
    copied back over the output. Returns False when a check failed: the
    caller then finds and names the culprits.
    """
    config = get_config()
    k = fold_rows(X.shape[1], config)
    ranges, rows = row_ranges(*X.shape, config, "transform_block_elements")
    tile_rows = min(rows, X.shape[0])
    tiled = [np.tile(np.asarray(p, dtype=X.dtype), tile_rows) for p in params]
    modes = ["scan", "in place"] if out is X else ["fused"]
    for mode in modes:
        spec = (mode, function, tiled, offset, restore_nan, scan_output, k)
        tasks = [(X, out, a, b, rows, spec) for a, b in ranges]
        if any(run_parallel(_transform_range, tasks)):
            return False
    return True
