"""CPU of one link click inside the backend, next to another checkout's, in the same run.

    .venv/bin/python bench/link_cpu.py OTHER_CHECKOUT [THIS_CHECKOUT]

Both apps run in-process in demo mode (sandbox onOffice via an in-process transport, SQLite),
so neither network nor gunicorn nor the load generator blurs the figure: what is left is the
backend's own work per click (Flask, auth, validation, store writes, the onOffice envelope).
Rounds alternate between the two checkouts; the medians and their ratio are printed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROUNDS, CLICKS = 4, 300

# Run in a child so each checkout's `server` package is imported fresh.
CHILD = """
import sys, tempfile, time
sys.path.insert(0, sys.argv[1])
import server
assert server.__file__.startswith(sys.argv[1]), server.__file__
app = server.create_app({"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/cpu.sqlite3"})
c = app.test_client()
auth = {"Authorization": "Bearer " + c.post("/auth/demo", json={}).json["token"]}
body = {"messageId": "<20261118093412.4F2A1@mueller-partner.de>", "addressId": 601,
        "folder": "INBOX", "uid": 17}
for _ in range(100):
    c.post("/api/v1/links", json=body, headers=auth)
t = time.perf_counter()
for _ in range(int(sys.argv[2])):
    assert c.post("/api/v1/links", json=body, headers=auth).status_code == 200
print((time.perf_counter() - t) / int(sys.argv[2]) * 1000)
"""


def per_click_ms(checkout: Path) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, str(checkout), str(CLICKS)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    other = Path(sys.argv[1]).resolve()
    this = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parents[1]).resolve()
    times: dict[Path, list[float]] = {other: [], this: []}
    for _ in range(ROUNDS):
        for checkout in (other, this):
            times[checkout].append(per_click_ms(checkout))
    a, b = statistics.median(times[other]), statistics.median(times[this])
    print(f"{CLICKS} link clicks in-process, median of {ROUNDS} alternating rounds")
    print(f"  {other}: {a:.2f} ms per click  {[round(x, 2) for x in times[other]]}")
    print(f"  {this}: {b:.2f} ms per click  {[round(x, 2) for x in times[this]]}")
    print(f"  ratio this/other {b / a:.3f}")


if __name__ == "__main__":
    main()
