"""Which converter and shape calculator each public estimator has."""

from __future__ import annotations

from skscale.onnx._auto import convert_auto_scaler
from skscale.onnx._course import (
    convert_binary_thresholder,
    convert_clipper,
    convert_linear_scaler,
    convert_log_transformer,
    convert_zscore_scaler,
)
from skscale.onnx._graph import set_float_output
from skscale.onnx._networks import (
    classifier_output_shape,
    convert_classifier,
    convert_regressor,
    regressor_output_shape,
)
from skscale.onnx._piecewise import (
    convert_piecewise_linear_encoder,
    piecewise_output_shape,
)
from skscale.onnx._quantile import convert_quantile_normalizer
from skscale.onnx._sklearn import convert_rbf_sampler, rbf_sampler_output_shape


def _same_width(operator):
    set_float_output(operator, operator.raw_operator.n_features_in_)


def _converters() -> dict:
    """Estimator class -> (shape calculator, converter, options)."""
    from skscale.neural_network import DropoutMLPClassifier, DropoutMLPRegressor
    from skscale.preprocessing import (
        AutoScaler,
        BinaryThresholder,
        Clipper,
        LinearScaler,
        LogTransformer,
        PiecewiseLinearEncoder,
        QuantileNormalizer,
        ZScoreScaler,
    )

    # skl2onnx reads "nocl" while adding ZipMap; labels are always classes_
    classifier_options = {"zipmap": [True, False, "columns"], "nocl": [False]}
    return {
        LinearScaler: (_same_width, convert_linear_scaler, None),
        ZScoreScaler: (_same_width, convert_zscore_scaler, None),
        LogTransformer: (_same_width, convert_log_transformer, None),
        Clipper: (_same_width, convert_clipper, None),
        BinaryThresholder: (_same_width, convert_binary_thresholder, None),
        AutoScaler: (_same_width, convert_auto_scaler, None),
        QuantileNormalizer: (_same_width, convert_quantile_normalizer, None),
        PiecewiseLinearEncoder: (
            piecewise_output_shape,
            convert_piecewise_linear_encoder,
            None,
        ),
        DropoutMLPRegressor: (regressor_output_shape, convert_regressor, None),
        DropoutMLPClassifier: (
            classifier_output_shape,
            convert_classifier,
            classifier_options,
        ),
    }


_registered = False


def register() -> None:
    """Register skscale's converters with skl2onnx (done on import; idempotent).

    Each public estimator gets the alias ``"Skscale<ClassName>"``; so does
    scikit-learn's ``RBFSampler`` (the demo's location features) while
    skl2onnx has no converter for it.
    """
    global _registered
    if _registered:
        return
    from skl2onnx import update_registered_converter

    for estimator, (shape, converter, options) in _converters().items():
        update_registered_converter(
            estimator,
            f"Skscale{estimator.__name__}",
            shape,
            converter,
            options=options,
        )
    _register_missing_sklearn()
    _registered = True


def _register_missing_sklearn() -> None:
    """Converters for the scikit-learn steps of skscale's own pipelines that
    skl2onnx lacks; skl2onnx's own, once it has one, is left in place."""
    from skl2onnx import supported_converters, update_registered_converter
    from sklearn.kernel_approximation import RBFSampler

    if "RBFSampler" not in supported_converters():
        update_registered_converter(
            RBFSampler,
            "SkscaleRBFSampler",
            rbf_sampler_output_shape,
            convert_rbf_sampler,
        )


def supported_estimators() -> list[type]:
    """The estimator classes skscale.onnx converts."""
    return list(_converters())
