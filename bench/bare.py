"""The bare server: the same gunicorn answering a fixed TwiML document, no Django at all.

Not a target's yardstick (that is bench/baseline.py, the framework); it shows what the
server and the load generator cost by themselves on this machine.
"""

BODY = b'<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>'


def application(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(BODY)))])
    return [BODY]
