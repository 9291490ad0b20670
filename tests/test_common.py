"""scikit-learn's estimator checks over every public estimator of skscale."""

import pytest
from sklearn.utils.estimator_checks import (
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
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

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
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: {})
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


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
