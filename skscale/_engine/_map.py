"""The map of a fitted transformer: an immutable value the engine runs.

See :class:`Map`; :mod:`skscale._engine` holds the contract that produces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np


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

    Two wider shapes, for encoders: with ``source``, output column ``k`` is
    the map of input column ``source[k]`` and ``params`` are per output
    column; with ``reduce`` (an inverse), ``function`` writes ``out`` of
    ``len(reduce)`` columns itself, the features whose output columns start
    at ``reduce``. A parameter may also be a table of shape ``(k,
    n_features)`` (e.g. per-column quantiles), passed in float64; such maps
    run on whole arrays, not in blocks, and take no sparse input.
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
            return self.function(X, np.empty_like(X), *self.params)

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
        """Apply the map with the parameters in X's dtype (see the class)."""
        params = [
            np.asarray(p, dtype=X.dtype if np.ndim(p) == 1 else np.float64)
            for p in self.params
        ]
        if columns is not None:
            # intp once: each gather would convert a CSR's int32 indices.
            columns = np.asarray(columns, dtype=np.intp)
            params = [_per_entry(p, columns) for p in params]
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


def _per_entry(param, columns):
    """A per-column parameter gathered for each stored entry of a sparse
    matrix; a parameter equal in every column (a zero shift) stays one value
    that broadcasts, saving the gather."""
    if param.ndim == 1 and param.size and bool((param == param[0]).all()):
        return param[:1]
    return np.take(param, columns, axis=-1)


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
