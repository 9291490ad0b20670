"""A failed ``fit`` or ``partial_fit`` leaves the network exactly as it was."""

import copy
import functools

import numpy as np

# set on the FloatingPointError of a divergence: its weights are kept on purpose
WEIGHTS_KEPT = "_skscale_weights_kept"


def unchanged_on_error(method):
    """Decorate ``fit`` or ``partial_fit``: if the call raises, restore ``__dict__``.

    Training updates its state in place (the optimizer's moments, the random
    generator, the batch-normalization statistics, ``loss_curve_``), and a
    call can fail after some of it changed: a new column count set by
    validation before a column of inf is found, a bad ``sample_weight`` after
    the weights were initialized, an error in the middle of an epoch. So the
    fitted state is deep-copied before the call and put back if it raises,
    parameters excepted (they are kept by reference, as ``set_params`` left
    them, and a ``RandomState`` passed as ``random_state`` gets its state
    back). The copy costs about what the call's own packing of the weights
    costs (the optimizer's state included, two to three times that).

    Two outcomes are not failures and keep what was trained: a Ctrl-C during
    training (caught by the training loop, which warns and returns), and a
    divergence, whose ``FloatingPointError`` keeps the weights of the last
    finite epoch (marked with ``WEIGHTS_KEPT``).
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        params = self.get_params(deep=False)
        saved = {
            key: value if key in params else copy.deepcopy(value)
            for key, value in vars(self).items()
        }
        random_state = params.get("random_state")
        if isinstance(random_state, np.random.RandomState):
            saved_random_state = random_state.get_state()
        try:
            return method(self, *args, **kwargs)
        except BaseException as exc:
            if not getattr(exc, WEIGHTS_KEPT, False):
                self.__dict__.clear()
                self.__dict__.update(saved)
                if isinstance(random_state, np.random.RandomState):
                    random_state.set_state(saved_random_state)
            raise

    return wrapper
