"""Names vulture cannot see used (make lint reads this file; it is never imported).

Each is reached by something other than a Python reference in the scanned code.
"""

# By a dotted string: settings, gunicorn.conf.py, the WSGI server, the bench's servers.
application  # hotline/wsgi.py, bench/bare.py, bench/baseline.py (WSGI entry points)
ConsoleSender  # TEXT_SENDER
TwilioSender  # TEXT_SENDER
HotlineAdminSite  # hotline.apps.HotlineAdminConfig.default_site
GunicornLogger  # gunicorn.conf.py logger_class
process_warm  # gunicorn.conf.py post_worker_init
database_settings  # hotline/settings.py (not scanned: its names are read by Django)
client_address  # AXES_CLIENT_IP_CALLABLE
StaffModelPermissions  # REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]
StrictLimitOffsetPagination  # REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]
api_exception_handler  # REST_FRAMEWORK["EXCEPTION_HANDLER"]

# Model fields read by the ORM, the admin, templates and the API by name.
opted_out_at
simulated
started_at
last_inbound_at
sending_since
alert_due
resolved_at
history  # django-simple-history's HistoricalRecords
decided_by
decided_at
_._history_user  # read by django-simple-history when the row is saved
_._change_reason  # read by django-simple-history when the row is saved

# Form and serializer fields, and template context, read by name.
send_anyway  # cases.admin reply form
confirm  # cases.serializers reply body
needs_verification  # routing.serializers
svg  # hotline/workspace/flowmap.py Diagram, read by the flow map template
new  # routing.hcch change row, read by the import review template
change_url  # routing.selectors row, read by the verification template

# The query-plan test fills its database through this bench entry point.
fill_in_transaction
