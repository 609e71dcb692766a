"""Precision and recall of the suggestions over the mail corpus (tests/data/mails).

Runs the backend (non-demo configuration) against the sandbox onOffice on a real socket and
asks for suggestions for every corpus mail twice: as the pane did before (GET: sender,
participants and subject only) and with the body (POST). Prints both, per record kind.

    .venv/bin/python bench/suggestion_quality.py [--misses]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app  # noqa: E402
from server.sandbox.onoffice import SandboxOnOffice  # noqa: E402
from tests.conftest import NO_IMAP, migrated  # noqa: E402
from tests.servers import serve  # noqa: E402
from tests.suggestion_corpus import CorpusMail, evaluate, load  # noqa: E402

TOKEN, SECRET = "0123456789abcdef0123456789abcdef", "f" * 64
MAILBOX = "anna.schmidt@makler-demo.de"


def _config(url: str, db: Path) -> dict[str, str]:
    return {**NO_IMAP, "ONOFFICE_API_URL": url, "ONOFFICE_API_TOKEN": TOKEN, "ONOFFICE_API_SECRET": SECRET,
            "SECRET_KEY": "bench-secret-key-" + "x" * 32, "DATABASE_URL": migrated(f"sqlite:///{db}"),
            "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
            "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000",
            "ENTRA_CLIENT_SECRET": "bench-client-secret",
            "ENTRA_AUTHORITY_HOST": "https://127.0.0.1:9"}


def _line(label: str, result: dict[str, Any]) -> str:
    cells = []
    for key in ("estates", "addresses", "all"):
        s = result[key]
        cells.append(f"{key}: P {s.precision:.3f} R {s.recall:.3f} "
                     f"(tp {s.true_pos}, fp {s.false_pos}, fn {s.false_neg})")
    return f"{label:<22}" + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list mails whose estates differ")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per sandbox POST otherwise
    mails = load()
    with tempfile.TemporaryDirectory() as tmp, serve(SandboxOnOffice(TOKEN, SECRET)) as base:
        app = create_app(_config(base + "/api/stable/api.php", Path(tmp) / "bench.sqlite3"))
        svc = app.extensions["onoffice_mail_link"]
        token, _ = svc.sessions.issue("tid:oid-bench", MAILBOX, "Bench", "session")
        auth = {"Authorization": f"Bearer {token}"}
        client = app.test_client()

        def post(mail: CorpusMail) -> dict[str, Any]:
            return client.post("/api/v1/suggestions", headers=auth, json=mail.request()).get_json()

        def get(mail: CorpusMail) -> dict[str, Any]:
            query = {"from": mail.sender, "subject": mail.subject,
                     "participants": ",".join(mail.participants)}
            return client.get("/api/v1/suggestions", headers=auth, query_string=query).get_json()

        baseline, with_body = evaluate(mails, get), evaluate(mails, post)
        svc.onoffice.close()
    print(f"{len(mails)} mails, {sum(len(m.estates) for m in mails)} expected estates, "
          f"{sum(len(m.addresses) for m in mails)} expected addresses")
    print(_line("subject only (GET)", baseline))
    print(_line("with body (POST)", with_body))
    e = with_body["estates"]
    print(f"estate recall with body / subject only: {e.recall / max(baseline['estates'].recall, 1e-9):.2f}x;"
          f" targets precision >= 0.95, recall >= 0.9: "
          f"{'met' if with_body['all'].precision >= 0.95 and with_body['all'].recall >= 0.9 else 'MISSED'}")
    if args.misses:
        for name, want, got in with_body["misses"]:
            print(f"  {name}: expected {want}, got {got}")


if __name__ == "__main__":
    main()
