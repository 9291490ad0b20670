"""A numpy multi-layer perceptron with dropout, as scikit-learn estimators."""

from ._diagnostics import TrainingHealthWarning
from ._mlp import DropoutMLPRegressor
from ._mlp_classifier import DropoutMLPClassifier

__all__ = ["DropoutMLPClassifier", "DropoutMLPRegressor", "TrainingHealthWarning"]
