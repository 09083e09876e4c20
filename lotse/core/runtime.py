"""How a process that serves requests sets up Python's cyclic garbage collector.

Measured on the 100k-person city (case page, "My families", timeline on PostgreSQL): with
Python's defaults (700, 10, 10) a request allocates enough to set off hundreds of young
collections, which promote the request's short-lived objects into the old generation; every
few requests a full collection then walks all of Django's and Lotse's long-lived objects
(some 200,000) — 50–250 ms in the middle of some unlucky request, about a tenth of the time
in all. Two changes take most of that away:

* ``gc.freeze()`` once the application is loaded: its modules, classes and settings live as
  long as the process and are never garbage, so no collection needs to walk them. In a
  pre-forking server (gunicorn with ``preload_app``) this happens in the master before the
  fork, which also keeps the collector from touching — and so copying — the shared pages.
* a young generation of 20,000 objects instead of 700: most of a request's objects are then
  freed by reference counting before any collection sees them, and far fewer are promoted.
  Measured over 150 such pages: 0.9 s in the collector with the defaults (after freezing),
  0.4 s with 20,000; 50,000 saves little more but pauses 30 ms at each young collection.

The thresholds are a trade of memory for time: a worker holds a few megabytes of young
garbage more. ``lotse bench`` serves its pages the same way, so that it measures what a
server does.
"""

from __future__ import annotations

import gc

SERVING_THRESHOLDS = (20_000, 10, 10)


def tune_garbage_collector() -> None:
    """Freeze what is loaded so far and set the collector's thresholds for serving."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
