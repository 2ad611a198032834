"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py wsgi:app`.

The access log leaves out the client address (%(h)s) and user agent (%(a)s) on purpose:
pupils must not be traceable from our logs. It logs the path without its query string, so
what a DSL types in a search (a child's name) never reaches it either. Put the same rules in
any proxy in front.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
# Never trust X-Forwarded-For for anything we store: we store no addresses at all.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
