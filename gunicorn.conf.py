"""gunicorn's settings for the Diversion Directory (gunicorn reads ./gunicorn.conf.py by itself):

    gunicorn --workers 2 --bind 0.0.0.0:8000 'directory:create_app()'

The request line may be as long as gunicorn allows (8190 bytes), well above the app's own limits
(``directory.security``: a 2,048-byte path and a 4,096-byte query string). So a URL the OpenAPI
document allows always reaches the app, and an over-long one gets the app's 414, with its security
and CORS headers, rather than gunicorn's bare page.
"""

limit_request_line = 8190  # gunicorn's largest
limit_request_field_size = 8190  # one header; a session cookie is a few hundred bytes
limit_request_fields = 100
