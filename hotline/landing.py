"""``/``: what someone opening the server's address needs, instead of a 404."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """Links to the staff workspace, the API docs and the health checks (no data shown)."""
    return TemplateResponse(request, "landing.html")
