"""gunicorn's logger (deploy/gunicorn.conf.py): its own lines and the access log in the platform's
structured format (amrc.lib.structured_logging), one line per request.

The access line gives the path without its query string (where tracking parameters and search
terms go) and with the secrets of invitation and password-reset addresses masked, as the
application left it in the WSGI environ; no Referer either, which may carry another page's
secrets. The gunicorn master loads it before Django is set up: nothing here may need Django's
settings or apps.
"""

import datetime
import logging

from gunicorn.glogging import Logger

from amrc.lib.structured_logging import ENVIRON_LOG_PATH, ENVIRON_REQUEST_ID, formatter_for, log_format_from_env


class StructuredLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        formatter = formatter_for(log_format_from_env())
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(formatter)

    def access(self, resp, req, environ: dict, request_time: datetime.timedelta) -> None:
        if not self.access_log_enabled:
            return
        method = environ.get("REQUEST_METHOD", "-")
        # Only a resolved address is known to carry a token. One answered before URL resolution (a
        # refused host, the redirect to HTTPS) is logged as received: in the documented deployment
        # nginx answers those itself, with its own masking (deploy/nginx.conf).
        path = environ.get(ENVIRON_LOG_PATH) or environ.get("PATH_INFO", "")
        status = int(str(resp.status).split(None, 1)[0])
        fields = {
            "method": method,
            "path": path,
            "status": status,
            # gunicorn does not count what it sends with sendfile (static files): the announced length then.
            "bytes": resp.sent or getattr(resp, "response_length", None) or 0,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
        }
        if environ.get("HTTP_X_FORWARDED_FOR"):
            fields["forwarded_for"] = environ["HTTP_X_FORWARDED_FOR"]
        if environ.get(ENVIRON_REQUEST_ID):
            fields["request_id"] = environ[ENVIRON_REQUEST_ID]
        try:
            self.access_log.log(logging.INFO, "%s %s %s", method, path, status, extra=fields)
        except Exception:
            self.error_log.exception("The access line could not be written.")
