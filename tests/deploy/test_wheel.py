"""Deploy the way a brokerage does: build the wheel, install it into a fresh venv, run the
Procfile's release and web lines from a directory outside the checkout, and fetch everything
Outlook and Thunderbird will ask for. Select with ``pytest -m wheel``.

The checkout is never on the installed server's path: the subprocesses run from a temp dir
with a minimal environment (no PYTHONPATH), and the venv is made from the base interpreter.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server.addin import assets, render

from ..conftest import NO_IMAP, SECRET, TOKEN
from ..imap.dovecot import free_port
from . import ROOT, procfile

pytestmark = pytest.mark.wheel

PUBLIC_URL = "https://mail-link.brokerage.test"
# Everything under these goes into the wheel as package data.
PACKAGE_DATA = ("server/static", "server/addin/manifests", "server/store/migrations")


@dataclass
class Install:
    wheel: Path
    venv: Path
    workdir: Path  # outside the checkout; the installed commands run here

    def env(self, **extra: str) -> dict[str, str]:
        """A deploy's environment: the venv's commands first, nothing from the checkout."""
        keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TMPDIR")}
        # HOME here: gunicorn puts its control socket under it, beside no one else's.
        path = f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"
        return {**keep, "HOME": str(self.workdir), "PATH": path, **extra}

    def run(self, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        """A shell command, as a platform runs a Procfile line."""
        return subprocess.run(command, shell=True, cwd=self.workdir, env=env, capture_output=True,
                              text=True, timeout=120)


# Outside a git checkout (an unpacked archive): everything but what .gitignore names.
_NOT_SOURCE = {".git", ".venv", ".ci-node", "node_modules", "__pycache__", "build", "dist", "instance",
               "test-artifacts", ".pytest_cache", ".ruff_cache"}


def _source_files() -> list[str]:
    """What a fresh clone holds: tracked files plus new ones not ignored."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
                      and not _NOT_SOURCE.intersection(p.relative_to(ROOT).parts)
                      and not any(part.endswith(".egg-info") for part in p.parts))
    return [name for name in out.decode().split("\0") if name and (ROOT / name).is_file()]


def _copy_source(target: Path) -> None:
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources.
    for name in _source_files():
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes((ROOT / name).read_bytes())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Install:
    base = tmp_path_factory.mktemp("wheel")
    src, dist, venv, workdir = base / "src", base / "dist", base / "venv", base / "work"
    workdir.mkdir()
    _copy_source(src)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist),
                    str(src)], check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("onoffice_mail_link-*.whl")
    # sys.executable is the checkout's .venv, but venv builds on the base interpreter:
    # the new venv sees neither the checkout nor its editable install.
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=600)
    return Install(wheel, venv, workdir)


def test_the_wheel_carries_the_whole_package_data(installed: Install) -> None:
    with zipfile.ZipFile(installed.wheel) as zf:
        names = set(zf.namelist())
    wanted = {name for name in _source_files() if name.startswith(PACKAGE_DATA)}
    assert "server/static/taskpane.html" in wanted and "server/addin/manifests/outlook/manifest.xml" in wanted
    assert sorted(wanted - names) == []


def test_the_installed_package_is_the_one_that_runs(installed: Install) -> None:
    probe = installed.run('python -c "import server, sys; print(server.__file__); print(sys.path)"',
                          installed.env())
    where, path = probe.stdout.splitlines()
    assert Path(where).is_relative_to(installed.venv), probe.stdout
    assert str(ROOT) not in path


@pytest.fixture
def brokerage_env(installed: Install, onoffice_url: str) -> dict[str, str]:
    """A real (non-demo) configuration against the sandbox onOffice; Entra and IMAP are never
    contacted by what this test fetches."""
    return installed.env(
        **NO_IMAP, PUBLIC_URL=PUBLIC_URL, ONOFFICE_API_URL=onoffice_url, ONOFFICE_API_TOKEN=TOKEN,
        ONOFFICE_API_SECRET=SECRET, SECRET_KEY="wheel-test-" + "k" * 32,
        ENTRA_TENANT_ID="11111111-2222-3333-4444-555555555555",
        ENTRA_CLIENT_ID="66666666-7777-8888-9999-000000000000", ENTRA_CLIENT_SECRET="made-up",
        DATABASE_URL=f"sqlite:///{installed.workdir / 'brokerage.sqlite3'}",
        PORT=str(free_port()), WEB_CONCURRENCY="2")


@pytest.fixture
def web(installed: Install, brokerage_env: dict[str, str]) -> Iterator[httpx.Client]:
    """The Procfile's release line, then its web line, as a platform runs them."""
    lines = procfile()
    release = installed.run(lines["release"], brokerage_env)
    assert release.returncode == 0, release.stdout + release.stderr
    assert "database at" in release.stdout and "was empty" in release.stdout
    log = installed.workdir / "web.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(lines["web"], shell=True, cwd=installed.workdir, env=brokerage_env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{brokerage_env['PORT']}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            _wait_until_up(client, proc, log)
            yield client
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have exited by itself
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


def _wait_until_up(client: httpx.Client, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the web line exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"the web line did not answer within 60 s:\n{log.read_text()}")


TYPES = {".html": "text/html", ".css": "text/css", ".js": "javascript", ".png": "image/png"}


def test_procfile_serves_the_pane_its_assets_manifests_and_addons(web: httpx.Client) -> None:
    types: dict[str, str] = {}

    def fetch(url: str) -> bytes | None:
        r = web.get(url)
        types[url] = r.headers.get("content-type", "")
        return r.content if r.status_code == 200 else None

    found, missing = assets.crawl(fetch)
    assert missing == []
    assert {"/static/js/main-outlook.js", "/static/js/core/dom.js", "/static/css/pane.css"} <= set(found)
    for url in [*found, "/static/css/auth.css", "/static/js/auth/done.js"]:
        assert fetch(url) is not None, url
        # a module script with the wrong type is refused by the browser
        assert TYPES[Path(url).suffix] in types[url], (url, types[url])

    xml = web.get("/addin/outlook/manifest.xml")
    assert xml.status_code == 200 and f"{PUBLIC_URL}/taskpane.html".encode() in xml.content
    unified = web.get("/addin/outlook/manifest.json")
    assert unified.status_code == 200 and unified.json() == json.loads(render.render_unified_json(PUBLIC_URL))
    # Both zips are rendered byte for byte as the checkout renders them.
    package = web.get("/addin/outlook/app-package.zip")
    assert package.status_code == 200 and package.content == render.render_unified_package(PUBLIC_URL)
    xpi = web.get("/addin/thunderbird.xpi")
    assert xpi.status_code == 200 and xpi.content == render.build_xpi(PUBLIC_URL)
    with zipfile.ZipFile(io.BytesIO(xpi.content)) as zf:
        assert json.loads(zf.read("config.json"))["backendUrl"] == PUBLIC_URL
        assert {"background.js", "popup/popup.html", "js/core/pane.js"} <= set(zf.namelist())
    # The API is up behind its sign-in, on the database the release line migrated.
    assert web.get("/api/v1/me").json()["error"]["code"] == "unauthorized"


def test_manifest_and_doctor_commands_work_from_the_install(installed: Install,
                                                            brokerage_env: dict[str, str]) -> None:
    out = installed.workdir / "out"
    out.mkdir(exist_ok=True)
    for kind, name in (("outlook", "manifest.xml"), ("unified", "manifest.json"),
                       ("thunderbird", "addon.xpi")):
        r = installed.run(f"onoffice-mail-link manifest {kind} -o {shlex.quote(str(out / name))}",
                          brokerage_env)
        assert r.returncode == 0, r.stdout + r.stderr
    assert (out / "addon.xpi").read_bytes() == render.build_xpi(PUBLIC_URL)
    assert json.loads((out / "manifest.json").read_text())["id"] == render.addin_ids(PUBLIC_URL)[1]
    assert f"{PUBLIC_URL}/taskpane.html" in (out / "manifest.xml").read_text()

    migrate = installed.run("onoffice-mail-link db upgrade", brokerage_env)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    doctor = installed.run("onoffice-mail-link doctor", brokerage_env)
    lines = doctor.stdout.splitlines()
    assert any(line.startswith("ok   pane and add-ins: the pane and the ") for line in lines), doctor.stdout
    assert any(line.startswith("ok   onOffice credentials: accepted") for line in lines), doctor.stdout
    # Only what this test made up may fail: the Entra tenant and the IMAP server.
    failed = [line for line in lines if line.startswith("FAIL")]
    assert failed and all(line.startswith(("FAIL Entra", "FAIL IMAP")) for line in failed), doctor.stdout

    demo = installed.run("onoffice-mail-link doctor",
                         installed.env(DATABASE_URL=f"sqlite:///{installed.workdir / 'demo.sqlite3'}"))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert demo.stdout.splitlines()[-1].endswith("passed, 0 failed")
