"""Facts about a transformer's map before it is fitted.

scikit-learn asks for tags (does the estimator take sparse input?) and
``hasattr(estimator, "inverse_transform")`` before any fit. Both are read off
the map a copy of the estimator learns from a small, mostly-zero probe
column, through the same contract the engine runs (:mod:`skscale._engine`).
"""

from __future__ import annotations

import inspect

import numpy as np
from scipy import sparse
from sklearn.base import clone

_probes: dict = {}
_parameter_names: dict = {}
_tags: dict = {}


def parameters(estimator) -> dict:
    """``get_params(deep=False)`` without its signature inspection per call."""
    cls = type(estimator)
    if cls not in _parameter_names:
        signature = inspect.signature(cls.__init__).parameters
        _parameter_names[cls] = [name for name in signature if name != "self"]
    return {name: getattr(estimator, name) for name in _parameter_names[cls]}


def probe_map(estimator, *, sparse_input: bool = False):
    """The map a copy of the estimator learns from a mostly-zero column.

    Its facts stand in for the fitted map's before fit (sparse input tag,
    whether ``inverse_transform`` exists). None when the estimator's
    parameters cannot be learned from one column (or ``sparse_input`` and
    the plan does not summarize sparse chunks). Cached per class and
    parameters: scikit-learn reads the tags at every validation.
    """
    params = parameters(estimator)
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
            np, X, None, percents=plan.percents or None, needs=plan.needs
        )
        probe._learn(summary, exact, X.dtype)
        return probe._map()
    except (TypeError, ValueError):
        return None


def cached_tags(estimator, build):
    """``build()``, once per class and parameters: scikit-learn reads the
    tags at every validation, and they follow from the parameters alone (the
    probe's map), so later reads do no work."""
    key = (type(estimator), repr(parameters(estimator)))
    tags = _tags.get(key)
    if tags is None:
        if len(_tags) > 1024:
            _tags.clear()
        tags = _tags[key] = build()
    return tags
