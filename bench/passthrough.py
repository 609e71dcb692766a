"""The baseline: a bare WSGI app that makes the same onOffice call and nothing else.

No auth, no validation, no audit log, no Flask: what the backend's overhead is measured against.
"""

import os

from server.onoffice import OnOfficeClient

_client = OnOfficeClient(os.environ["ONOFFICE_API_URL"], os.environ["ONOFFICE_API_TOKEN"],
                         os.environ["ONOFFICE_API_SECRET"])
_MID = "<20261118093412.4F2A1@mueller-partner.de>"


def app(environ, start_response):  # type: ignore[no-untyped-def]
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    _client.link_email("anna.schmidt@makler-demo.de", _MID, "INBOX", 17, address_id=601)
    body = b'{"ok": true}'
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
