"""gunicorn settings for the production profile (`make prod`, docs/deploy.md).

Everything can be overridden from the environment: WEB_CONCURRENCY (worker processes),
GUNICORN_THREADS, BIND, GUNICORN_TIMEOUT."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers with a few threads each: the views are short and database-bound.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The app is imported once, then forked: less memory per worker, faster start.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "clusterhub.wsgi:application"
# No control socket: it defaults to one path per user, which two instances (a restore check
# beside the live site) would share; gunicorn is stopped and reloaded with signals here.
control_socket_disable = True
