"""One BLAS thread while training networks whose matrix products are small.

A mini-batch step multiplies a batch (200 rows by default) by each layer's
weights: products of a few million multiply-adds, too small for BLAS threads
to pay for their synchronization. Measured on the 2-core machine of the
benchmarks, 10 epochs of a 288-128-128-1 network on 12,000 float32 rows took
1.5 s of CPU on one thread and 17-18 s on two (7.5 s and 70 s of wall time,
the machine being shared). Training therefore limits BLAS to one thread when
the largest product of a step is below :data:`SMALL_PRODUCT` multiply-adds,
and leaves it alone above (wide layers or big batches gain from threads).

The limit is process-wide (BLAS has one thread count): concurrent fits share
it, counted, so that the last one to finish restores the original count.
"""

import threading
from contextlib import contextmanager

# 2**25 multiply-adds: a 256-row batch through a 512x256 layer.
SMALL_PRODUCT = 2**25

_LOCK = threading.Lock()
_depth = 0
_limiter = None
# Made once: each ThreadpoolController scans the process's loaded libraries,
# which took longer than a small network's whole fit (the quick demo's 1,224
# fits and partial_fit calls spent a fifth of their time there).
_controller = None


def largest_product(batch_size, coefs) -> int:
    """Multiply-adds of a mini-batch step's largest matrix product."""
    return batch_size * max(c.shape[0] * c.shape[1] for c in coefs)


@contextmanager
def blas_threads_for(work: int):
    """One BLAS thread inside the block when ``work`` is small, else no change."""
    global _depth, _limiter, _controller
    if work >= SMALL_PRODUCT:
        yield
        return
    from threadpoolctl import ThreadpoolController

    with _LOCK:
        if _depth == 0:
            if _controller is None:
                _controller = ThreadpoolController()
            _limiter = _controller.limit(limits=1, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0:
                _limiter.restore_original_limits()
                _limiter = None
