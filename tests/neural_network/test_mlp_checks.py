"""scikit-learn's estimator checks on both networks, with and without dropout."""

import pytest
from sklearn.utils.estimator_checks import (
    check_param_validation,
    parametrize_with_checks,
)

from skscale.neural_network import DropoutMLPClassifier, DropoutMLPRegressor

# small networks and few epochs keep the checks fast; the learning rate is raised
# so that the checks' quality bars are met within those epochs
_SMALL = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=60)

ESTIMATORS = [
    DropoutMLPRegressor(**_SMALL),
    DropoutMLPClassifier(**_SMALL),
    DropoutMLPRegressor(**_SMALL, dropout=0.2),
    DropoutMLPClassifier(**_SMALL, dropout=0.2),
]

_RANDOM_MASKS = (
    "with dropout, the random masks drawn for a row of weight 2 differ from the "
    "masks drawn for its two repetitions, so weighting is equivalent to repeating "
    "rows only in expectation"
)


def _expected_failures(estimator):
    if estimator.dropout == 0:
        return {}
    return {
        "check_sample_weight_equivalence_on_dense_data": _RANDOM_MASKS,
    }


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS[:2], ids=repr)
def test_parameter_validation(estimator):
    # public check that parametrize_with_checks does not run by default
    check_param_validation(type(estimator).__name__, estimator)
