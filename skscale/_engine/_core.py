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
from skscale._engine._checks import (
    check_domain,
    check_summary_covers,
    refuse_densifying,
    refuse_sparse_by_tag,
)
from skscale._engine._kernels import blockable, blocked_transform
from skscale._engine._map import Map, identity  # noqa: F401 - the contract's types
from skscale._engine._probe import probe_map
from skscale._engine._sparse import canonical, entry_columns, sparse_extremes
from skscale._engine._stats import column_extremes
from skscale._engine._validation import (
    FLOAT_DTYPES,
    check_float_array,
    feature_names_or_default,
    is_dask,
    reject_infinite,
)
from skscale._engine._xp_stats import column_extremes as device_extremes
from skscale._engine._xp_stats import summarize


@dataclass(frozen=True)
class FitPlan:
    """What a fit reads from each chunk of rows.

    ``summarize(xp, X, sample_weight, *, percents, needs)`` returns a chunk's
    summary (with ``stats``, ``sketch`` and ``merge``) and its exact
    percentiles, for X of namespace ``xp`` (NumPy, or a device's); the
    default is :func:`skscale._engine._xp_stats.summarize`, which accepts
    dense and sparse NumPy chunks and device arrays.
    """

    needs: str = "extremes"
    percents: tuple = ()
    summarize: Callable = summarize


# --- fit ---------------------------------------------------------------------


def _chunk_summary(estimator, plan, X, sample_weight, xp=np):
    """A validated chunk's summary and exact percentiles; ±inf rejected."""
    summary, exact = plan.summarize(
        xp, X, sample_weight, percents=plan.percents or None, needs=plan.needs
    )
    # reject_infinite reads only X's shape from X: a placeholder will do.
    shape = np.zeros((min(X.shape[0], 1), X.shape[1]))
    reject_infinite(estimator, shape, summary.stats.min, summary.stats.max)
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
    """``fit`` (``reset=True``) and ``partial_fit`` of any transformer, on
    any input (NumPy dense or sparse, Dask, another Array API namespace).

    The chunk's summary is merged into the one kept from earlier calls; the
    estimator is left as it was when the chunk is refused. On a device, only
    the plumbing differs (:mod:`skscale._engine._xp_engine`): validation to
    its dtypes, and the fitted attributes moved there at the end.
    """
    plan = estimator._fit_plan()  # its parameter errors first
    namespace = _xp_engine.dispatched(X)  # torch, CuPy, array-api-strict
    xp = np if namespace is None else namespace[0]
    if namespace is not None:
        _xp_engine.refuse_numpy_only(estimator, probe_map(estimator))
    with unchanged_on_error(estimator):
        if reset:
            estimator.__dict__.pop("_summary", None)
        first = not hasattr(estimator, "_summary")
        if not first:
            check_summary_covers(estimator, plan)
        if is_dask(X):
            summary, dtype = _dask_summary(estimator, plan, X, sample_weight, first)
            exact, X = None, None
        else:
            X, sample_weight, dtype = _validated(
                estimator, X, sample_weight, namespace, first
            )
            summary, exact = _chunk_summary(estimator, plan, X, sample_weight, xp)
        if not first:
            summary = estimator._summary.merge(summary)
        quantiles = exact
        if plan.percents and (exact is None or not first):
            quantiles = summary.sketch.quantiles(np.asarray(plan.percents) / 100)
        estimator._learn(summary, quantiles, dtype)
        fitted_map = estimator._map()
        if namespace is not None:
            _xp_engine.refuse_numpy_only(estimator, fitted_map)
        check_domain(estimator, fitted_map, X, summary.stats.min, xp)
        estimator.n_samples_seen_ = summary.stats.count
        host = None
        if namespace is not None:
            host = _xp_engine.to_device(estimator, summary, namespace)
    estimator._summary = summary
    estimator.__dict__.pop("_xp_host", None)
    if host is not None:
        estimator._xp_host = host
    return estimator


def _validated(estimator, X, sample_weight, namespace, first):
    """X and the weights validated, and the dtype the contract learns in."""
    if namespace is not None:
        return _xp_engine.validate(estimator, X, sample_weight, namespace, reset=first)
    X = check_float_array(estimator, X, reset=first, accept_sparse=["csr", "csc"])
    if sparse.issparse(X):
        refuse_sparse_by_tag(estimator, fitting=True)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
    return X, sample_weight, X.dtype


# --- transform ----------------------------------------------------------------


def _transform_block(estimator, block):
    return transform(estimator, block)


def transform(estimator, X, *, inverse: bool = False):
    """The fitted map (or its inverse) of X: dense, sparse, Dask or Array API."""
    namespace = _xp_engine.dispatched(X)
    if namespace is not None:
        return _transform_on_device(estimator, X, namespace, inverse)
    _xp_engine.check_namespace(estimator, X, inverse)
    check_is_fitted(estimator)
    if vars(estimator).get("_xp_host") is None:
        fitted_map = estimator._map()
    else:  # fitted on another namespace, used with dispatch off: the map
        # of the attributes' NumPy copies (a map's functions read NumPy here)
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
        refuse_sparse_by_tag(estimator)
        verb = "cannot inverse-transform" if inverse else "cannot transform"
        refuse_densifying(estimator, fitted_map, ValueError, verb)
        if _sparse_may_fail(X, fitted_map):
            col_min, col_max = sparse_extremes(X)
            reject_infinite(estimator, X, col_min, col_max)
            check_domain(estimator, fitted_map, X, col_min)
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
        check_domain(estimator, fitted_map, X, col_min)
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


def _transform_on_device(estimator, X, namespace, inverse):
    """The fitted map (or its inverse) of an Array API array, on its device:
    the checks and the map's function are those of every path."""
    xp, _ = namespace
    check_is_fitted(estimator)
    _xp_engine.check_namespace(estimator, X, inverse)
    fitted_map = _xp_engine.fitted_map(estimator, on_device=True)
    _xp_engine.refuse_numpy_only(estimator, fitted_map)
    if inverse:
        fitted_map = fitted_map.inverse
    X, _, _ = _xp_engine.validate(estimator, X, None, namespace, reset=False)
    col_min, col_max = device_extremes(xp, X)
    reject_infinite(estimator, np.zeros((1, X.shape[1])), col_min, col_max)
    check_domain(estimator, fitted_map, X, col_min, xp)
    params = _xp_engine.on_device(xp, X, fitted_map.params)
    with np.errstate(all="ignore"):  # NumPy-backed namespaces warn on log(-1)
        out = fitted_map.function(xp, X, None, *params)
        if not fitted_map.keeps_nan:
            out = xp.where(xp.isnan(X), xp.nan, out)
    return out
