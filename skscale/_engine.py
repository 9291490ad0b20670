"""The engine: every transformer's fit and transform, on every kind of input.

The contract
------------
A transformer (a :class:`skscale._base.ColumnwiseTransformer`) declares three
things and nothing about threads, sparse matrices or Dask:

``_fit_plan() -> FitPlan``
    Which column statistics its fit needs (``"extremes"``, ``"mean"`` or
    ``"m2"``) and which percentiles; it may raise on parameters that
    contradict each other (checked at the top of every fit).
``_learn(summary, quantiles, dtype) -> None``
    Sets the public fitted attributes from the merged summary
    (``summary.stats`` is a :class:`skscale._stats.ColumnStats`), the
    percentiles of the plan (shape ``(len(percents), n_features)``: exact in
    a fit from scratch, from the merged sketch otherwise) and the dtype of
    the data.
``_map() -> Map``
    The fitted map: an elementwise function of (values, per-column
    parameters), its parameters, its inverse where one exists, and the
    log's domain offset where there is one.

Everything else is derived here from those three. Whether sparse input is
accepted is read off the map (does it send 0 to 0?), whether the checks for
±inf and the domain may read the map's output (does it keep ±inf, and turn
``x + offset <= 0`` into NaN or ±inf?), whether NaN must be copied back (does
it keep NaN?), and whether ``inverse_transform`` exists.

Paths: dense arrays (simple, or blocked on threads by :mod:`skscale._kernels`
when C-ordered), scipy.sparse CSR/CSC (the map on the stored entries), and
Dask arrays and DataFrames (one ``dask.compute`` in fit, through
:mod:`skscale._dask`; a lazy transform of the same kind, names kept).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
from scipy import sparse
from sklearn.base import clone

from skscale import _dask
from skscale._compat import _check_sample_weight, check_is_fitted, validate_data
from skscale._kernels import blockable, blocked_transform
from skscale._sparse import count_nonpositive, entry_columns, sparse_extremes
from skscale._stats import column_extremes, summarize
from skscale._validation import (
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
    percentiles; the default is :func:`skscale._stats.summarize`, which
    accepts dense and sparse chunks.
    """

    needs: str = "extremes"
    percents: tuple = ()
    summarize: Callable = summarize


@dataclass(frozen=True, eq=False)
class Map:
    """An elementwise map with per-column parameters, and its domain.

    ``function(X, out, *params)`` writes the map of ``X`` into ``out`` (which
    may be ``X``) with NumPy broadcasting: ``params`` are float64 arrays of
    shape ``(n_features,)``, handed to ``function`` in X's dtype as rows of a
    2-D array, tiled over flat blocks, or gathered per stored entry of a
    sparse matrix. ``inverse`` is the inverse map, or None. Where
    ``domain_offset`` is set, the map is defined only for
    ``X + domain_offset > 0``; ``domain_message`` is the error raised
    otherwise, with ``{estimator}`` and ``{columns}`` to fill in.
    ``zero_advice`` says how to keep sparse zeros at zero when it does not.
    """

    function: Callable
    params: tuple
    inverse: Map | None = None
    domain_offset: np.ndarray | None = None
    domain_message: str = ""
    zero_advice: str = field(default="", repr=False)

    @cached_property
    def _probe(self) -> np.ndarray:
        """The map of 0, NaN, +inf, -inf and (with a domain) ``-offset``."""
        n_features = len(self.params[0]) if self.params else 1
        rows = [0.0, np.nan, np.inf, -np.inf]
        X = np.repeat(np.array(rows)[:, None], n_features, axis=1)
        if self.domain_offset is not None:
            X = np.vstack([X, -self.domain_offset])
        with np.errstate(all="ignore"):
            return self.function(X, np.empty_like(X), *self.params)

    @property
    def keeps_zero(self) -> np.ndarray:
        """Per column, whether 0 maps to 0 (then sparse input stays sparse)."""
        return self._probe[0] == 0

    @property
    def keeps_nan(self) -> bool:
        return bool(np.isnan(self._probe[1]).all())

    @property
    def keeps_non_finite(self) -> bool:
        """Whether ±inf (and ``x + offset <= 0``) come out non-finite, so
        that the checks may read the output instead of the input."""
        return not np.isfinite(self._probe[2:]).any()

    def __call__(self, X, out, columns=None):
        """Apply the map with the parameters in X's dtype (see the class)."""
        params = [np.asarray(p, dtype=X.dtype) for p in self.params]
        if columns is not None:
            params = [p[columns] for p in params]
        nan = None if self.keeps_nan else np.isnan(X)
        out = self.function(X, out, *params)
        if nan is not None:
            np.copyto(out, np.nan, where=nan)
        return out

    @classmethod
    def compose(cls, steps) -> Map:
        """The map applying each ``(columns_mask, map)`` step in order.

        Each step's map has full-width parameters and applies where its mask
        is True. A step with a domain must come first on its columns.
        """
        params, functions, counts, offset = [], [], [], None
        for mask, step in steps:
            params += [np.asarray(mask, dtype=np.float64), *step.params]
            functions.append(step.function)
            counts.append(len(step.params))
            if step.domain_offset is not None:
                masked = np.where(mask, step.domain_offset, np.inf)
                offset = masked if offset is None else np.fmin(offset, masked)
        function = partial(_composed, functions=tuple(functions), counts=counts)
        message = next((s.domain_message for _, s in steps if s.domain_message), "")
        return cls(
            function, tuple(params), domain_offset=offset, domain_message=message
        )


def _composed(X, out, *params, functions, counts):
    if out is not X:
        np.copyto(out, X)
    start = 0
    for function, count in zip(functions, counts):
        mask, step_params = params[start] != 0, params[start + 1 : start + 1 + count]
        start += 1 + count
        with np.errstate(all="ignore"):  # lanes outside the mask are discarded
            mapped = function(out, np.empty_like(out), *step_params)
        np.copyto(out, mapped, where=mask)
    return out


def identity(X, out):
    """The identity map's function."""
    if out is not X:
        np.copyto(out, X)
    return out


# --- fit ---------------------------------------------------------------------


def _chunk_summary(estimator, plan, X, sample_weight):
    """A validated chunk's summary and exact percentiles; ±inf rejected."""
    summary, exact = plan.summarize(
        X, sample_weight, percents=plan.percents or None, needs=plan.needs
    )
    reject_infinite(estimator, X, summary.stats.min, summary.stats.max)
    return summary, exact


def _summarize_block(estimator, plan, block, weight):
    from sklearn.utils import check_array

    X = check_array(
        block, dtype=FLOAT_DTYPES, ensure_all_finite=False, ensure_min_samples=0
    )
    if weight is not None:
        weight = np.asarray(weight, dtype=np.float64).ravel()
    return _chunk_summary(estimator, plan, X, weight)[0]


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


def fit(estimator, X, sample_weight=None, *, reset: bool):
    """``fit`` (``reset=True``) and ``partial_fit`` of any transformer.

    The chunk's summary is merged into the one kept from earlier calls; the
    estimator is left as it was when the chunk is refused.
    """
    plan = estimator._fit_plan()
    saved = dict(vars(estimator))
    if reset:
        estimator.__dict__.pop("_summary", None)
    first = not hasattr(estimator, "_summary")
    try:
        if is_dask(X):
            meta, dtype = _dask.describe(X)
            validate_data(estimator, meta, reset=first, skip_check_array=True)
            worker = _light_copy(estimator, fitted=False)
            block = partial(_summarize_block, worker, plan)
            summary, exact, X = (
                _dask.summarize_blocks(X, sample_weight, block),
                None,
                None,
            )
        else:
            X = check_float_array(
                estimator, X, reset=first, accept_sparse=["csr", "csc"]
            )
            if sparse.issparse(X):
                _refuse_sparse_fit(estimator)
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
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise
    estimator._summary = summary
    estimator.n_samples_seen_ = summary.stats.count
    return estimator


# --- checks ------------------------------------------------------------------


def _refuse_sparse_fit(estimator) -> None:
    """Refuse sparse training data unless the map of a mostly-zero column
    keeps zeros (the ``sparse`` input tag); the fitted map is checked again
    at transform, as learned parameters may still move zeros. Without a
    probe (a plan that summarizes dense chunks only), the plan says why."""
    probe = probe_map(estimator, sparse_input=True)
    if probe is None or probe.keeps_zero.all():
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
    """The fitted map (or its inverse) of X: dense, sparse or Dask."""
    check_is_fitted(estimator)
    if is_dask(X):
        worker = _light_copy(estimator, fitted=True)
        function = partial(_inverse_block if inverse else _transform_block, worker)
        names = estimator.get_feature_names_out()
        return _dask.map_lazily(X, function, names, type(estimator).__name__)
    fitted_map = estimator._map()
    if inverse:
        fitted_map = fitted_map.inverse
    X = check_float_array(estimator, X, reset=False, accept_sparse=["csr", "csc"])
    copy = getattr(estimator, "copy", True)
    if sparse.issparse(X):
        _refuse_densifying(estimator, fitted_map, ValueError, "cannot transform")
        col_min, col_max = sparse_extremes(X)
        reject_infinite(estimator, X, col_min, col_max)
        _check_domain(estimator, fitted_map, X, col_min)
        out = X.copy() if copy else X
        fitted_map(out.data, out.data, columns=entry_columns(out))
        return out
    out = np.empty_like(X) if copy else X
    if blockable(X):
        done = blocked_transform(
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
    col_min, col_max = column_extremes(X)
    reject_infinite(estimator, X, col_min, col_max)
    _check_domain(estimator, fitted_map, X, col_min)
    return fitted_map(X, out)


def _inverse_block(estimator, block):
    return transform(estimator, block, inverse=True)


# --- facts before fit -----------------------------------------------------------


_probes: dict = {}
_parameter_names: dict = {}


def _parameters(estimator) -> dict:
    """``get_params(deep=False)`` without its signature inspection per call."""
    cls = type(estimator)
    if cls not in _parameter_names:
        signature = inspect.signature(cls.__init__).parameters
        _parameter_names[cls] = [name for name in signature if name != "self"]
    return {name: getattr(estimator, name) for name in _parameter_names[cls]}


def probe_map(estimator, *, sparse_input: bool = False) -> Map | None:
    """The map a copy of the estimator learns from a mostly-zero column.

    Its facts stand in for the fitted map's before fit (sparse input tag,
    whether ``inverse_transform`` exists). None when the estimator's
    parameters cannot be learned from one column (or ``sparse_input`` and
    the plan does not summarize sparse chunks). Cached per class and
    parameters: scikit-learn reads the tags at every validation.
    """
    params = _parameters(estimator)
    key = (type(estimator), repr(params), sparse_input)
    if key not in _probes:
        if len(_probes) > 1024:
            _probes.clear()
        _probes[key] = _probe(estimator, params, sparse_input)
    return _probes[key]


def _probe(estimator, params, sparse_input):
    widths = [
        len(value)
        for value in params.values()
        if isinstance(value, list | np.ndarray) and np.ndim(value) == 1
    ]
    column = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    X = np.repeat(column[:, None], widths[0] if widths else 1, axis=1)
    if sparse_input:
        X = sparse.csr_matrix(X)
    probe = clone(estimator)
    try:
        plan = probe._fit_plan()
        summary, exact = plan.summarize(
            X, None, percents=plan.percents or None, needs=plan.needs
        )
        probe._learn(summary, exact, X.dtype)
        return probe._map()
    except (TypeError, ValueError):
        return None
