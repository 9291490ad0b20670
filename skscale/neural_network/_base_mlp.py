"""The training loop shared by ``DropoutMLPRegressor`` and ``DropoutMLPClassifier``."""

import math
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from .._compat import Interval, StrOptions, _check_sample_weight
from ._checks import NO_TARGET, dropout_rates, generator, hidden_sizes, validated
from ._diagnostics import (
    EpochMonitor,
    TrainingHealthWarning,
    health_warnings,
    user_stacklevel,
)
from ._divergence import DivergenceMixin
from ._ensemble import EnsembleMixin
from ._network import build_layers, init_parameters, pack
from ._optimizers import OPTIMIZERS, clip_by_global_norm
from ._schedules import SCHEDULES, LearningRateSchedule
from ._threads import blas_threads_for, largest_product


class BaseDropoutMLP(EnsembleMixin, DivergenceMixin, BaseEstimator):
    """Multi-layer perceptron with dropout trained by mini-batch optimizers.

    Subclasses define ``_loss_name`` (a key of ``LOSSES``), ``_validate_targets``
    (returns the 2-D float target the network fits) and the public methods.
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [
            StrOptions({"identity", "logistic", "tanh", "relu", "leaky_relu"})
        ],
        "solver": [StrOptions(set(OPTIMIZERS))],
        "dropout": [Interval(Real, None, None, closed="neither"), "array-like"],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "learning_rate": [StrOptions(set(SCHEDULES))],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "clip_norm": [None, Interval(Real, 0, None, closed="neither")],
        "batch_norm": ["boolean"],
        "ftrl_l1": [Interval(Real, 0, None, closed="left")],
        "ftrl_l2": [Interval(Real, 0, None, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "n_members": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        dropout=0.0,
        alpha=0.0001,
        batch_size="auto",
        learning_rate_init=0.001,
        learning_rate="constant",
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        clip_norm=None,
        batch_norm=False,
        ftrl_l1=0.0,
        ftrl_l2=0.0,
        weight_decay: float = 0.0,
        n_members: int = 1,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.dropout = dropout
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.clip_norm = clip_norm
        self.batch_norm = batch_norm
        self.ftrl_l1 = ftrl_l1
        self.ftrl_l2 = ftrl_l2
        self.weight_decay = weight_decay
        self.n_members = n_members

    # ------------------------------------------------------------------ checks
    def _hidden_sizes(self):
        return hidden_sizes(self.hidden_layer_sizes)

    def _dropout_rates(self, n_hidden):
        return dropout_rates(self.dropout, n_hidden)

    def _validated(self, X, y=NO_TARGET, *, reset, **target_options):
        return validated(self, X, y, reset=reset, **target_options)

    # ---------------------------------------------------------- parameters
    def _initialize(self, n_features, n_outputs, dtype):
        hidden = self._hidden_sizes()
        sizes = [n_features, *hidden, n_outputs]
        self.n_layers_ = len(sizes)
        self.n_outputs_ = n_outputs
        self.coefs_, self.intercepts_, params, stats = init_parameters(
            self._rng, sizes, self.activation, self.batch_norm, dtype, self.n_members
        )
        # None without batch normalization, as validation_loss_curve_ without
        # early stopping; otherwise one array per hidden layer
        columns = {
            "gamma": [gamma for gamma, _ in params],
            "beta": [beta for _, beta in params],
            "running_mean": [mean for mean, _ in stats],
            "running_var": [var for _, var in stats],
        }
        for name, values in columns.items():
            setattr(self, f"batch_norm_{name}_", values if self.batch_norm else None)
        self.loss_curve_ = []
        self.best_loss_ = np.inf
        self.t_ = 0
        self._no_improvement_count = 0
        self.diagnostics_ = {
            "gradient_norm": np.empty((0, len(sizes) - 1)),
            "dead_fraction": np.empty((0, len(hidden))),
        }
        if self.early_stopping:
            self.validation_loss_curve_ = []
            self.best_validation_loss_ = np.inf
        else:
            self.validation_loss_curve_ = None
            self.best_validation_loss_ = None

    def _pack(self):
        """Put all parameters in one flat vector, the fitted arrays becoming views."""
        bn = [array for pair in self._batch_norm_params() for array in pair]
        flat, grad, views, grad_views = pack([*self.coefs_, *self.intercepts_, *bn])
        n_layers = len(self.coefs_)
        self.coefs_ = views[:n_layers]
        self.intercepts_ = views[n_layers : 2 * n_layers]
        if self.batch_norm_gamma_ is not None:
            # the gradient views of build_layers follow this order: gamma, beta
            self.batch_norm_gamma_ = views[2 * n_layers :: 2]
            self.batch_norm_beta_ = views[2 * n_layers + 1 :: 2]
        return flat, grad, grad_views

    def _batch_norm_params(self):
        """``[gamma, beta]`` of each normalized hidden layer (none without)."""
        pairs = zip(self.batch_norm_gamma_ or [], self.batch_norm_beta_ or [])
        return [[gamma, beta] for gamma, beta in pairs]

    def _batch_norm_stats(self):
        """``[running_mean, running_var]`` of each normalized hidden layer."""
        means, variances = self.batch_norm_running_mean_, self.batch_norm_running_var_
        return [[mean, var] for mean, var in zip(means or [], variances or [])]

    def _build_layers(self, grad_views=None):
        return build_layers(
            self.coefs_,
            self.intercepts_,
            self._batch_norm_params(),
            self._batch_norm_stats(),
            self.activation,
            self._dropout_rates(len(self.coefs_) - 1),
            self._rng,
            grad_views,
            self._n_members_fitted(),
        )

    def _raw_output(self, X):
        """Network output before the output function, in prediction mode: one
        block of ``n_outputs_`` columns per member."""
        output = X
        for layer in self._build_layers()[0]:
            output = layer.forward(output, training=False)
        return output

    def _make_optimizer(self, params):
        options = {
            "sgd": {"momentum": self.momentum, "nesterov": self.nesterovs_momentum},
            "adagrad": {"epsilon": self.epsilon},
            "adam": {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
            },
            "ftrl": {"l1": self.ftrl_l1, "l2": self.ftrl_l2},
        }[self.solver]
        return OPTIMIZERS[self.solver](params, self.learning_rate_init, **options)

    # ---------------------------------------------------------------- training
    def _fit(self, X, Y, sample_weight, *, first_call, incremental):
        """Train on validated ``X`` and 2-D float target ``Y``."""
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True.")
        if self.learning_rate_init * self.weight_decay >= 1:
            # every schedule starts at learning_rate_init and only lowers it
            raise ValueError(
                "learning_rate_init * weight_decay must be below 1 (each step "
                "multiplies the weights by 1 - learning_rate * weight_decay), got "
                f"learning_rate_init={self.learning_rate_init!r} and "
                f"weight_decay={self.weight_decay!r}."
            )
        hidden = self._hidden_sizes()
        if first_call:
            self._rng = generator(self.random_state)
            self._initialize(X.shape[1], Y.shape[1], X.dtype)
        elif (
            [c.shape[1] for c in self.coefs_[:-1]]
            != [self.n_members * h for h in hidden]
            or self._n_members_fitted() != self.n_members
            or self.batch_norm != (self.batch_norm_gamma_ is not None)
        ):
            raise ValueError(
                "hidden_layer_sizes, n_members and batch_norm cannot change between "
                "calls with warm_start=True or partial_fit; refit with "
                "warm_start=False."
            )
        dtype = self.coefs_[0].dtype
        # row gathers of mini-batches are fast on C-ordered data only
        X = np.ascontiguousarray(X, dtype=dtype)
        Y = np.ascontiguousarray(Y, dtype=dtype)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=dtype, ensure_non_negative=True
            )
        flat, grad, grad_views = self._pack()
        if (
            not incremental
            or getattr(self, "_optimizer", None) is None
            or self._optimizer_size != flat.size
        ):
            self._optimizer = self._make_optimizer([flat])
            self._optimizer_size = flat.size
        layers, activity_layers = self._build_layers(grad_views)
        n_coefs = sum(c.size for c in self.coefs_)
        X_val = Y_val = sw_val = None
        X_seen = X
        if self.early_stopping:
            X, X_val, Y, Y_val, sample_weight, sw_val = self._split(X, Y, sample_weight)
        offsets = np.cumsum([0] + [c.size for c in self.coefs_[:-1]])
        n_batches = -(-X.shape[0] // self._batch_size(X.shape[0]))
        monitor = EpochMonitor(
            offsets, n_batches, activity_layers, len(self.coefs_) - 1
        )
        first_epoch = len(self.loss_curve_)
        self.n_iter_ = 0
        try:
            # overflow is reported once, by the check of the loss, not by numpy
            work = largest_product(self._batch_size(X.shape[0]), self.coefs_)
            with np.errstate(over="ignore", invalid="ignore"), blas_threads_for(work):
                self._run_epochs(
                    X, Y, sample_weight, X_val, Y_val, sw_val,
                    layers, flat, grad, n_coefs, monitor, incremental,
                )  # fmt: skip
        except KeyboardInterrupt:
            warnings.warn("Training interrupted by user.", stacklevel=user_stacklevel())
        if self.early_stopping and self._best_snapshot is not None:
            self._restore(flat, self._best_snapshot)
        self._best_snapshot = None
        trained = len(self.loss_curve_) > first_epoch and self._good_snapshots
        if trained and not self._outputs_finite(X_seen):
            # the last updates left finite weights whose outputs overflow (float32)
            self._diverged(np.inf, flat, X_seen, what="network's output")
        self._good_snapshots = []
        if len(self.loss_curve_) > first_epoch:
            for message in health_warnings(
                self.diagnostics_["gradient_norm"],
                self.diagnostics_["dead_fraction"],
                np.array([c.size for c in self.coefs_]),
                first_epoch,
                monitor.initial_norm,
            ):
                warnings.warn(
                    message, TrainingHealthWarning, stacklevel=user_stacklevel()
                )
        return self

    def _split(self, X, Y, sample_weight):
        stratify = Y if self._loss_name != "squared_error" else None
        arrays = [X, Y] if sample_weight is None else [X, Y, sample_weight]
        parts = train_test_split(
            *arrays,
            test_size=self.validation_fraction,
            random_state=int(self._rng.integers(2**31 - 1)),
            stratify=stratify,
        )
        if parts[1].shape[0] < 2:
            raise ValueError(
                "The validation set is too small; increase validation_fraction or "
                "use more samples."
            )
        if sample_weight is None:
            parts += [None, None]
        X_train, X_val, Y_train, Y_val, sw_train, sw_val = parts
        return X_train, X_val, Y_train, Y_val, sw_train, sw_val

    def _run_epochs(
        self, X, Y, sample_weight, X_val, Y_val, sw_val,
        layers, flat, grad, n_coefs, monitor, incremental,
    ):  # fmt: skip
        # each member meets the target in its own block of output columns
        Y = np.tile(Y, (1, self.n_members)) if self.n_members > 1 else Y
        n_samples = X.shape[0]
        batch_size = self._batch_size(n_samples)
        X_batch = np.empty((batch_size, X.shape[1]), dtype=X.dtype)
        Y_batch = np.empty((batch_size, Y.shape[1]), dtype=Y.dtype)
        out_grad = np.empty_like(Y_batch)
        coefs, coef_grads = flat[:n_coefs], grad[:n_coefs]
        penalty_grad = np.empty_like(coefs)
        order = np.arange(n_samples)
        starts = range(0, n_samples, batch_size)
        params, grads = [flat], [grad]
        self._best_snapshot = None
        # the starts of the last two epochs: the weights to fall back on
        self._good_snapshots = []
        n_epochs = 1 if incremental else self.max_iter
        # partial_fit keeps the plateau count across calls, as scikit-learn
        # does, or learning_rate="adaptive" would never lower the rate there
        no_improvement = self._no_improvement_count if incremental else 0
        schedule = LearningRateSchedule(
            self.learning_rate,
            self.learning_rate_init,
            power_t=self.power_t,
            max_iter=self.max_iter,
        )
        for _ in range(n_epochs):
            self._good_snapshots = [*self._good_snapshots[-1:], self._snapshot(flat)]
            if self.shuffle:
                self._rng.shuffle(order)
            monitor.start_epoch()
            total_loss = 0.0
            for batch_number, start in enumerate(starts):
                index = order[start : start + batch_size]
                n_rows = len(index)
                # mode="clip" skips the bounds check that buffers the output
                Xb = X.take(index, axis=0, out=X_batch[:n_rows], mode="clip")
                Yb = Y.take(index, axis=0, out=Y_batch[:n_rows], mode="clip")
                sw = None if sample_weight is None else sample_weight[index]
                output = Xb
                for layer in layers:
                    output = layer.forward(output, training=True)
                gradient = out_grad[:n_rows]
                loss = self._member_loss(output, Yb, sw, gradient)
                for layer in reversed(layers):
                    gradient = layer.backward(gradient)
                if self.alpha:
                    weight_sum = n_rows if sw is None else float(sw.sum())
                    scale = self.alpha / weight_sum if weight_sum > 0 else 0.0
                    loss += 0.5 * scale * float(np.vdot(coefs, coefs))
                    np.multiply(coefs, scale, out=penalty_grad)
                    coef_grads += penalty_grad
                if not math.isfinite(loss):
                    self._diverged(loss, flat, X)
                if batch_number % monitor.stride == 0:
                    monitor.record_batch(coef_grads)
                if self.clip_norm is not None:
                    norm = math.sqrt(float(np.vdot(grad, grad)))
                    clip_by_global_norm(grads, self.clip_norm, norm)
                self._optimizer.step(params, grads)
                if self.weight_decay:
                    self._decay(coefs, params)
                total_loss += loss * n_rows
            if not np.isfinite(flat).all():
                self._diverged(np.nan, flat, X)
            n_probe = monitor.probe_rows(n_samples) if monitor.activity_layers else 0
            probe = X[order[:n_probe]]
            self._end_epoch(monitor, layers, probe, total_loss / n_samples, n_samples)
            self._optimizer.learning_rate = schedule.after_epoch(
                self._optimizer.learning_rate,
                epochs_done=len(self.loss_curve_) if incremental else self.n_iter_,
                samples_seen=self.t_,
            )
            if X_val is not None:
                improved = self._track_validation(X_val, Y_val, sw_val, flat)
            else:
                improved = self.loss_curve_[-1] < self.best_loss_ - self.tol
            self.best_loss_ = min(self.best_loss_, self.loss_curve_[-1])
            no_improvement = 0 if improved else no_improvement + 1
            self._no_improvement_count = no_improvement
            if no_improvement > self.n_iter_no_change:
                lowered = schedule.on_plateau(self._optimizer.learning_rate)
                if lowered is not None:  # learning_rate="adaptive"
                    self._optimizer.learning_rate = lowered
                    no_improvement = self._no_improvement_count = 0
                    continue
                if self.verbose:
                    print(
                        f"{'Validation' if X_val is not None else 'Training'} loss "
                        f"did not improve more than tol={self.tol} for "
                        f"{self.n_iter_no_change} consecutive epochs. Stopping."
                    )
                break
        else:
            if not incremental:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                    "reached and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=user_stacklevel(),
                )

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    def _end_epoch(self, monitor, layers, probe, loss, n_samples):
        self.n_iter_ += 1
        self.t_ += n_samples
        self.loss_ = loss
        self.loss_curve_.append(loss)
        gradient_norm, dead_fraction = monitor.end_epoch(layers, probe)
        history = self.diagnostics_
        history["gradient_norm"] = np.vstack([history["gradient_norm"], gradient_norm])
        history["dead_fraction"] = np.vstack([history["dead_fraction"], dead_fraction])
        if self.verbose:
            print(f"Iteration {self.n_iter_}, loss = {loss:.8f}")

    def _track_validation(self, X_val, Y_val, sw_val, flat):
        raw = self._raw_output(X_val)
        Y_val = np.tile(Y_val, (1, self.n_members)) if self.n_members > 1 else Y_val
        val_loss = self._member_loss(raw, Y_val, sw_val, np.empty_like(raw))
        self.validation_loss_curve_.append(val_loss)
        if self.verbose:
            print(f"Validation loss: {val_loss:.8f}")
        improved = val_loss < self.best_validation_loss_ - self.tol
        if val_loss < self.best_validation_loss_:
            self.best_validation_loss_ = val_loss
            self._best_snapshot = self._snapshot(flat)
        return improved
