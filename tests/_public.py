"""Every public estimator of skscale, fitted on small data, for the contract tests."""

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin

import skscale


def public_estimator_classes():
    """The classes in ``skscale.__all__``, so a new estimator joins automatically."""
    return [
        getattr(skscale, name)
        for name in skscale.__all__
        if isinstance(getattr(skscale, name), type)
    ]


def small_instance(cls):
    """A default instance, made quick to train where it trains."""
    estimator = cls()
    if "max_iter" in estimator.get_params():
        estimator.set_params(max_iter=5, random_state=0)
    return estimator


def training_data(seed=0, n=60):
    rng = np.random.default_rng(seed)
    X = rng.gamma(2.0, 2.0, size=(n, 3))
    y = X @ [1.0, -0.5, 0.25] + rng.normal(size=n)
    return X, y


def fit(estimator, X, y):
    """Fit with the target a supervised estimator needs, or without one."""
    if isinstance(estimator, ClassifierMixin):
        return estimator.fit(X, (y > np.median(y)).astype(int))
    if isinstance(estimator, RegressorMixin):
        return estimator.fit(X, y)
    return estimator.fit(X)


def output(estimator, X):
    """What a fitted estimator produces: transform, predict_proba or predict."""
    for method in ("transform", "predict_proba", "predict"):
        if hasattr(estimator, method):
            return getattr(estimator, method)(X)
    raise AssertionError(f"{estimator!r} has no output method")
