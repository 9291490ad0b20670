"""Warnings from training point at the user's line, not at scikit-learn's."""

import inspect
import warnings

import pytest
from sklearn.datasets import load_diabetes
from sklearn.pipeline import make_pipeline

from skscale import DropoutMLPRegressor
from skscale.neural_network import TrainingHealthWarning


def dying_network():
    # unscaled inputs with Adagrad at 0.5 kill most ReLU units (the demo's case)
    return DropoutMLPRegressor(
        hidden_layer_sizes=(10, 10),
        solver="adagrad",
        learning_rate_init=0.5,
        clip_norm=5.0,
        batch_size=50,
        max_iter=20,
        random_state=0,
    )


@pytest.mark.parametrize("wrap", [False, True], ids=["estimator", "pipeline"])
def test_training_health_warning_names_the_callers_line(wrap):
    X, y = load_diabetes(return_X_y=True, scaled=False)
    model = make_pipeline(dying_network()) if wrap else dying_network()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        model.fit(X, y)
    health = [w for w in caught if issubclass(w.category, TrainingHealthWarning)]
    assert health, [str(w.message) for w in caught]
    for warning in health:
        assert (warning.filename, warning.lineno) == (__file__, line)
