"""gunicorn's configuration for the AMRC platform, read from the environment like the settings:

    gunicorn -c deploy/gunicorn.conf.py

GUNICORN_BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers), GUNICORN_TIMEOUT (seconds) and
LOG_FORMAT; the rest is fixed here on purpose. docs/deploy.md explains each choice and the
signals: HUP reloads the code with new workers, one by one finishing their requests; TERM stops
gracefully.
"""

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The project's modules, whatever directory gunicorn is started from.
sys.path.insert(0, str(PROJECT_DIR))

from amrc.lib.env import env_int, env_list  # noqa: E402
from ops.gunicorn_logger import StructuredLogger  # noqa: E402

wsgi_app = "amrc.wsgi:application"
chdir = str(PROJECT_DIR)
proc_name = "amrc"

# Several addresses may be given, comma-separated. Behind nginx on the same machine, loopback only:
# the app trusts its proxy's headers (BEHIND_PROXY), so nothing else may reach it.
bind = env_list("GUNICORN_BIND", ["127.0.0.1:8000"])

# Synchronous workers: the platform's requests are short and database-bound, and nginx buffers slow
# clients. Twice the cores plus one keeps the processors busy while some workers wait on PostgreSQL;
# capped because each worker holds a database connection (CONN_MAX_AGE).
workers = env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 9))
# A worker silent for this long is killed and replaced: the slowest legitimate request (publishing
# a bulletin of 10,000 companies) takes about a second. nginx waits a little longer (proxy_read_timeout).
timeout = env_int("GUNICORN_TIMEOUT", 30)
# On TERM or HUP, a worker has this long to finish the requests it holds.
graceful_timeout = 30
# Connections from nginx are reused for a few seconds; nginx keeps its side open for less.
keepalive = 5
# Each worker is replaced after about a thousand requests, one at a time thanks to the jitter, so that
# memory a request leaves behind cannot accumulate.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files on a memory file system: a container's disk may stall them.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# No runtime control socket (gunicornc): signals do what operators need, and several servers on one
# machine would contend for the same socket in the home directory.
control_socket_disable = True

# gunicorn never rewrites the request's scheme from a header: Django alone decides whether to believe
# X-Forwarded-Proto (BEHIND_PROXY=1), so there is one switch, and it is documented.
secure_scheme_headers = {}

# Both logs to the standard streams (the service manager keeps them), one structured line per event.
accesslog = "-"
errorlog = "-"
logger_class = StructuredLogger
