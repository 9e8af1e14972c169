"""Security headers on every response, and the app's own limits on a URL's length.

gunicorn refuses a request line longer than its ``limit_request_line`` with a bare page (no security
or CORS headers). ``gunicorn.conf.py`` sets that limit above these, so an over-long URL reaches the app
and gets its 414 here, with every header; the OpenAPI document's ``maxLength`` bounds keep every
request it allows within them.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


MAX_PATH_BYTES = 2048
MAX_QUERY_BYTES = 4096
TOO_LONG = "This web address is too long. Go back and try again with fewer words or filters."


def refuse_long_urls() -> None:
    """414 for a path or query string longer than the app takes (bytes as sent, percent-encoded)."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    if len(raw.partition("?")[0]) > MAX_PATH_BYTES or len(environ.get("QUERY_STRING", "")) > MAX_QUERY_BYTES:
        abort(414, description=TOO_LONG)


def init_app(app: Flask) -> None:
    """Refuse over-long URLs; add the security headers (a CSP with no inline scripts, no framing, no
    sniffing) to every response, errors included."""
    app.before_request(refuse_long_urls)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
