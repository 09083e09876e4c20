"""gunicorn settings for one Lotse app node (``lotse@PORT.service`` binds it to 127.0.0.1:PORT).

Sized for a machine with two cores: Lotse's requests spend most of their time in Python (the
GIL holds one thread per process at a time) and a little waiting for PostgreSQL, so a few
processes with a few threads each keep both cores busy without queuing work in the kernel.
``LOTSE_GUNICORN_WORKERS`` / ``LOTSE_GUNICORN_THREADS`` override the sizes (e.g. 4 workers on
a machine with four cores); ``LOTSE_GUNICORN_BIND`` is the node's address (the unit sets it
from its instance name). Run as ``gunicorn -c deploy/gunicorn_conf.py config.wsgi``.
"""

import os

# Processes x threads: 2 x 4 = 8 requests in progress per node.
workers = int(os.environ.get("LOTSE_GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("LOTSE_GUNICORN_THREADS", "4"))
worker_class = "gthread"

# Loopback only: the proxy is the one way in.
bind = os.environ.get("LOTSE_GUNICORN_BIND", "127.0.0.1:8001")

# Load Django once before forking: workers start fast and share the imported code's memory.
# No database connection is opened at import time, so none is shared between processes.
preload_app = True

# A PDF (case plan, committee report) may take seconds; nothing takes a minute.
timeout = 60
graceful_timeout = 30
# Longer than nginx keeps idle upstream connections (``keepalive_timeout`` in the site), so
# nginx never sends a request on a connection gunicorn is just closing.
keepalive = 75
# A fresh process now and then bounds the memory any slow leak could take.
max_requests = 5000
max_requests_jitter = 500

# Only the local proxy may say the request came over https (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"

# No access log here: URLs carry search terms. nginx logs requests without their query string;
# Lotse's own log (JSON on stderr, redacted) goes to the journal.
accesslog = None
errorlog = "-"
loglevel = "warning"
