"""pickle, joblib and skops round trips for every fitted public estimator."""

import pickle

import joblib
import numpy as np
import pytest
from _public import fit, output, public_estimator_classes, small_instance, training_data

# the networks train a few epochs on purpose (small_instance): their
# ConvergenceWarning is expected; the tests here check persistence
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

skops_io = pytest.importorskip("skops.io")

CLASSES = public_estimator_classes()


@pytest.fixture(params=CLASSES, ids=lambda cls: cls.__name__)
def fitted(request):
    X, y = training_data()
    return fit(small_instance(request.param), X, y), X


def test_pickle_round_trip(fitted):
    estimator, X = fitted
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(output(restored, X), output(estimator, X))


def test_joblib_round_trip(fitted, tmp_path):
    estimator, X = fitted
    path = tmp_path / "model.joblib"
    joblib.dump(estimator, path)
    np.testing.assert_array_equal(output(joblib.load(path), X), output(estimator, X))


def test_skops_round_trip_trusts_only_skscale_types(fitted, tmp_path):
    estimator, X = fitted
    path = tmp_path / "model.skops"
    skops_io.dump(estimator, path)
    untrusted = skops_io.get_untrusted_types(file=path)
    # The audit list a user reviews before loading: skscale's own types only.
    assert untrusted, "skops should ask to trust at least the estimator's class"
    assert all(name.startswith("skscale.") for name in untrusted), untrusted
    restored = skops_io.load(path, trusted=untrusted)
    np.testing.assert_array_equal(output(restored, X), output(estimator, X))
