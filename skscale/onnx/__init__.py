"""Export fitted skscale estimators, alone or in pipelines, to ONNX.

Importing this module registers, with skl2onnx, a shape calculator and a
converter for each of skscale's public estimators. After ``import
skscale.onnx``, ``skl2onnx.to_onnx`` converts a fitted Pipeline or
ColumnTransformer that holds them beside scikit-learn's own steps, and
:func:`to_onnx` does the same in one call. The graph runs in onnxruntime
without Python and gives what ``transform``, ``predict`` and
``predict_proba`` give, within rounding (see :func:`to_onnx`).

Needs the ``onnx`` extra: ``pip install "skscale[onnx]"`` (skl2onnx, onnx and
onnxruntime).
"""

from __future__ import annotations

from skscale.onnx._columns import explicit_column_slices
from skscale.onnx._register import register

__all__ = ["register", "to_onnx"]


def to_onnx(model, X=None, **kwargs):
    """Convert a fitted estimator or pipeline to an ONNX ``ModelProto``.

    ``skl2onnx.to_onnx`` after :func:`register`: the arguments and the result
    are skl2onnx's.

    Parameters
    ----------
    model : estimator
        A fitted skscale estimator, or a Pipeline or ColumnTransformer of
        skscale and scikit-learn steps that skl2onnx converts.
    X : array-like of shape (n_samples, n_features), default=None
        Rows whose dtype and width set the graph's input (float32 data gives a
        float32 graph, float64 a float64 one); or pass ``initial_types``.
    **kwargs : dict
        Passed on to ``skl2onnx.to_onnx``: ``initial_types``, ``name``,
        ``target_opset``, ``options`` (e.g. ``{id(classifier): {"zipmap":
        False}}`` for plain probability arrays), ...

    Returns
    -------
    onnx_model : onnx.ModelProto
        The graph; serialize it with ``onnx_model.SerializeToString()``.

    Notes
    -----
    The graph computes in the dtype ``transform`` and ``predict`` use for the
    input: parameters are rounded to float32 in a float32 graph, as
    ``transform`` rounds them, and QuantileNormalizer's CDF and normal inverse
    CDF run in float64 inside it. Outputs equal scikit-learn's within 1e-5
    relative in float32 and 1e-8 in float64 (a network's outputs near 0 up
    to that share of its largest: matrix products sum in another order);
    class labels are equal. NaN passes through every transformer
    as in ``transform``. Where ``transform`` raises, the graph cannot:
    ``LogTransformer`` (and a log column of ``AutoScaler``) give NaN for
    ``X + offset_ < 0`` and ``-inf`` at ``X + offset_ = 0``; ±inf, which
    ``transform`` rejects, flow through the arithmetic. A ColumnTransformer
    whose columns are a slice (``slice(None)``), which skl2onnx cannot read,
    is converted with the slice written as indices (and left as it was).
    Networks fitted with ``batch_norm=True`` normalize each hidden layer with
    their running statistics (``batch_norm_running_mean_`` and
    ``batch_norm_running_var_``), as ``predict`` does.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime as rt
    >>> from sklearn.pipeline import make_pipeline
    >>> from skscale import LogTransformer, ZScoreScaler
    >>> from skscale.onnx import to_onnx
    >>> X = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 30.0]], dtype=np.float32)
    >>> pipe = make_pipeline(LogTransformer(), ZScoreScaler()).fit(X)
    >>> onx = to_onnx(pipe, X[:1])
    >>> session = rt.InferenceSession(
    ...     onx.SerializeToString(), providers=["CPUExecutionProvider"]
    ... )
    >>> (got,) = session.run(None, {"X": X})
    >>> bool(np.allclose(got, pipe.transform(X), rtol=1e-5, atol=1e-6))
    True
    """
    import skl2onnx

    register()
    with explicit_column_slices(model):
        return skl2onnx.to_onnx(model, X, **kwargs)


register()
