"""The one thin base class shared by skscale's transformers, and input checks."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import check_array

from skscale._compat import _check_sample_weight, check_is_fitted, validate_data
from skscale._input import (
    _is_polars,
    numeric_input,
    sparse_frame_as_matrix,
)
from skscale._input import (
    describe_non_numeric_column as _describe_non_numeric_column,
)
from skscale._kernels import blockable, blocked_transform
from skscale._sparse import canonical, entry_columns, sparse_extremes
from skscale._stats import column_extremes, summarize

FLOAT_DTYPES = (np.float64, np.float32)


def check_float_array(estimator, X, *, reset: bool, accept_sparse=False) -> np.ndarray:
    """Validate X into a 2-D float32/float64 array and record its feature names.

    float32 stays float32 (polars included, which scikit-learn upcasts), other
    numbers become float64, NaN is allowed and ±inf rejected with the column
    named. Non-numeric columns raise the conversion's error type with a
    message naming the column. ``accept_sparse`` is passed to ``check_array``.
    """
    X = numeric_input(estimator, X)
    converted = X.to_numpy() if _is_polars(X) else X
    try:
        array = check_array(
            converted,
            dtype=FLOAT_DTYPES,
            accept_sparse=accept_sparse,
            ensure_all_finite=False,
            estimator=estimator,
            input_name="X",
        )
    except (ValueError, TypeError) as exc:
        described = _describe_non_numeric_column(X)
        if described is None:
            raise
        raise type(exc)(f"{exc}. In {type(estimator).__name__}: {described}.") from exc
    has_frame_names = hasattr(X, "columns")
    validate_data(
        estimator, X if has_frame_names else array, reset=reset, skip_check_array=True
    )
    return array


def reject_infinite(estimator, X: np.ndarray, col_min=None, col_max=None) -> None:
    """Raise a ValueError naming the columns that hold ±inf.

    ``col_min`` and ``col_max`` may be passed when the caller already has them
    (they are NaN-ignoring column extremes), saving two passes over X.
    """
    if X.size == 0:
        return
    if col_min is None or col_max is None:
        col_min, col_max = column_extremes(X)
    bad = np.flatnonzero(np.isinf(col_min) | np.isinf(col_max))
    if bad.size:
        names = feature_names_or_default(estimator, X.shape[1])
        listed = ", ".join(repr(names[j]) for j in bad[:10])
        raise ValueError(
            f"Input X contains infinity in column(s) {listed} passed to "
            f"{type(estimator).__name__}. skscale ignores NaN but rejects ±inf: "
            "replace infinite values (for example by NaN) first."
        )


def feature_names_or_default(estimator, n_features: int) -> list[str]:
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and len(names) == n_features:
        return [str(name) for name in names]
    return [f"x{j}" for j in range(n_features)]


def per_feature(value, n_features: int, name: str) -> np.ndarray:
    """Broadcast a scalar or per-feature parameter to a float64 array."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return np.full(n_features, float(array))
    if array.shape != (n_features,):
        raise ValueError(
            f"{name}={value!r} must be a number or have one value per feature "
            f"({n_features}), got shape {array.shape}."
        )
    return array.copy()


class ColumnwiseTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Shared plumbing: validation, output buffers and tags.

    Subclasses learn per-column statistics in ``fit`` and implement
    ``_transform(X, out, columns=None)``, pure numpy on a validated float
    array (``columns``, when given, is the column index of each row of ``X``:
    the sparse path passes the stored entries as one column).

    A transformer whose map is element-wise with per-column parameters also
    implements ``_block_params()`` (those parameters, or None to keep the
    simple path) and ``_apply(x, out, params, has_nan)``: dense C-ordered
    input is then mapped block by block, on several threads, by
    :func:`skscale._kernels.blocked_transform`. ``_stat_needs`` names the
    statistics its fit uses, so that the others are not computed.

    Transformers whose statistics merge also implement the hooks of
    :meth:`_fit_chunks` (``_set_learned``, and optionally ``_percents``,
    ``_check_chunk``, ``_sparse_refusal`` and ``_check_transform_input``) and
    get ``fit``/``partial_fit`` with sample weights, sparse and Dask input
    from it.
    """

    def _validated(self, X, *, reset: bool, accept_sparse: bool = False):
        if accept_sparse and (sparse.issparse(X) or sparse_frame_as_matrix(X)):
            reason = self._sparse_refusal()
            if reason is not None:
                raise TypeError(
                    f"{type(self).__name__}{self._sparse_params()} does not accept "
                    f"sparse input: {reason}"
                )
        return check_float_array(
            self,
            X,
            reset=reset,
            accept_sparse=["csr", "csc"] if accept_sparse else False,
        )

    def _sparse_params(self) -> str:
        return ""

    def _sparse_refusal(self) -> str | None:
        """Why these parameters cannot keep sparse zeros at zero, or None."""
        return (
            "its map sends 0 to a nonzero value, which would densify the matrix; "
            "convert X with X.toarray() first."
        )

    def _sparse_transform_refusal(self) -> str | None:
        """Why the fitted statistics cannot keep sparse zeros at zero, or None."""
        return self._sparse_refusal()

    def _percents(self):
        """Percentiles to learn (exact in fit, sketched in partial_fit), or None."""
        return None

    def _check_chunk(self, X, stats) -> None:
        """Raise if a training chunk is outside the map's domain."""

    def _check_transform_input(self, X, col_min: np.ndarray) -> None:
        """Raise if data to transform is outside the map's domain."""

    def _stat_needs(self) -> str:
        """The last column statistic fit uses: "extremes", "mean" or "m2"."""
        return "m2"

    def _block_params(self) -> list | None:
        """Per-column float64 parameters of :meth:`_apply`, or None when the
        blocked transform does not apply (the simple path is taken)."""
        return None

    def _domain_offset(self) -> np.ndarray | None:
        """``offset`` such that X is in the map's domain iff ``X + offset > 0``."""
        return None

    # _apply needs to know whether a block holds NaN (it must restore them).
    _nan_sensitive = False
    # _apply maps ±inf (and x + offset <= 0) to ±inf or NaN: checks may read
    # its output.
    _scan_output = False

    def _fit_chunks(self, X, sample_weight, *, reset: bool):
        """Shared body of ``fit`` (``reset=True``) and ``partial_fit``.

        The chunk's :class:`~skscale._stats.Summary` is merged into the one
        kept from earlier calls. Percentiles come from the exact sorted chunk
        when fitting from scratch, and from the merged sketch otherwise. A
        call that raises leaves the estimator as it was before the call.
        """
        with unchanged_on_error(self):
            return self._fit_chunks_body(X, sample_weight, reset=reset)

    def _fit_chunks_body(self, X, sample_weight, *, reset: bool):
        if reset:
            self.__dict__.pop("_summary", None)
        first = not hasattr(self, "_summary")
        percents = self._percents()
        if not first:
            self._check_summary_covers(percents)
        if _is_dask(X):
            from skscale._dask import dask_summary

            summary, dtype = dask_summary(self, X, sample_weight, reset=first)
            exact = None
        else:
            X = self._validated(X, reset=first, accept_sparse=True)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(
                    sample_weight, X, dtype=np.float64, ensure_non_negative=True
                )
            summary, exact = self._chunk_summary(X, sample_weight)
            dtype = X.dtype
        if not first:
            summary = self._summary.merge(summary)
        quantiles = exact
        if percents is not None and (exact is None or not first):
            quantiles = summary.sketch.quantiles(np.asarray(percents) / 100)
        self._set_learned(summary.stats, quantiles, dtype)
        self._summary = summary
        self.n_samples_seen_ = summary.stats.count
        return self

    def _check_summary_covers(self, percents) -> None:
        """Raise if the statistics kept by earlier fits lack what the current
        parameters learn (``set_params`` between ``fit`` and ``partial_fit``,
        e.g. a fixed threshold changed to ``"mean"`` or ``"median"``)."""
        stats = self._summary.stats
        seen = stats.count > 0
        level = {"extremes": 0, "mean": 1, "m2": 2}[self._stat_needs()]
        missing = (percents is not None and self._summary.sketch is None) or (
            (level >= 1 and np.any(np.isnan(stats.mean) & seen))
            or (level >= 2 and np.any(np.isnan(stats.m2) & seen))
        )
        if missing:
            raise ValueError(
                f"{type(self).__name__}({self._learning_params()}) cannot "
                "continue with partial_fit: the earlier fit did not keep the "
                "statistics these parameters learn from (they were changed "
                "after fit, e.g. with set_params). Call fit to start again."
            )

    def _learning_params(self) -> str:
        params = self.get_params().items()
        return ", ".join(f"{k}={v!r}" for k, v in params if k != "copy")

    def _chunk_summary(self, X, sample_weight):
        """A validated chunk's summary (and exact percentiles), domain checked."""
        summary, exact = summarize(
            X, sample_weight, percents=self._percents(), needs=self._stat_needs()
        )
        reject_infinite(self, X, summary.stats.min, summary.stats.max)
        self._check_chunk(X, summary.stats)
        return summary, exact

    def _checked_transform(self, X):
        """Validate X (dense, sparse or Dask), check its domain and transform it."""
        check_is_fitted(self)
        if _is_dask(X):
            from skscale._dask import dask_transform

            return dask_transform(self, X)
        X = self._validated(X, reset=False, accept_sparse=True)
        if sparse.issparse(X):
            return self._transform_sparse(X)
        params = self._block_params() if blockable(X) else None
        if params is not None:
            out = self._output_buffer(X)
            done = blocked_transform(
                X,
                out,
                self._apply,
                params,
                offset=self._domain_offset(),
                nan_sensitive=self._nan_sensitive,
                scan_output=self._scan_output,
            )
            if done:
                return out
        col_min, col_max = column_extremes(X)
        reject_infinite(self, X, col_min, col_max)
        self._check_transform_input(X, col_min)
        return self._transform(X, self._output_buffer(X))

    def _transform_sparse(self, X):
        reason = self._sparse_transform_refusal()
        if reason is not None:
            raise ValueError(
                f"{type(self).__name__} cannot transform sparse input: {reason}"
            )
        col_min, col_max = sparse_extremes(X)
        reject_infinite(self, X, col_min, col_max)
        self._check_transform_input(X, col_min)
        # Duplicate entries of a cell are summed first (on a copy): the maps
        # are not additive, log(2) + log(3) is not log(2 + 3).
        summed = canonical(X)
        out = summed if summed is not X else self._sparse_output(X)
        entries = out.data[:, None]
        self._transform(entries, entries, columns=entry_columns(out))
        return out

    def fit_transform(self, X, y=None, **fit_params):
        """Fit to X, then transform it; if either step raises, the estimator
        is left as it was before the call.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.
        **fit_params : dict
            Passed to ``fit`` (e.g. ``sample_weight``).

        Returns
        -------
        X_new : {ndarray, sparse matrix} of shape (n_samples, n_features)
            The transformed training data.
        """
        with unchanged_on_error(self):
            return self.fit(X, y, **fit_params).transform(X)

    def _checked_inverse(self, X):
        """Validate X and map it back with ``_inverse(X, out, columns=None)``.

        A CSR/CSC matrix, as transform returns it where the map keeps 0 at 0,
        is mapped back entry by entry and stays sparse (duplicate entries
        summed first, on a copy), as with scikit-learn's ``StandardScaler``.
        """
        check_is_fitted(self)
        X = self._validated(X, reset=False, accept_sparse=True)
        if not sparse.issparse(X):
            reject_infinite(self, X)
            return self._inverse(X, self._output_buffer(X))
        reason = self._sparse_transform_refusal()
        if reason is not None:
            raise ValueError(
                f"{type(self).__name__} cannot inverse-transform sparse input: {reason}"
            )
        reject_infinite(self, X, *sparse_extremes(X))
        summed = canonical(X)
        out = summed if summed is not X else self._sparse_output(X)
        entries = out.data[:, None]
        self._inverse(entries, entries, columns=entry_columns(out))
        return out

    def _sparse_output(self, X):
        """Where a sparse map writes: X itself when ``copy=False`` and its
        values can be written, else a copy."""
        if getattr(self, "copy", True) or not X.data.flags.writeable:
            return X.copy()
        return X

    def _output_buffer(self, X: np.ndarray) -> np.ndarray:
        """Where transform writes: X itself when ``copy=False`` and X can be
        written, else a new array.

        Read-only input (a pandas copy-on-write frame's values, an array with
        ``writeable=False``, a read-only memory map) is transformed into a
        new array, as scikit-learn's scalers do with ``copy=False``.
        """
        if getattr(self, "copy", True) or not X.flags.writeable:
            return np.empty_like(X)
        return X

    def _params_as(self, X: np.ndarray, *arrays: np.ndarray, columns=None) -> list:
        """Fitted float64 attributes in X's dtype, so float32 stays float32.

        With ``columns`` (one column index per row of a one-column ``X``),
        each attribute is gathered to match those rows.
        """
        if columns is not None:
            return [np.asarray(a, dtype=X.dtype)[columns][:, None] for a in arrays]
        return [np.asarray(a, dtype=X.dtype) for a in arrays]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        try:
            tags.input_tags.sparse = self._sparse_refusal() is None
        except (TypeError, ValueError):
            tags.input_tags.sparse = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


@contextmanager
def unchanged_on_error(estimator):
    """Restore ``estimator.__dict__`` as it was if the block raises.

    A failed ``fit`` or ``partial_fit`` must not leave half-updated
    statistics (a merged mean with an overflowed variance, or the new column
    count with the old statistics). Fitted attributes are replaced, never
    written in place, so a shallow copy of the attributes is enough.
    """
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise


def _is_dask(X) -> bool:
    return type(X).__module__.split(".")[0] == "dask"
