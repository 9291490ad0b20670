"""A numpy multi-layer perceptron with dropout, as scikit-learn estimators."""

from ._diagnostics import TrainingHealthWarning
from ._mlp import DropoutMLPClassifier, DropoutMLPRegressor

__all__ = ["DropoutMLPClassifier", "DropoutMLPRegressor", "TrainingHealthWarning"]
