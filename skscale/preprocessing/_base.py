"""The one thin base class shared by skscale's transformers.

A subclass implements the contract of :mod:`skscale._engine` (``_fit_plan``,
``_learn`` and ``_map``); the public methods here validate nothing
themselves and hand every input to the engine.
"""

from __future__ import annotations

from typing import Any, TypeVar

from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.metaestimators import available_if

from skscale._compat import _fit_context, move_to
from skscale._engine import _core as _engine
from skscale._engine import _xp_engine
from skscale._engine._probe import cached_tags, probe_map

_Transformer = TypeVar("_Transformer", bound="ColumnwiseTransformer")


def _invertible(estimator) -> bool:
    """Whether the fitted map (before fit: the map of a probe) has an inverse."""
    if hasattr(estimator, "n_samples_seen_"):
        fitted_map = _xp_engine.fitted_map(estimator)
    else:
        fitted_map = probe_map(estimator)
    return fitted_map is not None and fitted_map.inverse is not None


class ColumnwiseTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Base of the column-wise transformers: the public API over the engine.

    ``fit`` learns from scratch and ``partial_fit`` merges a chunk into what
    was learned (exactly for extremes, means and variances; through a
    quantile sketch for percentiles). Both take ``sample_weight`` (requested
    through scikit-learn's metadata routing), dense, sparse and Dask input.
    ``transform`` returns the input's kind: a lazy Dask collection for Dask
    input, a sparse matrix for sparse input, else an ndarray in X's float
    dtype (or a DataFrame through ``set_output``).

    With scikit-learn's ``array_api_dispatch`` on, arrays of other Array API
    namespaces (torch on CPU or CUDA, CuPy, array-api-strict) are fitted and
    transformed on their device (:mod:`skscale._engine._xp_engine`): the fitted
    attributes live in X's namespace and device (float64 where the device
    has it), ``partial_fit`` merges per-chunk summaries on the host (the
    quantile sketch lives there; the data never leave the device), and
    ``transform`` returns a new array of X's namespace, device and float
    dtype (the input is never written to, ``copy=False`` included). Move a
    fitted transformer elsewhere with scikit-learn's
    ``sklearn.utils._array_api.move_estimator_to(estimator, xp, device)``,
    e.g. ``(est, numpy, "cpu")``.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self: _Transformer,
        X: Any,
        y: None = None,
        sample_weight: ArrayLike | None = None,
    ) -> _Transformer:
        """Learn the map's parameters from X.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights: integer weights equal repeated rows, rows of zero
            weight are ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        return _engine.fit(self, X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self: _Transformer,
        X: Any,
        y: None = None,
        sample_weight: ArrayLike | None = None,
    ) -> _Transformer:
        """Update the learned parameters with a chunk of rows.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, as in :meth:`fit`.

        Returns
        -------
        self : object
            The updated transformer.
        """
        return _engine.fit(self, X, sample_weight, reset=False)

    def transform(self, X: Any) -> Any:
        """Apply the fitted map; NaN passes through.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Data to transform.

        Returns
        -------
        X_out : ndarray, sparse matrix or dask collection
            Transformed data, in X's float dtype and of X's kind.
        """
        return _engine.transform(self, X)

    def fit_transform(self, X: Any, y: None = None, **fit_params: Any) -> Any:
        """Fit to X, then transform it; if either step raises, the estimator
        is left as it was before the call.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data.
        y : None
            Ignored.
        **fit_params : dict
            Passed to ``fit`` (e.g. ``sample_weight``).

        Returns
        -------
        X_new : ndarray, sparse matrix or dask collection
            The transformed training data.
        """
        with _engine.unchanged_on_error(self):
            return self.fit(X, y, **fit_params).transform(X)

    @available_if(_invertible)
    def inverse_transform(self, X: Any) -> Any:
        """Map transformed data back to the original units.

        Parameters
        ----------
        X : {array-like, dask collection} of shape (n_samples, n_features)
            Transformed data.

        Returns
        -------
        X_original : ndarray or dask collection
            Data in the original units, in X's float dtype.
        """
        return _engine.transform(self, X, inverse=True)

    def __sklearn_tags__(self):
        return cached_tags(self, self._derived_tags)

    def _derived_tags(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        probe = probe_map(self, sparse_input=True)
        tags.input_tags.sparse = probe is not None and bool(probe.keeps_zero.all())
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        # Derived, with no registration: the probe's map runs on any
        # namespace (Map.array_api), and so does every fit plan's summary.
        probe = probe_map(self)
        supported = move_to is not None and probe is not None and probe.array_api
        tags.array_api_support = supported
        return tags
