"""The engine: every transformer's fit and transform, on every kind of input.

The contract
------------
A transformer (:class:`skscale.preprocessing._base.ColumnwiseTransformer`)
declares three things and nothing about threads, sparse matrices or Dask:

``_fit_plan() -> FitPlan``
    Which column statistics its fit needs (``"extremes"``, ``"mean"`` or
    ``"m2"``) and which percentiles; it may raise on parameters that
    contradict each other (checked at the top of every fit).
``_learn(summary, quantiles, dtype) -> None``
    Sets the public fitted attributes from the merged summary
    (``summary.stats`` is a :class:`skscale._engine._stats.ColumnStats`), the
    percentiles of the plan (shape ``(len(percents), n_features)``: exact in
    a fit from scratch, from the merged sketch otherwise) and the dtype of
    the data.
``_map() -> Map``
    The fitted map: an elementwise function of (values, per-column
    parameters), its parameters, its inverse where one exists, and the
    log's domain offset where there is one.

``_map`` may read nothing but the public fitted attributes (a Dask worker
gets only those). Everything else is derived here from those three, by
evaluating the map (:class:`skscale._engine._map.Map`) on a few probe values rather
than from per-class declarations: whether sparse input is accepted (does the
map send 0 to 0? before fit: the map learned from a mostly-zero probe column,
which is the ``sparse`` input tag), whether the checks for ±inf and the
domain may read the map's output (does it keep ±inf, and turn
``x + offset <= 0`` into NaN or ±inf?), whether NaN must be copied back (does
it keep NaN?), and whether ``inverse_transform`` exists (before fit: on the
probe's map). A fit that raises leaves the estimator as it was.

A plan may also name its own chunk summary (``FitPlan.summarize``, with
``stats``, ``sketch`` and ``merge``), as AutoScaler's does: the engine merges
it like any other.

Paths: dense arrays (simple, or blocked on threads by :mod:`skscale._engine._kernels`
when C-ordered), scipy.sparse CSR/CSC (the map on the stored entries), and
Dask arrays and DataFrames (one ``dask.compute`` in fit, through
:mod:`skscale._engine._dask`; a lazy transform of the same kind, names kept), and other
Array API namespaces on their device (:mod:`skscale._engine._xp_engine`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import check_array

from skscale._compat import _check_sample_weight, check_is_fitted, validate_data
from skscale._engine import _dask, _xp_engine
from skscale._engine._kernels import blockable, blocked_transform
from skscale._engine._map import Map, identity  # noqa: F401 - the contract's types
from skscale._engine._probe import parameters, probe_map
from skscale._engine._sparse import (
    canonical,
    count_nonpositive,
    entry_columns,
    sparse_extremes,
)
from skscale._engine._stats import column_extremes, summarize
from skscale._engine._validation import (
    FLOAT_DTYPES,
    check_float_array,
    feature_names_or_default,
    is_dask,
    reject_infinite,
)


@dataclass(frozen=True)
class FitPlan:
    """What a fit reads from each chunk of rows.

    ``summarize(X, sample_weight, *, percents, needs)`` returns a chunk's
    summary (with ``stats``, ``sketch`` and ``merge``) and its exact
    percentiles; the default is :func:`skscale._engine._stats.summarize`, which
    accepts dense and sparse chunks.
    """

    needs: str = "extremes"
    percents: tuple = ()
    summarize: Callable = summarize


# --- fit ---------------------------------------------------------------------


def _chunk_summary(estimator, plan, X, sample_weight):
    """A validated chunk's summary and exact percentiles; ±inf rejected."""
    summary, exact = plan.summarize(
        X, sample_weight, percents=plan.percents or None, needs=plan.needs
    )
    reject_infinite(estimator, X, summary.stats.min, summary.stats.max)
    return summary, exact


@dataclass(frozen=True)
class _Counted:
    """A block's summary, its row count and whether any weight is positive:
    the totals let a Dask fit refuse what the NumPy path refuses."""

    summary: object
    rows: int
    positive: bool

    def merge(self, other):
        return _Counted(
            self.summary.merge(other.summary),
            self.rows + other.rows,
            self.positive or other.positive,
        )


def _summarize_block(estimator, plan, block, weight):
    from sklearn.utils.validation import check_non_negative

    X = check_array(
        block, dtype=FLOAT_DTYPES, ensure_all_finite=False, ensure_min_samples=0
    )
    if weight is not None:
        # Refused as the NumPy path refuses them (NaN, ±inf, negative); all
        # zero is checked on the total, one block of zero weight is fine.
        weight = check_array(
            np.asarray(weight).ravel(),
            ensure_2d=False,
            dtype=np.float64,
            ensure_min_samples=0,
            input_name="sample_weight",
        )
        check_non_negative(weight, "`sample_weight`")
    summary = _chunk_summary(estimator, plan, X, weight)[0]
    positive = weight is None or bool(np.any(weight > 0))
    return _Counted(summary, X.shape[0], positive)


def _dask_summary(estimator, plan, X, sample_weight, first):
    """The merged summary of a Dask collection, in one ``dask.compute``."""
    meta, dtype = _dask.describe(X)
    validate_data(estimator, meta, reset=first, skip_check_array=True)
    worker = _light_copy(estimator, fitted=False)
    block = partial(_summarize_block, worker, plan)
    counted = _dask.summarize_blocks(X, sample_weight, block)
    if counted.rows == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape=(0, {meta.shape[1]})) while a "
            f"minimum of 1 is required by {type(estimator).__name__}."
        )
    if sample_weight is not None and not counted.positive:
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return counted.summary, dtype


def _light_copy(estimator, fitted: bool):
    """A copy to ship to Dask workers: parameters, feature names and, for a
    transform, the fitted attributes (never the summary)."""
    worker = clone(estimator)
    for name, value in vars(estimator).items():
        if name in ("n_features_in_", "feature_names_in_") or (
            fitted and name.endswith("_") and not name.startswith("_")
        ):
            setattr(worker, name, value)
    if hasattr(worker, "copy"):
        worker.copy = True  # dask's blocks are never written to
    return worker


@contextmanager
def unchanged_on_error(estimator):
    """Restore ``estimator.__dict__`` as it was if the block raises: a failed
    call must not leave half-updated statistics. Fitted attributes are
    replaced, never written in place, so a shallow copy is enough."""
    saved = dict(vars(estimator))
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise


def fit(estimator, X, sample_weight=None, *, reset: bool):
    """``fit`` (``reset=True``) and ``partial_fit`` of any transformer.

    The chunk's summary is merged into the one kept from earlier calls; the
    estimator is left as it was when the chunk is refused.
    """
    if _xp_engine.dispatched(X):  # torch, CuPy, array-api-strict: on X's device
        return _xp_engine.fit(
            estimator,
            X,
            sample_weight,
            reset=reset,
            guard=unchanged_on_error,
            check_covers=_check_summary_covers,
        )
    plan = estimator._fit_plan()
    with unchanged_on_error(estimator):
        if reset:
            estimator.__dict__.pop("_summary", None)
        first = not hasattr(estimator, "_summary")
        if not first:
            _check_summary_covers(estimator, plan)
        if is_dask(X):
            summary, dtype = _dask_summary(estimator, plan, X, sample_weight, first)
            exact, X = None, None
        else:
            X = check_float_array(
                estimator, X, reset=first, accept_sparse=["csr", "csc"]
            )
            if sparse.issparse(X):
                _refuse_sparse_by_tag(estimator, fitting=True)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(
                    sample_weight, X, dtype=np.float64, ensure_non_negative=True
                )
            summary, exact = _chunk_summary(estimator, plan, X, sample_weight)
            dtype = X.dtype
        if not first:
            summary = estimator._summary.merge(summary)
        quantiles = exact
        if plan.percents and (exact is None or not first):
            quantiles = summary.sketch.quantiles(np.asarray(plan.percents) / 100)
        estimator._learn(summary, quantiles, dtype)
        _check_domain(estimator, estimator._map(), X, summary.stats.min)
    estimator._summary = summary
    estimator.n_samples_seen_ = summary.stats.count
    return estimator


# --- checks ------------------------------------------------------------------


def _check_summary_covers(estimator, plan) -> None:
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


def _refuse_sparse_by_tag(estimator, *, fitting: bool = False) -> None:
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


def _refuse_densifying(estimator, fitted_map, error, verb) -> None:
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


def _check_domain(estimator, fitted_map, X, col_min) -> None:
    """Raise where ``X + offset <= 0``, naming columns (and counting values)."""
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
            counts = np.sum(X[:, bad] + offset[bad] <= 0, axis=0)
        found = [f"{n} values" for n in counts]
    listed = ", ".join(f"{names[j]!r} ({n})" for j, n in zip(bad[:10], found[:10]))
    raise ValueError(
        fitted_map.domain_message.format(
            estimator=type(estimator).__name__, columns=listed
        )
    )


# --- transform ----------------------------------------------------------------


def _transform_block(estimator, block):
    return transform(estimator, block)


def transform(estimator, X, *, inverse: bool = False):
    """The fitted map (or its inverse) of X: dense, sparse, Dask or Array API."""
    if _xp_engine.dispatched(X):
        return _xp_engine.transform(estimator, X, inverse=inverse)
    _xp_engine.check_namespace(estimator, X, inverse)
    check_is_fitted(estimator)
    # Fitted on another namespace, used with dispatch off: the map of the
    # attributes' NumPy copies (a map's functions read NumPy).
    fitted_map = _xp_engine.fitted_map(estimator)
    names_out = estimator.get_feature_names_out()
    names_in = feature_names_or_default(estimator, estimator.n_features_in_)
    width_in = estimator.n_features_in_
    if inverse:
        fitted_map, names_in, names_out = fitted_map.inverse, names_out, names_in
        width_in = len(names_in)
    if is_dask(X):
        worker = _light_copy(estimator, fitted=True)
        function = partial(_inverse_block if inverse else _transform_block, worker)
        name = type(estimator).__name__
        return _dask.map_lazily(X, function, list(names_out), width_in, name)
    if fitted_map.reduce is not None:
        # An encoding back to its features: not the fitted features' width.
        X = check_array(X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        if X.shape[1] != width_in:
            raise ValueError(
                f"X has {X.shape[1]} columns, but {type(estimator).__name__} "
                f"encodes {estimator.n_features_in_} features into {width_in} "
                "columns."
            )
        out = np.empty((X.shape[0], len(fitted_map.reduce)), dtype=X.dtype)
        return fitted_map(X, out)
    X = check_float_array(
        estimator, X, reset=None if inverse else False, accept_sparse=["csr", "csc"]
    )
    copy = getattr(estimator, "copy", True)
    if sparse.issparse(X):
        _refuse_sparse_by_tag(estimator)
        verb = "cannot inverse-transform" if inverse else "cannot transform"
        _refuse_densifying(estimator, fitted_map, ValueError, verb)
        if _sparse_may_fail(X, fitted_map):
            col_min, col_max = sparse_extremes(X)
            reject_infinite(estimator, X, col_min, col_max)
            _check_domain(estimator, fitted_map, X, col_min)
        # Duplicate entries of a cell are summed first (on a copy): the maps
        # are not additive, log(2) + log(3) is not log(2 + 3).
        summed = canonical(X)
        out = summed if summed is not X else X
        if out is X and (copy or not X.data.flags.writeable):
            out = X.copy()
        fitted_map(out.data, out.data, columns=entry_columns(out))
        return out
    if fitted_map.source is not None:
        # One input column feeds several output columns: checked here, then
        # mapped in place on the gathered copy.
        reject_infinite(estimator, X, *column_extremes(X))
        X, copy = np.take(X, fitted_map.source, axis=1), False
    # Read-only input (a copy-on-write frame's values, a read-only memory
    # map) goes to a new array, as scikit-learn's scalers do with copy=False.
    out = np.empty_like(X) if copy or not X.flags.writeable else X
    if blockable(X) and fitted_map.elementwise or fitted_map.source is not None:
        done = blockable(X) and blocked_transform(
            X,
            out,
            fitted_map.function,
            fitted_map.params,
            offset=fitted_map.domain_offset,
            restore_nan=not fitted_map.keeps_nan,
            scan_output=fitted_map.keeps_non_finite,
        )
        if done:
            return out
    if fitted_map.source is None:
        col_min, col_max = column_extremes(X)
        reject_infinite(estimator, X, col_min, col_max)
        _check_domain(estimator, fitted_map, X, col_min)
    return fitted_map(X, out)


def _sparse_may_fail(X, fitted_map) -> bool:
    """Whether a sparse X may hold ±inf or leave the map's domain, from its
    smallest and largest stored values: that clears most matrices without
    the per-column extremes (a scatter per statistic), which are computed
    only to name the columns when this says they may fail."""
    if not X.data.size:
        return fitted_map.domain_offset is not None  # cheap to check exactly
    lowest, highest = np.fmin.reduce(X.data), np.fmax.reduce(X.data)  # NaN skipped
    if np.isinf(lowest) or np.isinf(highest):
        return True
    offset = fitted_map.domain_offset
    if offset is None:
        return False
    # Implicit zeros count as values; all-NaN data leaves lowest NaN: check.
    return not min(lowest, 0.0) + np.min(offset) > 0


def _inverse_block(estimator, block):
    return transform(estimator, block, inverse=True)
