"""The engine's Array API path: fit and transform on X's namespace and device.

Taken by :func:`skscale._engine.fit` and :func:`skscale._engine.transform`
when ``sklearn.set_config(array_api_dispatch=True)`` is on and X is an array
of a namespace other than NumPy (array-api-strict, torch on CPU or CUDA,
CuPy). The transformer's contract is unchanged: ``_fit_plan``, ``_learn``
and ``_map`` run on the host, on per-column summaries only.

- fit: the chunk's statistics, exact percentiles and quantile sketch are
  computed on X's device (:mod:`skscale._engine._xp_stats`); the per-column summary
  comes to the host, where it is merged with earlier ``partial_fit`` chunks
  (the sketch lives on the host), ``_learn`` runs, and the public fitted
  attributes are then moved to X's namespace and device (float64 where the
  device has it, as on NumPy).
- transform: the fitted map's parameters go to X's device once per call;
  each map function has a namespace-generic twin here (:data:`_FUNCTIONS`),
  so the data never leave the device. The output is a new array of X's
  namespace, device and float dtype: input arrays are never written to, even
  with ``copy=False`` (some namespaces, e.g. JAX, have immutable arrays).
- the checks are NumPy's: ±inf and the log's domain raise the same errors,
  naming the columns, read from per-column extremes computed on the device.

Maps with a ``source`` or ``reduce`` (the encoders) are refused with a
TypeError naming the estimator: they run on NumPy only.
"""

from __future__ import annotations

import copy as _copy
from dataclasses import dataclass
from functools import partial

import numpy as np

from skscale._compat import (
    _check_sample_weight,
    array_api_namespace,
    check_is_fitted,
    check_same_namespace,
    max_float_dtype,
    supported_float_dtypes,
    to_numpy,
    validate_data,
)
from skscale._engine import _xp_stats
from skscale._engine._validation import feature_names_or_default, reject_infinite


@dataclass(frozen=True)
class _HostCopy:
    """The fitted attributes as NumPy arrays, for ``_map`` on the host. Kept
    with the summary it was learned from: a later NumPy fit (a new summary)
    makes it stale. Not a dict, so ``move_estimator_to`` leaves it alone."""

    summary: object
    attributes: dict


def _public_arrays(estimator) -> dict:
    return {
        name: value
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("_") and _is_array(value)
    }


def _is_array(value) -> bool:
    return isinstance(value, np.ndarray) or hasattr(value, "__dlpack__")


def _host_view(estimator):
    """A shallow copy of the estimator whose fitted attributes are NumPy
    arrays: the contract's ``_map`` reads NumPy."""
    held = vars(estimator).get("_xp_host")
    if held is not None and held.summary is vars(estimator).get("_summary"):
        attributes = held.attributes
    else:
        attributes = {
            name: value if isinstance(value, np.ndarray) else to_numpy(value)
            for name, value in _public_arrays(estimator).items()
        }
    view = _copy.copy(estimator)
    vars(view).update(attributes)
    return view


def supports(estimator) -> bool:
    """The ``array_api_support`` tag: whether the estimator's plan and the map
    of a probe fit (:func:`skscale._engine.probe_map`) have Array API versions.
    The encoders' wide maps do not: they run on NumPy only."""
    from skscale._compat import move_to
    from skscale._engine._probe import probe_map

    if move_to is None:  # pragma: no cover - older scikit-learn: NumPy only
        return False
    probe = probe_map(estimator)
    if probe is None or probe.source is not None or probe.reduce is not None:
        return False
    try:
        _function(probe.function)
    except TypeError:
        return False
    return estimator._fit_plan().summarize in _summaries()


def check_namespace(estimator, X, inverse: bool) -> None:
    """With ``array_api_dispatch`` on, raise scikit-learn's error when X's
    namespace or device is not the fitted attributes' (move one of them:
    ``sklearn.utils._array_api.move_estimator_to`` moves a fitted estimator)."""
    from sklearn import get_config

    if check_same_namespace is None:  # pragma: no cover - older scikit-learn
        return
    if get_config()["array_api_dispatch"] and _is_array(X):
        method = "inverse_transform" if inverse else "transform"
        check_same_namespace(X, estimator, attribute="n_samples_seen_", method=method)


def _summaries() -> dict:
    from skscale._engine._stats import summarize
    from skscale.preprocessing._auto_profile import summarize_choices
    from skscale.preprocessing._auto_xp import summarize_choices as on_device

    return {summarize: _xp_stats.summarize, summarize_choices: on_device}


def fitted_map(estimator):
    """The fitted map, whatever namespace the fitted attributes live in."""
    if vars(estimator).get("_xp_host") is None:
        return estimator._map()
    return _host_view(estimator)._map()


def _refuse_unsupported(estimator, fitted_map=None) -> None:
    wide = fitted_map is not None and (
        fitted_map.source is not None or fitted_map.reduce is not None
    )
    if wide or not supports(estimator):
        raise TypeError(
            f"{type(estimator).__name__} runs on NumPy arrays only (its map "
            "has no Array API version: encoders gather columns); with "
            "array_api_dispatch on, pass a NumPy array, or move X to the host "
            "first."
        )


def dispatched(X) -> bool:
    """Whether X takes this path: ``array_api_dispatch`` on and X an array
    of a namespace other than NumPy."""
    return array_api_namespace(X) is not None


def fit(estimator, X, sample_weight, *, reset, guard, check_covers):
    """``fit``/``partial_fit`` of an Array API array (see the module).

    ``guard`` (restores the estimator if the fit raises) and
    ``check_covers`` (a kept summary serves the plan) are the engine's,
    passed in so that this module never imports the engine that calls it.
    """
    xp, device = array_api_namespace(X)
    plan = estimator._fit_plan()  # its parameter errors first, as on NumPy
    _refuse_unsupported(estimator)
    with guard(estimator):
        if reset:
            estimator.__dict__.pop("_summary", None)
        first = not hasattr(estimator, "_summary")
        if not first:
            check_covers(estimator, plan)
        X = validate_data(
            estimator,
            X,
            reset=first,
            dtype=supported_float_dtypes(xp, device)[:2],
            ensure_all_finite=False,
        )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight,
                X,
                dtype=max_float_dtype(xp, device),
                ensure_non_negative=True,
            )
        summarize = _summaries()[plan.summarize]
        summary, exact = summarize(
            xp, X, sample_weight, percents=plan.percents or None, needs=plan.needs
        )
        _reject_infinite(estimator, X.shape[1], summary.stats)
        if not first:
            summary = estimator._summary.merge(summary)
        quantiles = exact
        if plan.percents and not first:
            quantiles = summary.sketch.quantiles(np.asarray(plan.percents) / 100)
        dtype = np.float32 if X.dtype == xp.float32 else np.float64
        estimator._learn(summary, quantiles, dtype)
        fitted_map = estimator._map()
        _refuse_unsupported(estimator, fitted_map)
        _check_domain(estimator, xp, fitted_map, X, summary.stats.min)
        estimator.n_samples_seen_ = summary.stats.count
        attributes = {
            name: value
            for name, value in _public_arrays(estimator).items()
            if isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
        }
        for name, value in attributes.items():
            setattr(estimator, name, xp.asarray(value, device=device))
    estimator._summary = summary
    estimator._xp_host = _HostCopy(summary, attributes)
    return estimator


def _reject_infinite(estimator, n_features, stats) -> None:
    # reject_infinite reads only X's shape from X: a placeholder row will do.
    reject_infinite(estimator, np.zeros((1, n_features)), stats.min, stats.max)


def _check_domain(estimator, xp, fitted_map, X, col_min) -> None:
    """:func:`skscale._engine._check_domain`, counting on X's device."""
    offset = fitted_map.domain_offset
    if offset is None:
        return
    bad = np.flatnonzero(col_min + offset <= 0)
    if not bad.size:
        return
    names = feature_names_or_default(estimator, len(offset))
    columns = xp.asarray(bad, device=X.device)
    shifted = xp.take(X, columns, axis=1) + xp.asarray(
        offset[bad], dtype=X.dtype, device=X.device
    )
    counts = to_numpy(xp.sum(xp.astype(shifted <= 0, xp.int64), axis=0))
    listed = ", ".join(
        f"{names[j]!r} ({n} values)" for j, n in zip(bad[:10], counts[:10])
    )
    raise ValueError(
        fitted_map.domain_message.format(
            estimator=type(estimator).__name__, columns=listed
        )
    )


def transform(estimator, X, *, inverse):
    """The fitted map (or its inverse) of an Array API array."""
    xp, device = array_api_namespace(X)
    check_is_fitted(estimator)
    check_namespace(estimator, X, inverse)
    fitted_map = _host_view(estimator)._map()
    _refuse_unsupported(estimator, fitted_map)
    if inverse:
        fitted_map = fitted_map.inverse
    X = validate_data(
        estimator,
        X,
        reset=False,
        dtype=supported_float_dtypes(xp, device)[:2],
        ensure_all_finite=False,
    )
    col_min, col_max = _xp_stats.column_extremes(xp, X)
    reject_infinite(estimator, np.zeros((1, X.shape[1])), col_min, col_max)
    _check_domain(estimator, xp, fitted_map, X, col_min)
    params = [xp.asarray(p, dtype=X.dtype, device=device) for p in fitted_map.params]
    with np.errstate(all="ignore"):  # NumPy-backed namespaces warn on log(-1)
        out = _function(fitted_map.function)(xp, X, *params)
        if not fitted_map.keeps_nan:
            out = xp.where(xp.isnan(X), xp.nan, out)
    return out


# --- the maps' functions on any namespace -------------------------------------


def _function(function):
    if isinstance(function, partial):
        twin = _FUNCTIONS.get(function.func)
        if twin is not None:
            return partial(twin, **function.keywords)
    twin = _FUNCTIONS.get(function)
    if twin is None:
        raise TypeError(
            f"The map {getattr(function, '__name__', function)!r} has no Array "
            "API version; pass NumPy arrays."
        )
    return twin


def _composed(xp, X, *params, functions, counts):
    out, start = X, 0
    for function, count in zip(functions, counts):
        mask, step_params = params[start] != 0, params[start + 1 : start + 1 + count]
        start += 1 + count
        out = xp.where(mask, _function(function)(xp, out, *step_params), out)
    return out


def _unscale(xp, X, scale, shift, constant_value):
    constant = scale == 0
    back = (X - shift) / xp.where(constant, xp.ones_like(scale), scale)
    return xp.where(constant, X * 0 + constant_value, back)


def _table():
    from skscale._engine._map import _composed as composed
    from skscale._engine._map import identity
    from skscale.preprocessing import _clip, _linear, _log, _threshold, _zscore

    return {
        _linear._scale: lambda xp, X, s, b: X * s + b,
        _linear._scale_and_clip: lambda xp, X, s, b, lo, hi: xp.clip(
            X * s + b, min=lo, max=hi
        ),
        _linear._unscale: _unscale,
        _zscore._standardize: lambda xp, X, shift, inverse: (X - shift) * inverse,
        _zscore._unstandardize: lambda xp, X, shift, scale: X * scale + shift,
        _clip._clip: lambda xp, X, lo, hi: xp.minimum(xp.maximum(X, lo), hi),
        _log._plain_log: lambda xp, X, offset: xp.log(X + offset),
        _log._log: lambda xp, X, offset, half, shift: (
            xp.log(X * half + offset * half) + shift
        ),
        _log._exp: lambda xp, X, offset: xp.exp(X) - offset,
        _log._log1p: lambda xp, X, offset: xp.log1p(X),
        _log._expm1: lambda xp, X, offset: xp.expm1(X),
        _log._log_or_log1p: lambda xp, X, offset, unit: xp.where(
            unit != 0, xp.log1p(X), xp.log(X + offset)
        ),
        _log._exp_or_expm1: lambda xp, X, offset, unit: xp.where(
            unit != 0, xp.expm1(X), xp.exp(X) - offset
        ),
        _threshold._greater: lambda xp, X, t: xp.astype(xp.greater(X, t), X.dtype),
        identity: lambda xp, X: xp.asarray(X, copy=True),
        composed: _composed,
    }


class _LazyTable(dict):
    """The table, built on first use: the estimator modules import the engine."""

    def get(self, key, default=None):
        if not self:
            self.update(_table())
        return super().get(key, default)


_FUNCTIONS = _LazyTable()
