from django.urls import path

from hotline.twilio import sms, sms_status

urlpatterns = [
    path("sms/", sms.sms_inbound, name="twilio-sms"),
    path("sms/status/", sms_status.sms_status, name="twilio-sms-status"),
]
