"""gunicorn's settings for the Diversion Directory (gunicorn reads ./gunicorn.conf.py by itself):

    gunicorn --bind 0.0.0.0:8000 'directory:create_app()'

Workers take no traffic before they hold the search index: the master builds it once (with the
lookup tables the first search or match needs) and forks the workers from itself (``preload_app``),
so they share those pages copy-on-write and start in milliseconds. Before each fork (a worker
replaced after a timeout, or the new workers of a graceful reload on HUP) the master brings the index
up to date; the master holds no database connection across a fork, and each worker forgets any it
inherited. Because the app is loaded once in the master, new code needs a restart (or USR2 then QUIT
to the old master), not HUP.

The access log says when, the method, the path without its query string (searches carry postcodes
and needs), the status, the size and the time taken: no client address, query, referrer or user
agent. The client's address reaches the app through ``PROXY_FIX_X_FOR``, for throttling only.

The request line may be as long as gunicorn allows (8190 bytes), well above the app's own limits
(``directory.security``: a 2,048-byte path and a 4,096-byte query string). So a URL the OpenAPI
document allows always reaches the app, and an over-long one gets the app's 414, with its security
and CORS headers, rather than gunicorn's bare page.
"""

from __future__ import annotations

import os
from typing import Any

limit_request_line = 8190  # gunicorn's largest
limit_request_field_size = 8190  # one header; a session cookie is a few hundred bytes
limit_request_fields = 100

workers = int(os.environ.get("WEB_CONCURRENCY") or 2)  # stateless: add workers, or machines, freely
preload_app = True
control_socket_disable = True  # one fixed path per user: two servers on a machine would fight over it
timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 30  # on HUP or TERM, requests in flight get this long to finish
keepalive = 5  # behind a proxy that keeps connections open

accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def _directory_app(server: Any) -> Any:
    """The preloaded app when it is this project's (bench/ serves a bare app with this file too)."""
    if not server.cfg.preload_app:
        return None
    from directory.health.warm import is_directory_app

    app = server.app.wsgi()
    return app if is_directory_app(app) else None


def when_ready(server: Any) -> None:
    """In the master, before the first fork: build what the workers will share."""
    app = _directory_app(server)
    if app is not None:
        from directory.health.warm import warm

        warm(app)
        server.log.info("search index built; forking workers")


def pre_fork(server: Any, _worker: Any) -> None:
    """In the master: a worker forked after the directory changed starts with the new index."""
    app = _directory_app(server)
    if app is not None:
        from directory.health.warm import refresh

        try:
            refresh(app)
        except Exception as error:  # the database away: the worker builds the index when it can
            server.log.warning("could not refresh the search index before a fork: %s", type(error).__name__)


def post_fork(server: Any, _worker: Any) -> None:
    """In the new worker: never reuse a connection the master opened."""
    app = _directory_app(server)
    if app is not None:
        from directory.health.warm import forget_connections

        forget_connections(app, close=False)


def post_worker_init(worker: Any) -> None:
    """Without ``preload_app`` (``--no-preload`` is not a gunicorn flag: edit the line above), each
    worker builds its own index here, before it accepts a connection."""
    if worker.cfg.preload_app:
        return
    from directory.health.warm import is_directory_app, warm

    if is_directory_app(worker.wsgi):
        warm(worker.wsgi)
