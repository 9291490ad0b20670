"""PiecewiseLinearEncoder: each feature as its position within quantile bins (PLE)."""

from __future__ import annotations

from numbers import Integral

import numpy as np

from skscale._compat import Interval, _check_feature_names_in, check_is_fitted
from skscale._engine._core import FitPlan, Map
from skscale.preprocessing._base import ColumnwiseTransformer


class PiecewiseLinearEncoder(ColumnwiseTransformer):
    """Encode each feature piecewise-linearly over its quantile bins (PLE).

    Each input column ``x`` with bin edges ``b_0 < b_1 < ... < b_T`` becomes
    ``T`` output columns, one per bin ``t = 1..T``::

        e_t(x) = 0                              if x < b_{t-1} and t > 1
        e_t(x) = 1                              if x >= b_t   and t < T
        e_t(x) = (x - b_{t-1}) / (b_t - b_{t-1})  otherwise

    so the bins left of ``x`` read 1, the bins right of it 0 and its own bin
    how far ``x`` is through it. The first and last bins keep their linear
    tails (below ``b_0`` the first bin is negative, above ``b_T`` the last
    exceeds 1), as in Gorishniy et al. (2022): values outside the training
    range stay distinguishable, and the encoding is invertible.

    The edges are the ``0, 1/n_bins, ..., 1`` quantiles of each column
    (``np.percentile``'s linear interpolation); equal edges, from a discrete
    column or a heavy value, are merged, so a column may get fewer than
    ``n_bins`` bins (``n_bins_``).

    Parameters
    ----------
    n_bins : int, default=16
        Number of quantile bins per column, before merging equal edges.

    Attributes
    ----------
    bin_edges_ : ndarray of ndarray, shape (n_features,)
        The strictly increasing edges of each column (``n_bins_[j] + 1`` of
        them; two equal edges for a constant column), in float64, rounded to
        the training data's dtype.
    n_bins_ : ndarray of shape (n_features,), dtype int
        Number of bins (output columns) of each column.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    QuantileNormalizer : The same quantiles as one smooth column per feature.
    sklearn.preprocessing.KBinsDiscretizer : One-hot bins (a step, not a ramp).

    Notes
    -----
    ``fit`` learns exact quantiles; ``partial_fit`` and a fit on Dask input
    learn them from the mergeable quantile sketch
    (:class:`skscale._engine._sketch.QuantileSketch`), whose rank error is at most
    ``(1 + log2(number of chunks)) / 2048`` of the column's weight, plus one
    row. ``sample_weight`` weights the quantiles as everywhere in skscale
    (integer weights equal repeated rows). Each ``partial_fit`` may move the
    edges and, for discrete columns, change the number of output columns:
    refit downstream models after it.

    NaN policy: NaN is ignored when learning the edges, and a NaN input gives
    NaN in every output column of its feature (impute before a network, or
    use a ``SimpleImputer`` after the encoder). ±inf is rejected. A constant
    column gets one bin of width 1 (``x - c``, StandardScaler's convention
    for a zero scale); a column all NaN in fit passes through as one column.
    Sparse input is refused: the encoding of 0 is not 0. The output has X's
    float dtype (float32 stays float32).

    ``inverse_transform`` is exact up to rounding for any input, since
    ``x = b_0 + sum_t e_t (b_t - b_{t-1})``.

    NumPy only: with scikit-learn's ``array_api_dispatch`` on, torch, CuPy or
    array-api-strict input is refused with a ``TypeError`` (the tag
    ``array_api_support`` is False); move X to the host first.

    References
    ----------
    Y. Gorishniy, I. Rubachev and A. Babenko, "On Embeddings for Numerical
    Features in Tabular Deep Learning", NeurIPS 2022, section 3.2.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import PiecewiseLinearEncoder
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    >>> encoder = PiecewiseLinearEncoder(n_bins=2).fit(X)
    >>> encoder.bin_edges_[0]
    array([0., 2., 4.])
    >>> encoder.transform([[1.0], [3.0], [6.0]])
    array([[0.5, 0. ],
           [1. , 0.5],
           [1. , 2. ]])
    >>> encoder.get_feature_names_out().tolist()
    ['x0_bin0', 'x0_bin1']
    """

    _parameter_constraints: dict = {
        "n_bins": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, n_bins=16):
        self.n_bins = n_bins

    def _fit_plan(self) -> FitPlan:
        return FitPlan(
            needs="extremes", percents=tuple(np.linspace(0, 100, self.n_bins + 1))
        )

    def _learn(self, summary, quantiles, dtype) -> None:
        # edges merged in the training dtype: two float64 quantiles of float32
        # data may round to one float32 edge, a bin of width 0 at transform
        rounded = np.asarray(quantiles, dtype=dtype).astype(np.float64)
        edges = [_merged_edges(rounded[:, j]) for j in range(rounded.shape[1])]
        self.bin_edges_ = np.empty(len(edges), dtype=object)
        self.bin_edges_[:] = edges
        self.n_bins_ = np.array([e.size - 1 for e in edges], dtype=np.intp)

    def _map(self) -> Map:
        # Per output column (one per bin): its feature, lower edge and width;
        # the first bin is unbounded below, the last above (the linear tails).
        n_bins = self.n_bins_
        starts = np.cumsum(n_bins) - n_bins
        lower = np.concatenate([e[:-1] for e in self.bin_edges_])
        upper = np.concatenate([e[1:] for e in self.bin_edges_])
        # Edges near the float limits: x - lower may overflow, x/2 - lower/2
        # cannot (scale 0.5 there, exact).
        extreme = np.array([np.max(np.abs(e[[0, -1]])) for e in self.bin_edges_])
        scale = np.where(extreme >= np.finfo(np.float32).max / 4, 0.5, 1.0)
        scale = scale.repeat(n_bins)
        width = upper * scale - lower * scale
        width[width == 0] = 1.0  # a constant column: one bin of width 1
        low, high, first = (
            np.zeros(width.size),
            np.ones(width.size),
            np.zeros(width.size),
        )
        low[starts], high[starts + n_bins - 1], first[starts] = -np.inf, np.inf, 1.0
        inverse = Map(_decode, (width, lower * scale, scale, first), reduce=starts)
        source = np.repeat(np.arange(n_bins.size), n_bins)
        params = (scale, lower * scale, width, low, high)
        return Map(_encode, params, inverse=inverse, source=source)

    def get_feature_names_out(self, input_features=None):
        """Output names: ``<feature>_bin<t>``, ``t`` counting from 0.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; default ``feature_names_in_`` or ``x0, x1...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        pairs = zip(names, self.n_bins_)
        return np.asarray(
            [f"{name}_bin{t}" for name, n in pairs for t in range(n)], dtype=object
        )


def _merged_edges(column_quantiles: np.ndarray) -> np.ndarray:
    """Strictly increasing edges from one column's quantiles."""
    if np.isnan(column_quantiles).all():  # all NaN in fit: pass through
        return np.array([0.0, 1.0])
    edges = np.unique(column_quantiles)
    if edges.size == 1:  # constant: one bin, of width 1 (see _map)
        return np.repeat(edges, 2)
    return edges


def _encode(xp, X, out, scale, lower, width, low, high):
    """PLE: each bin's position ``(x - lower) / width``, clipped to [0, 1]
    except the first bin below and the last above."""
    np.multiply(X, scale, out=out)
    np.subtract(out, lower, out=out)
    np.divide(out, width, out=out)
    np.maximum(out, low, out=out)
    return np.minimum(out, high, out=out)


def _decode(xp, E, out, width, lower, scale, first):
    """Each feature's first edge plus its bins' positions times their widths."""
    starts = np.flatnonzero(first)
    if E.shape[0]:
        total = np.add.reduceat(E * width, starts, axis=1) + lower[starts]
        out[:] = total / scale[starts]
    return out
