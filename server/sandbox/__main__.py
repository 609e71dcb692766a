"""`python -m server.sandbox [PORT]`: the sandbox onOffice on 127.0.0.1 (default port 8900)."""

import sys

from werkzeug.serving import run_simple

from .serve import app

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8900
print(f"sandbox onOffice at http://127.0.0.1:{port}/api/stable/api.php", flush=True)
run_simple("127.0.0.1", port, app, threaded=True)
