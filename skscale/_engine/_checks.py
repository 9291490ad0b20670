"""The engine's checks, on every path: domain, sparse input, kept statistics.

Each is written once: :func:`check_domain` counts the offending values on
X's namespace (NumPy, a sparse matrix or a device array).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from skscale._engine._probe import parameters, probe_map
from skscale._engine._sparse import count_nonpositive
from skscale._engine._validation import feature_names_or_default
from skscale._engine._xp_stats import host


def check_summary_covers(estimator, plan) -> None:
    """Raise if the statistics kept by earlier fits lack what the current
    parameters learn (``set_params`` between ``fit`` and ``partial_fit``,
    e.g. a fixed threshold changed to ``"mean"`` or ``"median"``)."""
    summary = estimator._summary
    stats, seen = summary.stats, summary.stats.count > 0
    level = {"extremes": 0, "mean": 1, "m2": 2}[plan.needs]
    missing = (
        (plan.percents and summary.sketch is None)
        or (level >= 1 and np.any(np.isnan(stats.mean) & seen))
        or (level >= 2 and np.any(np.isnan(stats.m2) & seen))
    )
    if missing:
        params = parameters(estimator).items()
        listed = ", ".join(f"{k}={v!r}" for k, v in params if k != "copy")
        raise ValueError(
            f"{type(estimator).__name__}({listed}) cannot continue with "
            "partial_fit: the earlier fit did not keep the statistics these "
            "parameters learn from (they were changed after fit, e.g. with "
            "set_params). Call fit to start again."
        )


def refuse_sparse_by_tag(estimator, *, fitting: bool = False) -> None:
    """Refuse sparse input unless the map of a mostly-zero column keeps zeros
    (the ``sparse`` input tag): a TypeError, as scikit-learn's estimators
    raise for sparse input they do not take. The fitted map is checked
    again at transform, as learned parameters may still move zeros. Without
    a probe (a plan that summarizes dense chunks only), a fit lets the plan
    say why."""
    probe = probe_map(estimator, sparse_input=True)
    if probe is None:
        if fitting:
            return
        raise TypeError(
            f"{estimator!r} does not accept sparse input: it learns from dense "
            "columns only; convert X with X.toarray() first."
        )
    if probe.keeps_zero.all():
        return
    raise TypeError(
        f"{estimator!r} does not accept sparse input: its map sends 0 to a "
        "nonzero value, which would densify the matrix; "
        f"{probe.zero_advice or 'convert X with X.toarray() first.'}"
    )


def refuse_densifying(estimator, fitted_map, error, verb) -> None:
    moved = np.flatnonzero(~fitted_map.keeps_zero)
    if not moved.size:
        return
    names = feature_names_or_default(estimator, len(fitted_map.keeps_zero))
    listed = ", ".join(repr(names[j]) for j in moved[:10])
    raise error(
        f"{estimator!r} {verb} sparse input: its map sends 0 to a nonzero value "
        f"in column(s) {listed}, which would densify the matrix; "
        f"{fitted_map.zero_advice or 'convert X with X.toarray() first.'}"
    )


def check_domain(estimator, fitted_map, X, col_min, xp=np) -> None:
    """Raise where ``X + offset <= 0``, naming columns (and counting values
    of X, on its namespace; X None: a Dask fit, the minimum is quoted)."""
    offset = fitted_map.domain_offset
    if offset is None:
        return
    bad = np.flatnonzero(col_min + offset <= 0)
    if not bad.size:
        return
    names = feature_names_or_default(estimator, len(offset))
    if X is None:
        found = [f"minimum {col_min[j]:g}" for j in bad]
    else:
        if sparse.issparse(X):
            counts = count_nonpositive(X, bad, offset[bad])
        else:
            columns = xp.take(X, xp.asarray(bad, device=X.device), axis=1)
            # In float64 on NumPy; a device may have no float64: X's dtype.
            dtype = None if xp is np else X.dtype
            shifted = columns + xp.asarray(offset[bad], dtype=dtype, device=X.device)
            counts = xp.sum(xp.astype(shifted <= 0, xp.int64), axis=0)
            counts = counts if xp is np else host(counts)
        found = [f"{int(n)} values" for n in counts]
    listed = ", ".join(f"{names[j]!r} ({n})" for j, n in zip(bad[:10], found[:10]))
    raise ValueError(
        fitted_map.domain_message.format(
            estimator=type(estimator).__name__, columns=listed
        )
    )
