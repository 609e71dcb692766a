"""A real Thunderbird under Xvfb + openbox, driven through Marionette (test-infrastructure.md §8).

``Display`` is a private X server with a window manager (under a bare Xvfb extension popups
close as soon as the pointer enters them); ``write_profile`` makes a throwaway profile with
one IMAP account and the add-on; ``Thunderbird`` starts it and runs chrome-context scripts.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import warnings
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

with warnings.catch_warnings():  # mozinfo, imported by the driver, calls a deprecated distro API
    warnings.simplefilter("ignore", DeprecationWarning)
    from marionette_driver.marionette import Marionette


def _stop(p: subprocess.Popen[bytes] | None) -> None:
    if p is None or p.poll() is not None:
        return
    os.killpg(p.pid, signal.SIGTERM)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(5)


@dataclass
class Display:
    """Xvfb on a free display number plus openbox; ``env`` to start X clients on it."""

    workdir: Path
    width: int = 1280
    height: int = 900
    name: str = ""
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        read, write = os.pipe()
        with (self.workdir / "xvfb.log").open("wb") as log:
            xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{self.width}x{self.height}x24",
                 "-nolisten", "tcp", "-noreset"], pass_fds=(write,), start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=log)
        os.close(write)
        self.procs.append(xvfb)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start: {(self.workdir / 'xvfb.log').read_text()}")
        self.name = f":{number}"
        with (self.workdir / "openbox.log").open("wb") as log:
            self.procs.append(subprocess.Popen(
                ["openbox", "--sm-disable"], env=self.env, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=log))

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.name}

    def click(self, x: float, y: float) -> None:
        """A real pointer click at screen coordinates."""
        # No --sync: it waits for a motion event that never comes when the pointer is there.
        subprocess.run(["xdotool", "mousemove", str(round(x)), str(round(y)), "sleep", "0.1",
                        "click", "1"], env=self.env, check=True, timeout=10)

    def key(self, *keys: str) -> None:
        subprocess.run(["xdotool", "key", *keys], env=self.env, check=True, timeout=10)

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "20", text], env=self.env, check=True,
                       timeout=30)

    def stop(self) -> None:
        for p in reversed(self.procs):
            _stop(p)


@dataclass
class Account:
    """The IMAP account of the profile (Dovecot, plain IMAP on loopback)."""

    port: int
    user: str
    email: str
    name: str
    host: str = "127.0.0.1"


_BASE_PREFS: dict[str, Any] = {
    "xpinstall.signatures.required": False,
    "extensions.autoDisableScopes": 0,
    "extensions.startupScanScopes": 15,
    "extensions.update.enabled": False,
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "mail.shell.checkDefaultClient": False,
    "mail.provider.suppress_dialog_on_startup": True,
    "mail.accounthub.enabled": False,
    "mail.spotlight.firstRunDone": True,
    "mail.winsearch.firstRunDone": True,
    "mailnews.start_page.enabled": False,
    "mail.rights.override": True,
    "mail.tabs.loadInBackground": False,
    "mail.biff.show_alert": False,
    "mail.biff.play_sound": False,
    "mailnews.auto_config.fetchFromISP.enabled": False,
    "mailnews.auto_config.guess.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "toolkit.startup.max_resumed_crashes": -1,
    "browser.shell.checkDefaultBrowser": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "security.warn_submit_secure_to_insecure": False,
    "mailnews.message_display.disable_remote_image": True,
    "mail.pane_config.dynamic": 0,  # classic three-pane: the message below the list
    "mail.inline_attachments": False,
    "ui.prefersReducedMotion": 1,
}


def _account_prefs(a: Account) -> dict[str, Any]:
    return {
        "mail.accountmanager.accounts": "account1,account2",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.accountmanager.localfoldersserver": "server2",
        "mail.account.account1.server": "server1",
        "mail.account.account1.identities": "id1",
        "mail.account.account2.server": "server2",
        "mail.server.server1.type": "imap",
        "mail.server.server1.hostname": a.host,
        "mail.server.server1.port": a.port,
        "mail.server.server1.userName": a.user,
        "mail.server.server1.name": a.email,
        "mail.server.server1.socketType": 0,
        "mail.server.server1.authMethod": 3,  # cleartext password (loopback only)
        "mail.server.server1.login_at_startup": False,
        "mail.server.server1.check_new_mail": False,
        "mail.server.server1.using_subscription": False,  # every folder, subscribed or not
        "mail.server.server1.offline_download": False,
        "mail.server.server1.autosync_offline_stores": False,
        "mail.server.server1.directory-rel": "[ProfD]ImapMail/dovecot",
        "mail.identity.id1.fullName": a.name,
        "mail.identity.id1.useremail": a.email,
        "mail.identity.id1.valid": True,
        "mail.server.server2.type": "none",
        "mail.server.server2.hostname": "Local Folders",
        "mail.server.server2.userName": "nobody",
        "mail.server.server2.name": "Local Folders",
        "mail.server.server2.directory-rel": "[ProfD]Mail/Local Folders",
    }


def write_profile(root: Path, *, marionette_port: int, account: Account, addon_id: str,
                  xpi: bytes) -> Path:
    """A fresh profile: prefs, the IMAP account, and the add-on as a permanent unsigned xpi."""
    profile = root / "profile"
    (profile / "extensions").mkdir(parents=True)
    (profile / "extensions" / f"{addon_id}.xpi").write_bytes(xpi)
    prefs = {**_BASE_PREFS, **_account_prefs(account), "marionette.port": marionette_port}
    (profile / "user.js").write_text("".join(
        f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()))
    return profile


class Thunderbird:
    """The thunderbird process and a Marionette session in chrome context."""

    def __init__(self, display: Display, workdir: Path, profile: Path, port: int):
        self.display, self.workdir, self.profile, self.port = display, workdir, profile, port
        self.process: subprocess.Popen[bytes] | None = None
        self.client: Marionette | None = None
        self.log = workdir / "thunderbird.log"

    def start(self, timeout: float = 120) -> None:
        home = self.workdir / "home"
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        env = {**self.display.env, "HOME": str(home), "TMPDIR": str(home / "tmp"),
               "MOZ_CRASHREPORTER_DISABLE": "1", "MOZ_DISABLE_AUTO_SAFE_MODE": "1",
               "LANG": "en_US.UTF-8", "LC_ALL": "C.UTF-8"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["thunderbird", "--profile", str(self.profile), "--no-remote", "--marionette",
                 "--remote-allow-system-access"], env=env, start_new_session=True,
                stdout=log, stderr=subprocess.STDOUT)
        self._wait_for_marionette(timeout)
        self.client = Marionette(host="127.0.0.1", port=self.port, startup_timeout=timeout)
        self.client.start_session(timeout=timeout)
        self.client.set_context(self.client.CONTEXT_CHROME)

    def _wait_for_marionette(self, timeout: float) -> None:
        # Our own wait: the driver's leaks a socket per failed attempt (ResourceWarning).
        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"thunderbird exited with {self.process.returncode}:\n"
                                   f"{self.log.read_text(errors='replace')[-4000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Marionette did not listen on {self.port} within {timeout} s:\n"
                                       f"{self.log.read_text(errors='replace')[-4000:]}") from None
                time.sleep(0.2)

    def js(self, script: str, *args: Any, timeout: float = 30) -> Any:
        """Run an async chrome script: its body gets ``args`` and ends by calling ``resolve``."""
        assert self.client is not None
        self.client.timeout.script = timeout
        wrapped = ("const resolve = arguments[arguments.length - 1];"
                   "const args = Array.from(arguments).slice(0, -1);"
                   f"(async () => {{ {script} }})().then(resolve, (e) => resolve({{__error: "
                   "String(e) + '\\n' + (e && e.stack)}));")
        result = self.client.execute_async_script(wrapped, script_args=list(args),
                                                  new_sandbox=False, script_timeout=timeout * 1000)
        if isinstance(result, dict) and "__error" in result:
            raise AssertionError(f"chrome script failed: {result['__error']}")
        return result

    def stop(self) -> None:
        if self.client is not None:
            with suppress(Exception):  # closing anyway
                self.client.delete_session()
        _stop(self.process)

