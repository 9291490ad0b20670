"""One fitted estimator shared by threads; every estimator under process-based CV."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from _public import fit, output, public_estimator_classes, small_instance, training_data
from sklearn.base import ClassifierMixin, RegressorMixin, clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

# the networks train a few epochs on purpose (small_instance): their
# ConvergenceWarning is expected; the tests here check threads and processes
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CLASSES = public_estimator_classes()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_eight_threads_give_the_serial_output(cls):
    X, y = training_data(n=400)
    estimator = fit(small_instance(cls), X, y)
    batches = [X[i::8] for i in range(8)]
    serial = [output(estimator, batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Each thread calls the estimator many times to overlap the calls.
        threaded = list(
            pool.map(lambda b: [output(estimator, b) for _ in range(20)], batches)
        )
    for expected, repeats in zip(serial, threaded):
        for result in repeats:
            np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_grid_search_with_processes(cls):
    X, y = training_data(n=90)
    estimator = small_instance(cls)
    if isinstance(estimator, ClassifierMixin):
        y = (y > np.median(y)).astype(int)
        model, prefix = estimator, ""
    elif isinstance(estimator, RegressorMixin):
        model, prefix = estimator, ""
    else:
        model, prefix = (
            make_pipeline(estimator, Ridge()),
            f"{type(estimator).__name__.lower()}__",
        )
    grid_params = (
        {f"{prefix}copy": [True, False]}
        if "copy" in estimator.get_params()
        else {f"{prefix}n_bins": [3, 5]}
        if "n_bins" in estimator.get_params()
        else {f"{prefix}alpha": [1e-4, 1e-3]}
    )
    grid = GridSearchCV(clone(model), grid_params, cv=2, n_jobs=2).fit(X, y)
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
