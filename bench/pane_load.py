"""How heavy and how fast the task pane's first load is, against the demo backend.

Prints, in one run on this machine:
  * first-load bytes of the pane (HTML + CSS + JS, uncompressed, as Chromium loaded them;
    office.js excluded) next to the 50 KB target;
  * in Chromium (Debian's, via Playwright), median time from navigation to "usable" (links and
    suggestions drawn, buttons live) for the Outlook path with a kept session token, split into
    start-up, the pane's API phase (links + suggestions in parallel) and drawing;
  * the backend's own round trip for GET /api/v1/links, measured from the same page in the same run;
  * the ratios: API phase / links round trip (target <= 1.2) and usable / (start-up + round trip).

    .venv/bin/python bench/pane_load.py [--runs 15] [--latency-ms 50]

--latency-ms makes the embedded sandbox onOffice answer that much later (DEMO_LATENCY_MS), so the
round trip looks like a real onOffice call rather than a loopback no-op.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, office_item  # noqa: E402
from tests.browser.pages import ANNA, READY, open_outlook  # noqa: E402

TARGET_BYTES = 50 * 1024
MID = "<20261118093412.4F2A1@mueller-partner.de>"
LINKS = "/api/v1/links?" + urlencode({"messageId": MID})
SUGGESTIONS = "/api/v1/suggestions?" + urlencode(
    {
        "from": "j.mueller@mueller-partner.de",
        "subject": "Anfrage zu Objekt W-1024: Altbauwohnung in Köln-Ehrenfeld",
        "participants": "b.weiss@weiss-immobilien.de",
    }
)


def wsgi_app() -> Any:
    """Gunicorn entry point: the app from the environment, with the add-in routes."""
    app = create_app()
    if "addin" not in app.blueprints:  # until server/__init__.py calls it itself
        from server.addin import init_app

        init_app(app)
    return app


@contextmanager
def backend(latency_ms: int, db: Path) -> Iterator[str]:
    """The demo backend under gunicorn (gthread, keep-alive) in its own process, as deployed;
    in-process servers share the GIL with Playwright's event pump and distort the numbers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "PUBLIC_URL": base,
        "DEMO_LATENCY_MS": str(latency_ms),
    }
    for name in ("ONOFFICE_API_TOKEN", "ONOFFICE_API_SECRET"):
        env.pop(name, None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [
        gunicorn,
        "-b",
        f"127.0.0.1:{port}",
        "-k",
        "gthread",
        "-w",
        "2",
        "--threads",
        "8",
        "--log-level",
        "warning",
        "bench.pane_load:wsgi_app()",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the backend did not start under gunicorn") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


MEASURE = """async ([path, n]) => {
  const token = JSON.parse(localStorage.getItem('onoffice.session')).token;
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await fetch(path, {headers: {Authorization: 'Bearer ' + token}, cache: 'no-store'});
    await r.json();
    out.push(performance.now() - t0);
  }
  return out;
}"""

PAIR = """async ([a, b, n]) => {
  const token = JSON.parse(localStorage.getItem('onoffice.session')).token;
  const get = (p) => fetch(p, {headers: {Authorization: 'Bearer ' + token}, cache: 'no-store'})
    .then((r) => r.json());
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await Promise.all([get(a), get(b)]);
    out.push(performance.now() - t0);
  }
  return out;
}"""

SWITCH = """async (item) => {
  const marks = () => performance.getEntriesByName('pane-usable');
  const n = marks().length;
  const t0 = performance.now();
  __office.select(item);
  while (marks().length === n) await new Promise((r) => setTimeout(r, 0));
  return marks().at(-1).startTime - t0;
}"""

TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const api = res.filter(r => r.name.includes('/api/v1/'));
  const assets = res.filter(r => r.name.includes('/static/') && !r.name.includes('/icons/'));
  return {
    usable: performance.getEntriesByName('pane-usable')[0].startTime,
    apiStart: Math.min(...api.map(r => r.startTime)),
    apiEnd: Math.max(...api.map(r => r.responseEnd)),
    apiCount: api.length,
    bytes: [[nav.name, nav.decodedBodySize], ...assets.map(r => [r.name, r.decodedBodySize])],
  };
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("chromium is not installed; run: apt-get install -y --no-install-recommends chromium")

    tmp = Path(tempfile.mkdtemp(prefix="pane-bench-"))
    with backend(args.latency_ms, tmp / "bench.sqlite3") as base:
        run(base, args.runs, args.latency_ms, chromium)


def run(base: str, runs: int, latency_ms: int, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    with urlopen_json(f"{base}/demo/messages") as data:
        mail, other = data["messages"][0], data["messages"][1]
    token = post_json(f"{base}/auth/demo", {"mailbox": ANNA})["token"]

    rows: list[dict[str, Any]] = []
    rtts: list[float] = []
    sugg: list[float] = []
    pair: list[float] = []
    switch: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for i in range(runs + 1):  # run 0 warms the server and Chromium up
            context = browser.new_context()
            page = context.new_page()
            open_outlook(page, base, item=office_item(mail), language="de-DE", token=token)
            page.wait_for_selector(READY)
            t = page.evaluate(TIMINGS)
            rtt = page.evaluate(MEASURE, [LINKS, 3])
            srtt = page.evaluate(MEASURE, [SUGGESTIONS, 3])
            both = page.evaluate(PAIR, [LINKS, SUGGESTIONS, 3])
            moved = [page.evaluate(SWITCH, office_item(m)) for m in (other, mail, other)]
            if i:
                rows.append(t)
                rtts.extend(rtt)
                sugg.extend(srtt)
                pair.extend(both)
                switch.extend(moved)
            context.close()
        browser.close()

    loaded = rows[-1]["bytes"]
    total = sum(size for _, size in loaded)
    med = statistics.median
    usable = med(r["usable"] for r in rows)
    start = med(r["apiStart"] for r in rows)
    api = med(r["apiEnd"] - r["apiStart"] for r in rows)
    draw = med(r["usable"] - r["apiEnd"] for r in rows)
    rtt = med(rtts)
    print(
        f"pane first load: {total} bytes ({total / 1024:.1f} KB) in {len(loaded)} files, "
        f"office.js excluded; target {TARGET_BYTES // 1024} KB -> ratio {total / TARGET_BYTES:.2f}"
    )
    for name, size in sorted(loaded, key=lambda x: -x[1]):
        print(f"  {size:6d}  {name.replace(base, '')}")
    print(
        f"\nChromium, {runs} cold loads, sandbox onOffice latency {latency_ms} ms, "
        f"{rows[-1]['apiCount']} API requests per load (medians):"
    )
    print(f"  navigation -> usable            {usable:7.1f} ms")
    print(f"    start-up (HTML, JS, office)   {start:7.1f} ms")
    print(f"    API phase (links+suggestions) {api:7.1f} ms")
    print(f"    drawing after the data        {draw:7.1f} ms")
    print(f"  backend round trip GET links    {rtt:7.1f} ms  ({len(rtts)} samples, same page)")
    print(f"  backend round trip GET suggestions {med(sugg):4.1f} ms  (for comparison)")
    print(f"  both at once from a script (Promise.all) {med(pair):4.1f} ms  (the backend's floor)")
    print(f"  pinned pane, next mail: ItemChanged -> usable {med(switch):5.1f} ms  (warm page)")
    print(f"ratio API phase / links round trip      = {api / rtt:.2f}  (target <= 1.2)")
    print(f"ratio API phase / slower of the two     = {api / max(rtt, med(sugg)):.2f}")
    print(f"ratio (API phase + drawing) / round trip = {(api + draw) / rtt:.2f}")
    print(f"ratio usable / (start-up + round trip)  = {usable / (start + rtt):.2f}")
    print(f"ratio next mail usable / round trip     = {med(switch) / rtt:.2f}  (target <= 1.2 + drawing)")
    print(
        json.dumps(
            {
                "bytes": total,
                "usable_ms": round(usable, 1),
                "start_ms": round(start, 1),
                "api_ms": round(api, 1),
                "draw_ms": round(draw, 1),
                "links_rtt_ms": round(rtt, 1),
                "suggestions_rtt_ms": round(med(sugg), 1),
                "pair_ms": round(med(pair), 1),
                "switch_ms": round(med(switch), 1),
                "ratio_api_rtt": round(api / rtt, 2),
            }
        )
    )


class urlopen_json:  # noqa: N801 - used as a context manager like urlopen
    def __init__(self, url: str) -> None:
        import urllib.request

        self._r = urllib.request.urlopen(url)

    def __enter__(self) -> Any:
        return json.load(self._r)

    def __exit__(self, *exc: object) -> None:
        self._r.close()


def post_json(url: str, body: dict[str, Any]) -> Any:
    import urllib.request

    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req) as r:
        return json.load(r)


if __name__ == "__main__":
    main()
