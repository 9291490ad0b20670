"""``DropoutMLPRegressor``: the network for regression."""

from sklearn.base import RegressorMixin

from .._compat import _fit_context, check_is_fitted
from ._base_mlp import BaseDropoutMLP
from ._unchanged import unchanged_on_error


class DropoutMLPRegressor(RegressorMixin, BaseDropoutMLP):
    """Multi-layer perceptron regressor with dropout, in numpy.

    Each hidden layer computes ``act(X @ W + b)``, optionally batch-normalized
    before the activation and followed by inverted dropout during training; the
    output layer is linear. It minimizes the half mean squared error
    ``sum_i w_i ||y_i - f(x_i)||^2 / (2 sum_i w_i)`` plus an L2 penalty, by
    mini-batch gradient descent (backpropagation) with the chosen optimizer.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_hidden_layers,), default=(100,)
        Number of units of each hidden layer; the course's network is ``(10, 10)``.

    activation : {"relu", "leaky_relu", "tanh", "logistic", "identity"}, \
            default="relu"
        Activation of the hidden layers. ``"leaky_relu"`` is ``max(z, 0.01 z)``.
        ReLU-like activations get He initialization, the others Glorot's.

    solver : {"adam", "sgd", "adagrad", "ftrl"}, default="adam"
        Optimizer: Adam; stochastic gradient descent with ``momentum``
        (``momentum=0`` is plain gradient descent); Adagrad; FTRL-Proximal, whose
        ``ftrl_l1`` gives exact zeros in the weights.

    dropout : float or array-like of shape (n_hidden_layers,), default=0.0
        Probability of dropping each hidden unit during training, for every hidden
        layer or one per hidden layer, in [0, 1). Kept units are scaled by
        ``1 / (1 - dropout)`` (inverted dropout), so prediction uses the whole
        network unchanged. 0.0 means no dropout; 1.0 is rejected, since the model
        would learn nothing. The rate applied is rounded to a multiple of
        ``2**-16`` (masks are drawn as 16-bit integers, which is faster).

    alpha : float, default=0.0001
        Strength of the L2 penalty ``alpha / (2 n_batch) * ||W||^2`` on the weights,
        as in scikit-learn.

    batch_size : int or "auto", default="auto"
        Mini-batch size; ``"auto"`` is ``min(200, n_samples)``.

    learning_rate_init : float, default=0.001
        Initial learning rate of the optimizer.

    learning_rate : {"constant", "invscaling", "adaptive", "cosine"}, \
            default="constant"
        Schedule of the learning rate, applied to every solver (scikit-learn
        applies its three to ``solver="sgd"`` only). ``"constant"`` keeps
        ``learning_rate_init``; ``"invscaling"`` uses
        ``learning_rate_init / (t_ + 1) ** power_t`` after each epoch;
        ``"adaptive"`` divides the rate by 5 each time the loss has not
        improved by ``tol`` for more than ``n_iter_no_change`` epochs, and
        stops at such a plateau once the rate is 1e-6 or less; ``"cosine"``
        anneals it from ``learning_rate_init`` to 0 over ``max_iter`` epochs,
        ``learning_rate_init * (1 + cos(pi * epoch / max_iter)) / 2``
        (Loshchilov and Hutter, 2017), which on quantile-encoded features gave
        the lowest error (``examples/plot_california_encoders.py``). With
        ``partial_fit`` each call is an epoch.

    power_t : float, default=0.5
        Exponent of ``learning_rate="invscaling"``.

    max_iter : int, default=200
        Maximum number of epochs (passes over the training data).

    shuffle : bool, default=True
        Whether to shuffle the samples before each epoch.

    random_state : int, RandomState instance or None, default=None
        Seeds the initialization, the shuffling, the dropout masks and the
        validation split. An int gives reproducible fits.

    tol : float, default=1e-4
        Training stops when the loss (the validation loss with
        ``early_stopping=True``) has not improved by at least ``tol`` for more than
        ``n_iter_no_change`` consecutive epochs.

    verbose : bool, default=False
        Print the loss of every epoch.

    warm_start : bool, default=False
        Reuse the weights of the previous call to ``fit`` (a new optimizer is
        created, as in scikit-learn).

    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].

    nesterovs_momentum : bool, default=True
        Whether ``solver="sgd"`` uses Nesterov's momentum.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data, stop when its loss
        stops improving and restore the weights of the epoch with the lowest
        validation loss.

    validation_fraction : float, default=0.1
        Fraction of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Decay of Adam's first moment estimate, in [0, 1).

    beta_2 : float, default=0.999
        Decay of Adam's second moment estimate, in [0, 1).

    epsilon : float, default=1e-8
        Numerical stability term of Adam and Adagrad.

    n_iter_no_change : int, default=10
        Number of epochs without an improvement of ``tol`` before stopping.

    clip_norm : float or None, default=None
        If set, the gradient of each mini-batch is rescaled so that its global
        norm is at most ``clip_norm``; the course clips at 5.0.

    batch_norm : bool, default=False
        Normalize each hidden layer's input to its activation over the mini-batch
        (running statistics are used for prediction).

    ftrl_l1 : float, default=0.0
        L1 strength of ``solver="ftrl"``; larger values give more exact zeros.

    ftrl_l2 : float, default=0.0
        L2 strength of ``solver="ftrl"``.

    weight_decay : float, default=0.0
        Decoupled weight decay (Loshchilov and Hutter's AdamW): after each
        optimizer step the weights (not the intercepts) are multiplied by
        ``1 - learning_rate * weight_decay``, with the scheduled learning rate.
        Unlike ``alpha``, whose gradient Adam and Adagrad rescale per
        coordinate, every weight shrinks by the same factor. With
        ``solver="ftrl"``, whose weights are computed from its accumulators,
        the accumulated linear terms are recomputed so that the decayed weights
        are kept (and weights made exactly zero by ``ftrl_l1`` stay zero).
        ``learning_rate_init * weight_decay`` must be below 1.

    n_members : int, default=1
        Number of networks trained together as an ensemble (Gorishniy et al.'s
        TabM trains its members the same way): each member has its own
        initialization, dropout masks and weights, all see the same
        mini-batches, and the loss is the mean of the members' losses. The
        ensemble predicts the mean of the members' outputs. A member costs
        about one network of ``hidden_layer_sizes``; with a fixed number of
        epochs the fit takes about ``n_members`` times as long.

    Attributes
    ----------
    coefs_ : list of ndarray of shape (n_inputs, n_units)
        Weight matrix of each layer. With ``n_members=k > 1`` the members sit
        side by side, so that the ordinary forward pass computes all of them:
        ``coefs_[0]`` has ``k * h_1`` columns (member ``m``'s units are
        columns ``m * h_1`` to ``(m + 1) * h_1``); each later matrix is
        block-diagonal, member ``m``'s block at rows ``m * h_in:(m + 1) * h_in``
        and columns ``m * h_out:(m + 1) * h_out``, zero elsewhere; the last one
        has ``k * n_outputs`` columns, member ``m``'s outputs at columns
        ``m * n_outputs:(m + 1) * n_outputs``, which ``predict`` averages.

    intercepts_ : list of ndarray of shape (n_units,)
        Bias vector of each layer (``k`` times as long with ``n_members=k``,
        laid out as the columns of ``coefs_``).

    batch_norm_gamma_ : list of ndarray of shape (n_units,) or None
        Scale of each hidden layer's batch normalization when
        ``batch_norm=True`` (``None`` otherwise), laid out as the columns of
        ``coefs_`` (member ``m``'s units at ``m * h:(m + 1) * h`` with
        ``n_members > 1``). At prediction, hidden layer ``i`` computes
        ``act((z - batch_norm_running_mean_[i]) * batch_norm_gamma_[i] /
        sqrt(batch_norm_running_var_[i] + 1e-5) + batch_norm_beta_[i])``
        from ``z = x @ coefs_[i] + intercepts_[i]``, with epsilon 1e-5.

    batch_norm_beta_ : list of ndarray of shape (n_units,) or None
        Offset of each hidden layer's batch normalization, likewise.

    batch_norm_running_mean_ : list of ndarray of shape (n_units,) or None
        Running mean of each hidden layer's ``z`` over the mini-batches
        (``running <- 0.9 * running + 0.1 * batch``, not weighted by
        ``sample_weight``), used at prediction; likewise.

    batch_norm_running_var_ : list of ndarray of shape (n_units,) or None
        Running (biased) variance of each hidden layer's ``z``, likewise.

    loss_ : float
        Training loss (with the penalty) averaged over the last epoch.

    loss_curve_ : list of float
        Training loss of each epoch.

    best_loss_ : float
        Lowest value of ``loss_curve_``.

    validation_loss_curve_ : list of float or None
        Validation loss of each epoch when ``early_stopping=True``.

    best_validation_loss_ : float or None
        Lowest validation loss (the mean of the members' with ``n_members >
        1``); the weights of that epoch are the ones kept.

    diagnostics_ : dict of ndarray
        ``"gradient_norm"``, of shape (n_epochs, n_layers): the root mean square
        of the norm of each layer's weight gradient over the epoch's mini-batches
        (32 evenly spaced ones on long epochs); ``"dead_fraction"``, of shape
        (n_epochs, n_hidden_layers): the fraction of units of each ReLU hidden
        layer that output 0 for every training row of a sample taken at the end of
        the epoch (all rows up to 1,000, then 5%, at most 10,000; NaN for other
        activations). A ``TrainingHealthWarning`` names vanishing or exploding
        gradients or dead units, with the course's remedy, when they show up.

    n_iter_ : int
        Number of epochs run by the last call to ``fit`` (1 for ``partial_fit``).

    t_ : int
        Number of training samples seen, over all calls.

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of targets.

    out_activation_ : str
        Output function, ``"identity"``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during ``fit``, when they are all strings.

    See Also
    --------
    sklearn.neural_network.MLPRegressor : scikit-learn's network, without dropout,
        Adagrad, FTRL, gradient clipping or batch normalization.
    DropoutMLPClassifier : The same network for classification.

    Notes
    -----
    Inputs must be finite (NaN is rejected); scale the features first (for
    instance in a Pipeline), as the course does. float32 input trains and
    predicts in float32. A loss that becomes NaN or infinite stops training with
    a ``FloatingPointError`` that suggests a lower learning rate or ``clip_norm``,
    and the weights of the last finite epoch are kept; so does a fit whose loss
    stayed finite but whose final weights give infinite outputs on the training
    data (float32 overflows first), so predictions are never ±inf after a
    divergence. Interrupting ``fit`` with Ctrl-C keeps the weights trained so
    far (the best ones with early stopping). Any other error of ``fit`` or
    ``partial_fit`` (bad input, a new column count, bad ``sample_weight``)
    leaves the estimator exactly as it was before the call, unfitted if it was.
    The networks train on NumPy arrays only, with or without scikit-learn's
    ``array_api_dispatch``: move torch or CuPy data to the host first (the
    normalizers run on the device).

    References
    ----------
    Srivastava et al., "Dropout: a simple way to prevent neural networks from
    overfitting", JMLR 15, 2014.

    Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015.

    McMahan et al., "Ad click prediction: a view from the trenches", KDD 2013.

    Ioffe and Szegedy, "Batch normalization", ICML 2015.

    Loshchilov and Hutter, "Decoupled weight decay regularization", ICLR 2019.

    Gorishniy, Kotelnikov and Babenko, "TabM: advancing tabular deep learning
    with parameter-efficient ensembling", ICLR 2025.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skscale.neural_network import DropoutMLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=4, noise=1.0, random_state=0)
    >>> reg = DropoutMLPRegressor(
    ...     hidden_layer_sizes=(32,), dropout=0.1, learning_rate_init=0.05,
    ...     max_iter=300, random_state=0,
    ... ).fit(X / X.std(axis=0), y / y.std())
    >>> reg.predict(X[:3] / X.std(axis=0)).shape
    (3,)
    >>> bool(reg.score(X / X.std(axis=0), y / y.std()) > 0.95)
    True
    """

    _loss_name = "squared_error"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    @unchanged_on_error
    def fit(self, X, y, sample_weight=None):
        """Fit the network to ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        first_call = not (self.warm_start and hasattr(self, "coefs_"))
        X, Y = self._validate_xy(X, y, first_call)
        return self._fit(X, Y, sample_weight, first_call=first_call, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    @unchanged_on_error
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch on ``X`` and ``y``, keeping the optimizer's state.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : object
            The updated estimator.
        """
        first_call = not hasattr(self, "coefs_")
        X, Y = self._validate_xy(X, y, first_call)
        return self._fit(X, Y, sample_weight, first_call=first_call, incremental=True)

    def _validate_xy(self, X, y, first_call):
        X, y = self._validated(
            X, y, reset=first_call, multi_output=True, y_numeric=True
        )
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not first_call and Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} targets but the network was fitted with "
                f"{self.n_outputs_}."
            )
        self.out_activation_ = "identity"
        return X, Y

    def predict(self, X):
        """Predict with the whole network (no dropout).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values, in the dtype of the weights.
        """
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        raw = self._raw_output(X.astype(self.coefs_[0].dtype, copy=False))
        k = self._n_members_fitted()
        if k > 1:  # the ensemble's prediction: the mean of its members'
            raw = raw.reshape(raw.shape[0], k, self.n_outputs_).mean(axis=1)
        return raw.ravel() if self.n_outputs_ == 1 else raw
