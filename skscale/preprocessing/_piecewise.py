"""PiecewiseLinearEncoder: each feature as its position within quantile bins (PLE)."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils import check_array

from skscale._base import FLOAT_DTYPES, ColumnwiseTransformer, _is_dask
from skscale._compat import (
    Interval,
    _check_feature_names_in,
    _fit_context,
    check_is_fitted,
)


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
    (:class:`skscale._sketch.QuantileSketch`), whose rank error is at most
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn each column's bin edges as exact quantiles.

        Parameters
        ----------
        X : {array-like, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the quantiles: integer weights equal repeated rows.

        Returns
        -------
        self : PiecewiseLinearEncoder
            The fitted encoder.
        """
        return self._fit_chunks(X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the bin edges with a chunk of rows, through a quantile sketch.

        Parameters
        ----------
        X : {array-like, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the quantiles.

        Returns
        -------
        self : PiecewiseLinearEncoder
            The updated encoder.
        """
        return self._fit_chunks(X, sample_weight, reset=False)

    # ----------------------------------------------------------- learning
    def _percents(self):
        return np.linspace(0.0, 100.0, self.n_bins + 1)

    def _stat_needs(self) -> str:
        return "extremes"

    def _set_learned(self, stats, quantiles, dtype) -> None:
        # edges merged in the training dtype: two float64 quantiles of float32
        # data may round to one float32 edge, a bin of width 0 at transform
        rounded = np.asarray(quantiles, dtype=dtype).astype(np.float64)
        edges = [self._merged_edges(rounded[:, j]) for j in range(rounded.shape[1])]
        self.bin_edges_ = np.empty(len(edges), dtype=object)
        self.bin_edges_[:] = edges
        self.n_bins_ = np.array([e.size - 1 for e in edges], dtype=np.intp)

    @staticmethod
    def _merged_edges(column_quantiles: np.ndarray) -> np.ndarray:
        """Strictly increasing edges from one column's quantiles."""
        if np.isnan(column_quantiles).all():  # all NaN in fit: pass through
            return np.array([0.0, 1.0])
        edges = np.unique(column_quantiles)
        if edges.size == 1:  # constant: one bin, of width 1 (see _bin_table)
            return np.repeat(edges, 2)
        return edges

    def _bin_table(self, dtype):
        """Per output column: source column, lower edge, width, clip bounds
        and a scale.

        The first bin of a column is unbounded below, the last unbounded
        above (the linear tails), the others clipped to [0, 1]. A column whose
        edges reach a quarter of ``dtype``'s largest value, where ``x - lower``
        and the widths' sum may overflow, is mapped on halved values,
        ``(x/2 - lower/2) / (width/2)``:
        ``scale`` is 0.5 there and 1 elsewhere, and ``lower`` and ``width``
        are the scaled ones.
        """
        n_bins = self.n_bins_
        source = np.repeat(np.arange(n_bins.size), n_bins)
        lower = np.concatenate([e[:-1] for e in self.bin_edges_])
        upper = np.concatenate([e[1:] for e in self.bin_edges_])
        ends = np.cumsum(n_bins)
        extreme = np.array([np.max(np.abs(e[[0, -1]])) for e in self.bin_edges_])
        halved = extreme >= np.finfo(dtype).max / 4
        scale = np.where(halved, 0.5, 1.0).repeat(n_bins)
        width = (upper * scale - lower * scale).astype(dtype)
        width[width == 0] = 1.0
        low = np.zeros(source.size)
        high = np.ones(source.size)
        low[ends - n_bins] = -np.inf
        high[ends - 1] = np.inf
        as_dtype = [np.asarray(a, dtype=dtype) for a in (lower * scale, low, high)]
        return source, as_dtype[0], width, as_dtype[1], as_dtype[2], scale

    # ---------------------------------------------------------- transform
    def transform(self, X):
        """Encode X: ``n_bins_[j]`` columns for feature ``j``.

        Parameters
        ----------
        X : {array-like, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Data to encode; NaN gives NaN in its feature's columns.

        Returns
        -------
        X_encoded : ndarray of shape (n_samples, n_bins_.sum())
            The encoding, in X's float dtype.
        """
        check_is_fitted(self)
        if _is_dask(X):
            from skscale.preprocessing._encoder_dask import dask_expand

            return dask_expand(self, X, int(self.n_bins_.sum()))
        return self._checked_transform(X)

    def _output_buffer(self, X: np.ndarray) -> np.ndarray:
        return np.empty((X.shape[0], int(self.n_bins_.sum())), dtype=X.dtype)

    def _transform(self, X: np.ndarray, out: np.ndarray, columns=None) -> np.ndarray:
        return self._encode(X, out)

    def _encode(self, X: np.ndarray, out: np.ndarray) -> np.ndarray:
        """The PLE map, written into ``out`` (one column per bin).

        Rows go in blocks of about 2**16 output values, so that the four
        passes (subtract, divide, two clips) run on data in cache; within a
        block, one broadcast subtraction per feature writes its bins.
        """
        _, lower, width, low, high, scale = self._bin_table(X.dtype)
        ends = np.cumsum(self.n_bins_)
        blocks = list(zip(range(len(ends)), ends - self.n_bins_, ends))
        halved = [j for j, start, _ in blocks if scale[start] != 1]
        if halved:  # columns near the float limits (see _bin_table)
            X = X.copy()
            X[:, halved] *= X.dtype.type(0.5)
        step = max(1, 2**16 // max(1, out.shape[1]))
        for row in range(0, X.shape[0], step):
            block = out[row : row + step]
            for j, start, stop in blocks:
                column = X[row : row + step, j : j + 1]
                np.subtract(column, lower[start:stop], out=block[:, start:stop])
            block /= width
            np.maximum(block, low, out=block)
            np.minimum(block, high, out=block)
        return out

    def inverse_transform(self, X):
        """Map an encoding back to the features: ``b_0 + sum_t e_t * width_t``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_bins_.sum())
            Encoded data; NaN in any of a feature's columns gives NaN.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features_in_)
            The features, in X's float dtype.
        """
        check_is_fitted(self)
        X = check_array(X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        n_out = int(self.n_bins_.sum())
        if X.shape[1] != n_out:
            raise ValueError(
                f"X has {X.shape[1]} columns, but {type(self).__name__} encodes "
                f"{self.n_features_in_} features into {n_out} columns."
            )
        return self._decode(X)

    def _decode(self, E: np.ndarray) -> np.ndarray:
        """The inverse map: each feature's first edge plus its weighted bins."""
        _, lower, width, _, _, scale = self._bin_table(E.dtype)
        if E.shape[0] == 0:
            return np.empty((0, self.n_bins_.size), dtype=E.dtype)
        starts = np.r_[0, np.cumsum(self.n_bins_)[:-1]]
        total = np.add.reduceat(E * width, starts, axis=1) + lower[starts]
        if np.any(scale != 1):
            total /= scale[starts].astype(E.dtype)
        return total

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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
