from django.urls import path

from hotline.twilio import sms, sms_status, voice

urlpatterns = [
    path("sms/", sms.sms_inbound, name="twilio-sms"),
    path("sms/status/", sms_status.sms_status, name="twilio-sms-status"),
    path("voice/", voice.voice_incoming, name="twilio-voice"),
    path("voice/step/", voice.voice_step, name="twilio-voice-step"),
    path("voice/dial/", voice.voice_dial_result, name="twilio-voice-dial"),
    path("voice/voicemail/", voice.voice_voicemail, name="twilio-voice-voicemail"),
    path("voice/status/", voice.voice_status, name="twilio-voice-status"),
]
