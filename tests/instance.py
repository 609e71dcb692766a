"""One app instance in its own process, for tests that need several (python -m tests.instance).

Reads its configuration as JSON from TEST_APP_CONFIG, serves on a free loopback port and prints
that port on the first line of stdout.
"""

from __future__ import annotations

import json
import os

from werkzeug.serving import make_server

from server import create_app


def main() -> None:
    app = create_app(json.loads(os.environ["TEST_APP_CONFIG"]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
