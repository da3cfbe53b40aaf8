"""Request hygiene that applies to every endpoint."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

NUL = "\x00"


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query or a form field is a 400, never a database error.

    PostgreSQL text cannot hold NUL, so such input would otherwise fail deep inside a query.
    (JSON bodies are checked by the API's serializers; texted bodies are cleaned on purpose.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or NUL in request.META.get("QUERY_STRING", "").replace("%00", NUL):
            return HttpResponseBadRequest("NUL bytes are not allowed in the address.")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields = {k: v for k, v in request.POST.lists() if k != "Body"}
            if any(
                NUL in key or any(NUL in value for value in values)
                for key, values in fields.items()
            ):
                return HttpResponseBadRequest("NUL bytes are not allowed in form fields.")
        return self.get_response(request)


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request, for login throttling (django-axes).

    Behind ``TRUSTED_PROXY_COUNT`` proxies REMOTE_ADDR is the nearest proxy's, the same for
    everyone; each proxy appends the address it saw to X-Forwarded-For, so the client is the
    entry that many places from the right. Entries further left were written by the client and
    are never trusted. A request with fewer entries did not come through the proxies (a probe
    on the private network): its REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
