"""The map of a fitted transformer: an immutable value the engine runs.

See :class:`Map`; :mod:`skscale._engine._core` holds the contract that
produces it. A map's function is written once for every Array API namespace,
NumPy included: ``function(xp, X, out, *params)`` writes into ``out`` where
it is given (NumPy: the blocked kernels pass a block of the output, which
may be X itself) and returns a new array of X's namespace where ``out`` is
None (a device), as scikit-learn's ``_modify_in_place_if_numpy`` does.
:func:`into` and :func:`put` are the two helpers that make one body serve both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np


def into(xp, out, function, *args):
    """``function(*args)``, written into ``out`` on NumPy (scikit-learn's
    ``_modify_in_place_if_numpy``); a new array on other namespaces.

    ``function`` is a ufunc-like of ``xp`` (``xp.add``, ``xp.log``).
    """
    if xp is np:
        return function(*args, out=out)
    return function(*args)


def put(xp, out, values, where):
    """``out`` with ``values`` where ``where`` is True: in place on NumPy
    (``out`` is then writable), a new array elsewhere."""
    if xp is np:
        np.copyto(out, values, where=where)
        return out
    return xp.where(where, values, out)


@dataclass(frozen=True, eq=False)
class Map:
    """An elementwise map with per-column parameters, and its domain.

    ``function(xp, X, out, *params)`` maps ``X`` with broadcasting (see the
    module: into ``out`` on NumPy, which may be ``X``, a new array where
    ``out`` is None): ``params`` are float64 arrays of shape
    ``(n_features,)``, handed to ``function`` in X's dtype and namespace as
    rows of a 2-D array, tiled over flat blocks, or gathered per stored
    entry of a sparse matrix. ``inverse`` is the inverse map, or None. Where
    ``domain_offset`` is set, the map is defined only for
    ``X + domain_offset > 0``; ``domain_message`` is the error raised
    otherwise, with ``{estimator}`` and ``{columns}`` to fill in.
    ``zero_advice`` says how to keep sparse zeros at zero when it does not.

    Two wider shapes, for encoders: with ``source``, output column ``k`` is
    the map of input column ``source[k]`` and ``params`` are per output
    column; with ``reduce`` (an inverse), ``function`` writes ``out`` of
    ``len(reduce)`` columns itself, the features whose output columns start
    at ``reduce``. A parameter may also be a table of shape ``(k,
    n_features)`` (e.g. per-column quantiles), passed in float64; such maps
    run on whole NumPy arrays, not in blocks, and take no sparse input. Both
    shapes are NumPy-only by nature (:attr:`array_api` is False): only
    elementwise maps run on other namespaces.
    """

    function: Callable
    params: tuple
    inverse: Map | None = None
    domain_offset: np.ndarray | None = None
    domain_message: str = ""
    zero_advice: str = field(default="", repr=False)
    source: np.ndarray | None = None
    reduce: np.ndarray | None = None

    @property
    def elementwise(self) -> bool:
        """Whether the map is one-to-one with per-column parameters only."""
        plain = self.source is None and self.reduce is None
        return plain and all(np.ndim(p) == 1 for p in self.params)

    @property
    def array_api(self) -> bool:
        """Whether the map (and its inverse) run on any Array API namespace:
        the elementwise ones do, tables and wide maps are NumPy-only."""
        inverse = self.inverse is None or self.inverse.array_api
        return self.elementwise and inverse

    @cached_property
    def _probe(self) -> np.ndarray:
        """The map of 0, NaN, +inf, -inf and (with a domain) ``-offset``."""
        if self.source is not None or self.reduce is not None:
            # Not one-to-one: no sparse input, checks on the input.
            return np.array([[1.0], [np.nan], [0.0], [0.0]])
        n_features = np.shape(self.params[0])[-1] if self.params else 1
        rows = [0.0, np.nan, np.inf, -np.inf]
        X = np.repeat(np.array(rows)[:, None], n_features, axis=1)
        if self.domain_offset is not None:
            X = np.vstack([X, -self.domain_offset])
        with np.errstate(all="ignore"):
            return self.function(np, X, np.empty_like(X), *self.params)

    @property
    def keeps_zero(self) -> np.ndarray:
        """Per column, whether 0 maps to 0 (then sparse input stays sparse)."""
        # Tables and wider maps run on whole dense arrays only.
        return (self._probe[0] == 0) & self.elementwise

    @property
    def keeps_nan(self) -> bool:
        return bool(np.isnan(self._probe[1]).all())

    @property
    def keeps_non_finite(self) -> bool:
        """Whether ±inf (and ``x + offset <= 0``) come out non-finite, so
        that the checks may read the output instead of the input."""
        return not np.isfinite(self._probe[2:]).any()

    def __call__(self, X, out, columns=None):
        """Apply the map to a NumPy X, with the parameters in X's dtype."""
        params = [
            np.asarray(p, dtype=X.dtype if np.ndim(p) == 1 else np.float64)
            for p in self.params
        ]
        if columns is not None:
            # intp once: each gather would convert a CSR's int32 indices.
            columns = np.asarray(columns, dtype=np.intp)
            params = [_per_entry(p, columns) for p in params]
        nan = None if self.keeps_nan else np.isnan(X)
        out = self.function(np, X, out, *params)
        if nan is not None:
            np.copyto(out, np.nan, where=nan)
        return out

    @classmethod
    def compose(cls, steps) -> Map:
        """The map applying each ``(columns_mask, map)`` step in order.

        Each step's map has full-width parameters and applies where its mask
        is True, to those columns only (a mask of all True: every column, in
        one pass). A step with a domain must come first on its columns.
        Composed maps run on dense arrays (whole rows), not on sparse entries.
        """
        params, functions, counts, columns, offset = [], [], [], [], None
        n_features = 0
        for mask, step in steps:
            mask = np.asarray(mask, dtype=bool)
            n_features = mask.size
            params += step.params
            functions.append(step.function)
            counts.append(len(step.params))
            columns.append(None if mask.all() else _runs(mask))
            if step.domain_offset is not None:
                masked = np.where(mask, step.domain_offset, np.inf)
                offset = masked if offset is None else np.fmin(offset, masked)
        function = partial(
            _composed,
            functions=tuple(functions),
            counts=tuple(counts),
            columns=tuple(columns),
            n_features=n_features,
        )
        message = next((s.domain_message for _, s in steps if s.domain_message), "")
        return cls(
            function, tuple(params), domain_offset=offset, domain_message=message
        )


def _runs(mask) -> tuple:
    """The runs of consecutive True in a mask, as ``(start, stop)`` pairs."""
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(np.int8), 0]))
    return tuple(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _per_entry(param, columns):
    """A per-column parameter gathered for each stored entry of a sparse
    matrix; a parameter equal in every column (a zero shift) stays one value
    that broadcasts, saving the gather."""
    if param.ndim == 1 and param.size and bool((param == param[0]).all()):
        return param[:1]
    return np.take(param, columns, axis=-1)


def _uniform(values):
    """One number where every value is the same, else the values."""
    return values[0] if (values == values[0]).all() else values


def _composed(xp, X, out, *params, functions, counts, columns, n_features):
    """Each step on its columns only. On NumPy a step on some columns maps
    each run of consecutive columns as a contiguous copy (X may be a flat
    block of whole rows, its parameters tiled: their first row holds each
    column's value), with a parameter equal over the run passed as one
    number: the map's loops then run over the whole copy, not over rows of
    a few strided values. Elsewhere a step maps every column and keeps its
    own (a device runs the lanes in parallel, and has no writable views)."""
    current, start = X, 0
    for function, count, runs in zip(functions, counts, columns):
        step, start = params[start : start + count], start + count
        if runs is None:
            current = function(xp, current, out, *step)
        elif xp is np:
            if current is not out:
                np.copyto(out, current)
                current = out
            rows = out if out.ndim == 2 else out.reshape(-1, n_features)
            for a, b in runs:
                columns = np.array(rows[:, a:b])
                own = [_uniform(p[a:b]) for p in step]
                rows[:, a:b] = function(np, columns, columns, *own)
        else:
            mask = np.zeros(n_features, dtype=bool)
            for a, b in runs:
                mask[a:b] = True
            mapped = function(xp, current, None, *step)
            current = xp.where(xp.asarray(mask, device=X.device), mapped, current)
    if out is not None and current is not out:  # no step, or only subsets
        np.copyto(out, current)
        current = out
    return current


def identity(xp, X, out):
    """The identity map's function."""
    if out is None:
        return xp.asarray(X, copy=True)
    if out is not X:
        np.copyto(out, X)
    return out
