"""One BLAS thread per process: checks run side by side, each on one core.

numpy's OpenBLAS starts a thread per core and keeps them spinning after each call, so on the 2-core machine an
offline check burnt about twice its CPU time (trafilatura-eval, per article: extraction 73 -> 35 ms, n-gram
scoring 15 -> 7 ms, encoder 86 -> 46 ms) and took the core another check was using. The matrices here are
small (a page's sentences), so one thread loses nothing. The encoder's onnxruntime session is held to one
thread for the same reason (bot/encoder.py).
"""

from __future__ import annotations

from functools import cache

from threadpoolctl import threadpool_limits


@cache
def one_blas_thread() -> None:
    """Limit every BLAS library loaded in this process to one thread (kept by forked workers)."""
    threadpool_limits(limits=1, user_api="blas")
