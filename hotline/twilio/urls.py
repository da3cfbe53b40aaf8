from django.urls import path

from hotline.twilio import sms

urlpatterns = [
    path("sms/", sms.sms_inbound, name="twilio-sms"),
]
