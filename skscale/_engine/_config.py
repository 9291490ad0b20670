"""Threads and block sizes of skscale's kernels, as configuration.

``set_config`` changes the settings for the whole process, ``config_context``
for a block of code (and only in the thread that enters it, as
``sklearn.config_context``), and ``get_config`` reads them. The kernels read
the settings once per call, in the calling thread, and hand them to their
worker threads, so a context entered by one thread never changes another's
running computation. Results never depend on these settings, only speed does.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from numbers import Integral


def _threads_from_environment() -> int:
    value = os.environ.get("SKSCALE_NUM_THREADS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(os.cpu_count() or 1, 8))


_global_config = {
    "n_threads": _threads_from_environment(),
    "parallel_min_elements": 1_000_000,
    "block_elements": 1 << 17,
    "transform_block_elements": 1 << 16,
    "fold_width": 1024,
    "block_rows": None,
}
_local = threading.local()


def _current() -> dict:
    if not hasattr(_local, "config"):
        _local.config = _global_config.copy()
    return _local.config


def get_config() -> dict:
    """The current settings, as a new dict (see :func:`set_config`)."""
    return _current().copy()


def set_config(
    n_threads=None,
    parallel_min_elements=None,
    block_elements=None,
    transform_block_elements=None,
    fold_width=None,
    block_rows=None,
) -> None:
    """Set skscale's kernel settings for this thread and those started later.

    Parameters
    ----------
    n_threads : int, default=None
        Threads for one fit or transform of a large array, the calling thread
        included; 1 turns threading off. Defaults to the environment variable
        ``SKSCALE_NUM_THREADS``, else ``min(os.cpu_count(), 8)``.
    parallel_min_elements : int, default=None
        Arrays with fewer values run on the calling thread only (1,000,000).
    block_elements : int, default=None
        Values per row block in fits, small enough for the L2 cache (2**17).
    transform_block_elements : int, default=None
        Values per row block in transforms, whose block, output and tiled
        parameters share the cache (2**16).
    fold_width : int, default=None
        Values per folded row in column reductions (1024).
    block_rows : int, default=None
        Rows per block, overriding the two block sizes when set (tests use it
        to cross many block boundaries on small arrays). Pass 0 to unset it.

    Examples
    --------
    >>> import skscale
    >>> previous = skscale.get_config()["n_threads"]
    >>> skscale.set_config(n_threads=2)
    >>> skscale.get_config()["n_threads"]
    2
    >>> skscale.set_config(n_threads=previous)
    """
    changes = _validated(
        n_threads=n_threads,
        parallel_min_elements=parallel_min_elements,
        block_elements=block_elements,
        transform_block_elements=transform_block_elements,
        fold_width=fold_width,
        block_rows=block_rows,
    )
    _current().update(changes)
    _global_config.update(changes)


def _validated(**settings) -> dict:
    """The settings given (not None) as plain ints, all checked before any is
    applied: a rejected call changes nothing."""
    changes = {}
    for name, value in settings.items():
        if value is None:
            continue
        integer = isinstance(value, Integral) and not isinstance(value, bool)
        lowest = 0 if "min" in name or name == "block_rows" else 1
        if not (integer and value >= lowest):
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
        changes[name] = None if name == "block_rows" and value == 0 else int(value)
    return changes


@contextmanager
def config_context(**settings):
    """Use other kernel settings inside a ``with`` block, in this thread.

    Takes the parameters of :func:`set_config`; the previous settings come
    back on exit, even after an error.

    Examples
    --------
    >>> import numpy as np
    >>> import skscale
    >>> X = np.random.default_rng(0).normal(size=(1000, 3))
    >>> with skscale.config_context(n_threads=1):
    ...     serial = skscale.ZScoreScaler().fit(X).mean_
    >>> bool(np.array_equal(serial, skscale.ZScoreScaler().fit(X).mean_))
    True
    """
    unknown = set(settings) - set(_global_config)
    if unknown:
        raise TypeError(f"Unknown skscale settings: {sorted(unknown)}.")
    changes = _validated(**settings)
    saved = get_config()
    # Only this thread's settings change: the process default is never
    # written, so contexts entered by several threads cannot race on it.
    _current().update(changes)
    try:
        yield
    finally:
        _current().clear()
        _current().update(saved)
