"""The benchmark's own arithmetic and signing (the run itself is `make bench`)."""

from twilio.request_validator import RequestValidator

from bench.run import PUBLIC, TOKEN, Run, signed


def test_percentiles_and_throughput():
    run = Run(latencies=[n / 1000 for n in range(1, 101)], errors=2, seconds=2.0)
    line = run.line()
    assert line["requests"] == 100
    assert line["rps"] == 50
    assert line["p50"] == 51
    assert line["p99"] == 100
    assert line["errors"] == 2


def test_requests_are_signed_as_twilio_signs_them():
    params = {"MessageSid": "SM1", "Body": "hi"}
    header = signed("/twilio/sms/", params)["X-Twilio-Signature"]
    assert RequestValidator(TOKEN).validate(f"{PUBLIC}/twilio/sms/", params, header)
