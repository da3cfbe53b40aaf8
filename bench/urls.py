"""The framework baseline's only URL: the text webhook's path, answered with fixed TwiML."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.bare import BODY


@csrf_exempt
@require_POST
def fixed_twiml(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/xml")


urlpatterns = [path("twilio/sms/", fixed_twiml)]
