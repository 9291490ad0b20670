"""scikit-learn's estimator checks over every public estimator of skscale."""

import pytest
from sklearn.utils.estimator_checks import (
    check_array_api_input,
    check_dataframe_column_names_consistency,
    check_get_feature_names_out_error,
    check_global_output_transform_pandas,
    check_global_set_output_transform_polars,
    check_n_features_in_after_fitting,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_output_transform_polars,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    DropoutMLPClassifier,
    DropoutMLPRegressor,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)
from skscale.preprocessing import PiecewiseLinearEncoder, QuantileNormalizer

# The checks provoke these warnings on purpose: networks trained for a few
# epochs (ConvergenceWarning, and TrainingHealthWarning on the checks' odd
# data), and frames with and without feature names swapped between fit and
# transform (the feature-name consistency checks). Every other warning raised
# by a check is an error here ("error" first: later marks take precedence).
pytestmark = [
    pytest.mark.filterwarnings("error"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    pytest.mark.filterwarnings("ignore::skscale.neural_network.TrainingHealthWarning"),
    pytest.mark.filterwarnings(
        "ignore:X does not have valid feature names, but:UserWarning"
    ),
    pytest.mark.filterwarnings("ignore:X has feature names, but:UserWarning"),
]

ESTIMATORS = [
    LinearScaler(),
    LinearScaler(feature_range=(0.0, 1.0), clip=True),
    LogTransformer(),
    LogTransformer(offset="auto"),
    Clipper(lower=-1.0, upper=1.0),
    Clipper(quantile_range=(5.0, 95.0)),
    ZScoreScaler(),
    ZScoreScaler(ddof=1, with_mean=False),
    BinaryThresholder(),
    BinaryThresholder(threshold="median"),
    BinaryThresholder(threshold="mean"),
    AutoScaler(),
    AutoScaler(scaler="zscore", skew_threshold=0.5, outlier_threshold=0.0),
    PiecewiseLinearEncoder(),
    PiecewiseLinearEncoder(n_bins=3),
    QuantileNormalizer(),
    QuantileNormalizer(n_quantiles=10, output_distribution="uniform"),
]


# Small networks and few epochs keep the checks fast; the learning rate is
# raised so that the checks' quality bars are met within those epochs.
_SMALL_NETWORK = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=60)

NETWORKS = [
    DropoutMLPRegressor(**_SMALL_NETWORK),
    DropoutMLPClassifier(**_SMALL_NETWORK),
    DropoutMLPRegressor(**_SMALL_NETWORK, dropout=0.2),
    DropoutMLPClassifier(**_SMALL_NETWORK, dropout=0.2),
    # an ensemble of two members with decoupled weight decay (issue 20)
    DropoutMLPRegressor(**_SMALL_NETWORK, n_members=2, weight_decay=0.5),
    DropoutMLPClassifier(**_SMALL_NETWORK, n_members=2, weight_decay=0.5),
]

_RANDOM_MASKS = (
    "with dropout, the random masks drawn for a row of weight 2 differ from the "
    "masks drawn for its two repetitions, so weighting is equivalent to repeating "
    "rows only in expectation"
)


def expected_failed_checks(estimator):
    """None for every estimator, but sample-weight equivalence under dropout."""
    if getattr(estimator, "dropout", 0) == 0:
        return {}
    return {"check_sample_weight_equivalence_on_dense_data": _RANDOM_MASKS}


@parametrize_with_checks(
    ESTIMATORS + NETWORKS, expected_failed_checks=expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


NETWORK_EXTRA_CHECKS = [
    check_param_validation,
    check_dataframe_column_names_consistency,
    check_n_features_in_after_fitting,
]


@pytest.mark.parametrize("estimator", NETWORKS[:2], ids=repr)
@pytest.mark.parametrize("check", NETWORK_EXTRA_CHECKS, ids=lambda c: c.__name__)
def test_network_checks_not_run_by_default(estimator, check):
    check(type(estimator).__name__, estimator)


EXTRA_CHECKS = [
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_output_transform_polars,
    check_global_output_transform_pandas,
    check_global_set_output_transform_polars,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    check_get_feature_names_out_error,
    check_dataframe_column_names_consistency,
    check_n_features_in_after_fitting,
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
@pytest.mark.parametrize("check", EXTRA_CHECKS, ids=lambda c: c.__name__)
def test_public_checks_not_run_by_default(estimator, check):
    check(type(estimator).__name__, estimator)


# parametrize_with_checks runs check_array_api_input (types, devices, dtypes)
# on every namespace scikit-learn knows for the transformers whose
# array_api_support tag is True; skipped cleanly where torch or CuPy is not
# installed or no CUDA device exists. Here the values are compared too.
ARRAY_API = [
    ("array_api_strict", "device1", "float32"),
    ("torch", "cpu", "float64"),
    ("torch", "cuda", "float32"),
    ("cupy", None, "float32"),
]


@pytest.mark.parametrize(
    "estimator",
    [e for e in ESTIMATORS if e.__sklearn_tags__().array_api_support],
    ids=repr,
)
@pytest.mark.parametrize("namespace, device, dtype", ARRAY_API)
def test_array_api_input_and_values(estimator, namespace, device, dtype):
    check_array_api_input(
        type(estimator).__name__,
        estimator,
        namespace,
        device_name=device,
        dtype_name=dtype,
        check_values=True,
    )
