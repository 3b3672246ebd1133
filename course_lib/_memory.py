"""Keep the memory of freed arrays in the process on glibc Linux, so that training loops do not page-fault it back.

course_lib/__init__.py imports this module for its effect, with the line:

    from . import _memory  # noqa: F401 - glibc: keep freed arrays' memory for reuse (see _memory.py)

Why: every training step frees and re-allocates arrays of a few hundred KB; glibc's malloc gives such blocks back
to the kernel (mmap above ``M_MMAP_THRESHOLD``, heap trimming above ``M_TRIM_THRESHOLD``), and every page faults back
in on the next step: ``fit`` on [64, 32, 16, 1] x 1,800 took 1,925 µs an iteration with 565 page faults, 918 µs
with none once both thresholds are raised (``mallopt``, glibc's malloc(3) tuning call, through ctypes).

The process then keeps up to ``TRIM_THRESHOLD`` of freed memory for reuse; results never change. Nothing is done off
glibc (macOS, Windows, musl), when the environment already sets these thresholds (``MALLOC_TRIM_THRESHOLD_`` and the
like, or ``GLIBC_TUNABLES``), or when ``COURSE_LIB_MALLOPT=0`` is set before course_lib is imported.
"""

from __future__ import annotations

import ctypes
import os

OPT_OUT = "COURSE_LIB_MALLOPT"  # set to 0 to keep glibc's defaults
# From glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# 32 MiB is the ceiling of glibc's own sliding mmap threshold: arrays below it come from the heap.
MMAP_THRESHOLD = 32 * 2**20
# Free memory at the top of the heap is given back only beyond this: it bounds what the process keeps.
TRIM_THRESHOLD = 128 * 2**20
# The settings that decide when glibc gives memory back (environment variables MALLOC_<NAME>_, tunables glibc.malloc.*).
THRESHOLDS = ("TRIM_THRESHOLD", "MMAP_THRESHOLD", "TOP_PAD", "MMAP_MAX")


def glibc_version() -> str | None:
    """'glibc 2.36' on glibc; None elsewhere (the name is unknown on macOS and musl, and Windows has no confstr)."""
    try:
        return os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        return None


def malloc_already_configured(environ) -> bool:
    """True when the environment sets these thresholds itself: whoever did so chose, so leave them."""
    tunables = environ.get("GLIBC_TUNABLES", "")
    return any(f"MALLOC_{name}_" in environ or f"glibc.malloc.{name.lower()}" in tunables for name in THRESHOLDS)


def keep_freed_memory(environ=os.environ) -> bool:
    """Raise glibc's mmap and trim thresholds for the whole process; True if both were set, else no change."""
    if environ.get(OPT_OUT) == "0" or malloc_already_configured(environ) or glibc_version() is None:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the running process's C library
    except (OSError, AttributeError):
        return False
    # mallopt returns 1 on success; either setting also turns off glibc's sliding thresholds, hence both.
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1


APPLIED = keep_freed_memory()
