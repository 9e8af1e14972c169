"""Serving in production: ``/healthz`` (does the database answer, is the search index built) and the
warm-up gunicorn runs before a worker takes traffic (``gunicorn.conf.py``)."""
