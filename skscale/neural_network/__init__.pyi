# The public types of skscale.neural_network (see skscale/_typing.pyi for why
# stubs). tests/test_typing.py holds every signature, Literal option and
# documented attribute here to the runtime classes.
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from typing_extensions import Self

from skscale._typing import BaseEstimator, InputData, RequestValue

__all__ = ["DropoutMLPClassifier", "DropoutMLPRegressor", "TrainingHealthWarning"]

class TrainingHealthWarning(UserWarning): ...

class _BaseDropoutMLP(BaseEstimator):
    coefs_: list[NDArray[np.floating[Any]]]
    intercepts_: list[NDArray[np.floating[Any]]]
    batch_norm_gamma_: list[NDArray[np.floating[Any]]] | None
    batch_norm_beta_: list[NDArray[np.floating[Any]]] | None
    batch_norm_running_mean_: list[NDArray[np.floating[Any]]] | None
    batch_norm_running_var_: list[NDArray[np.floating[Any]]] | None
    loss_: float
    loss_curve_: list[float]
    best_loss_: float
    validation_loss_curve_: list[float] | None
    best_validation_loss_: float | None
    diagnostics_: dict[str, NDArray[np.floating[Any]]]
    n_iter_: int
    t_: int
    n_layers_: int
    n_outputs_: int
    out_activation_: str
    n_features_in_: int
    feature_names_in_: NDArray[np.object_]
    def __init__(
        self,
        hidden_layer_sizes: int | ArrayLike = (100,),
        activation: Literal[
            "relu", "leaky_relu", "tanh", "logistic", "identity"
        ] = "relu",
        *,
        solver: Literal["adam", "sgd", "adagrad", "ftrl"] = "adam",
        dropout: float | ArrayLike = 0.0,
        alpha: float = 0.0001,
        batch_size: int | Literal["auto"] = "auto",
        learning_rate_init: float = 0.001,
        learning_rate: Literal[
            "constant", "invscaling", "adaptive", "cosine"
        ] = "constant",
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 0.0001,
        verbose: bool | int = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-08,
        n_iter_no_change: int = 10,
        clip_norm: float | None = None,
        batch_norm: bool = False,
        ftrl_l1: float = 0.0,
        ftrl_l2: float = 0.0,
        weight_decay: float = 0.0,
        n_members: int = 1,
    ) -> None: ...
    def score(
        self, X: InputData, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> float: ...
    def set_fit_request(self, *, sample_weight: RequestValue = ...) -> Self: ...
    def set_score_request(self, *, sample_weight: RequestValue = ...) -> Self: ...

class DropoutMLPRegressor(_BaseDropoutMLP):
    def fit(
        self, X: InputData, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> Self: ...
    def partial_fit(
        self, X: InputData, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> Self: ...
    def predict(self, X: InputData) -> NDArray[np.floating[Any]]: ...
    def set_partial_fit_request(self, *, sample_weight: RequestValue = ...) -> Self: ...

class DropoutMLPClassifier(_BaseDropoutMLP):
    classes_: NDArray[Any]
    def fit(
        self, X: InputData, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> Self: ...
    def partial_fit(
        self,
        X: InputData,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Self: ...
    def predict(self, X: InputData) -> NDArray[Any]: ...
    def predict_proba(self, X: InputData) -> NDArray[np.floating[Any]]: ...
    def predict_log_proba(self, X: InputData) -> NDArray[np.floating[Any]]: ...
    def set_partial_fit_request(
        self,
        *,
        classes: RequestValue = ...,
        sample_weight: RequestValue = ...,
    ) -> Self: ...
