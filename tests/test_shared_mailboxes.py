"""Shared mailboxes: the SHARED_MAILBOXES grants, the `mailbox` parameter and its audit trail."""

from pathlib import Path

import pytest

from server import create_app
from server.config import ConfigError, load_settings
from server.locate.sandbox import SandboxLocator
from server.sandbox import data
from server.shared_mailboxes import SharedMailboxes, SharedMailboxesError, parse_shared_mailboxes
from tests.conftest import ANNA

LINKS = "/api/v1/links"
SHARED = data.SHARED_MAILBOX
SHARED_MID = "<mietanfrage-3321@web.de>"
JONAS = data.MAILBOXES[1]


class CountingLocator(SandboxLocator):
    """The sandbox mailbox, noting in which mailbox each lookup ran."""

    def __init__(self) -> None:
        super().__init__(data.MAILS)
        self.asked: list[str] = []

    def locate(self, mailbox, message_id, folder_hint=None, *, identity=None):  # type: ignore[no-untyped-def]
        self.asked.append(mailbox)
        return super().locate(mailbox, message_id, folder_hint, identity=identity)


def grants_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shared-mailboxes.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def locator() -> CountingLocator:
    return CountingLocator()


@pytest.fixture
def shared_app(config, tmp_path, locator):  # type: ignore[no-untyped-def]
    path = grants_file(tmp_path, f"# the team inbox\n{SHARED.upper()} = Anna.Schmidt@makler-demo.de\n"
                                 "info@makler-demo.de = *@makler-demo.de  # everyone\n")
    app = create_app({**config, "SHARED_MAILBOXES": str(path)})
    app.extensions["onoffice_mail_link"].use_locator(locator)
    yield app
    app.extensions["onoffice_mail_link"].onoffice.close()


def token_for(app, mailbox: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token, _ = app.extensions["onoffice_mail_link"].sessions.issue(f"t:{mailbox}", mailbox, "X", "session")
    return {"Authorization": f"Bearer {token}"}


# -- the file ---------------------------------------------------------------------------

def test_grants_compare_case_insensitively_and_by_domain(tmp_path):
    grants = SharedMailboxes.load(grants_file(
        tmp_path, "Info@Makler-Demo.de = Anna.Schmidt@makler-demo.de, *@Filiale.de\n"))
    assert grants.allows("anna.schmidt@MAKLER-demo.de", "INFO@makler-demo.de")
    assert grants.allows("wer@filiale.de", "info@makler-demo.de")
    assert not grants.allows("jonas.weber@makler-demo.de", "info@makler-demo.de")
    assert not grants.allows("wer@sub.filiale.de", "info@makler-demo.de")
    assert not grants.allows("anna.schmidt@makler-demo.de", "other@makler-demo.de")
    assert grants.line_to_add("Jonas.Weber@makler-demo.de", "info@makler-demo.de") == (
        "info@makler-demo.de = anna.schmidt@makler-demo.de, *@filiale.de, jonas.weber@makler-demo.de")


@pytest.mark.parametrize(("text", "line"), [
    ("info@makler-demo.de anna@makler-demo.de\n", 1),
    ("# ok\n\ninfo@makler-demo.de = \n", 3),
    ("info@makler-demo.de = anna@makler-demo.de,, jonas@makler-demo.de\n", 1),
    ("info@makler-demo.de = *\n", 1),
    ("info@makler-demo.de = anna@*.de\n", 1),
    ("info@makler-demo.de = ann\u0430@makler-demo.de\n", 1),  # Cyrillic а
    ("a@b.de = c@d.de\nA@B.de = e@f.de\n", 2),
])
def test_malformed_line_names_file_and_line(tmp_path, text, line):
    path = grants_file(tmp_path, text)
    with pytest.raises(SharedMailboxesError, match=f"{path}:{line}:"):
        parse_shared_mailboxes(path)
    with pytest.raises(ConfigError, match=f"^SHARED_MAILBOXES: {path}:{line}:"):
        load_settings({"SHARED_MAILBOXES": str(path)}, tmp_path)


def test_missing_file_stops_the_start(tmp_path):
    with pytest.raises(ConfigError, match="^SHARED_MAILBOXES: no readable file"):
        load_settings({"SHARED_MAILBOXES": str(tmp_path / "nope.txt")}, tmp_path)


# -- the API ----------------------------------------------------------------------------

def test_granted_user_links_in_the_shared_mailbox_under_its_identity(shared_app, sandbox, locator):
    client = shared_app.test_client()
    auth = token_for(shared_app, ANNA)
    r = client.post(LINKS, headers=auth, json={"messageId": SHARED_MID, "mailbox": SHARED.upper(),
                                               "addAddressIds": [602]})
    assert r.status_code == 200, r.json
    assert r.json["identity"] == SHARED and r.json["mailbox"] == SHARED
    assert (r.json["folder"], r.json["uid"]) == ("INBOX", 7)
    assert locator.asked == [SHARED]
    assert {a["parameters"].get("emailidentity") or a["parameters"].get("emailIdentity")
            for a in sandbox.received} == {SHARED}
    view = client.get(LINKS, headers=auth, query_string={"messageId": SHARED_MID, "mailbox": SHARED}).json
    assert [a["id"] for a in view["addresses"]] == [602]
    assert view["mailbox"] == SHARED
    entry = view["history"][0]
    assert (entry["by"], entry["mailbox"], entry["addedIds"], entry["removedIds"]) == (
        ANNA, SHARED, [602], [])


def test_domain_grant_needs_no_own_identity(config, tmp_path, sandbox):
    # No IDENTITY_PATTERN: only the shared mailbox has an identity (in the map).
    idmap = tmp_path / "identities.txt"
    idmap.write_text(f"info@makler-demo.de = {SHARED}\n")
    grants = grants_file(tmp_path, "info@makler-demo.de = *@makler-demo.de\n")
    app = create_app({**config, "IDENTITY_PATTERN": "", "IDENTITY_MAP": str(idmap),
                      "SHARED_MAILBOXES": str(grants)})
    app.extensions["onoffice_mail_link"].use_locator(SandboxLocator(data.MAILS))
    client, auth = app.test_client(), token_for(app, JONAS)
    # The mail sits in vermietung@ on the IMAP side; here the client names its location.
    body = {"messageId": SHARED_MID, "mailbox": "info@makler-demo.de", "folder": "INBOX", "uid": 7,
            "estateId": 2649}
    r = client.post(LINKS, headers=auth, json=body)
    assert r.status_code == 200, r.json
    assert r.json["identity"] == SHARED
    assert client.get("/api/v1/me", headers=auth).json["error"]["code"] == "identity_not_mapped"
    app.extensions["onoffice_mail_link"].onoffice.close()


def test_no_grant_is_403_naming_the_line_and_nothing_happens(shared_app, sandbox, locator):
    client, auth = shared_app.test_client(), token_for(shared_app, JONAS)
    for r in (client.post(LINKS, headers=auth, json={"messageId": SHARED_MID, "mailbox": SHARED,
                                                      "addAddressIds": [602]}),
              client.get(LINKS, headers=auth, query_string={"messageId": SHARED_MID, "mailbox": SHARED})):
        assert r.status_code == 403
        error = r.json["error"]
        assert error["code"] == "mailbox_not_allowed"
        assert f"{SHARED} = anna.schmidt@makler-demo.de, {JONAS}" in error["message"]
        assert error["details"]["line"] == f"{SHARED} = anna.schmidt@makler-demo.de, {JONAS}"
    assert sandbox.received == [] and locator.asked == []


@pytest.mark.parametrize("mailbox", [
    "not-an-address",
    f"{SHARED}\r\nA1 LOGOUT",
    f"{SHARED}\n",
    "vermi\u0435tung@makler-demo.de",  # Cyrillic е
    "vermietung@makler-demo.de\u200b",
    "\uff56ermietung@makler-demo.de",  # fullwidth v, NFKC-folds to v
    "*@makler-demo.de",
    "a" * 320 + "@makler-demo.de",
    "",
])
def test_hostile_mailbox_values_are_refused_before_any_lookup(shared_app, sandbox, locator, mailbox):
    client, auth = shared_app.test_client(), token_for(shared_app, ANNA)
    r = client.post(LINKS, headers=auth, json={"messageId": SHARED_MID, "mailbox": mailbox,
                                               "addAddressIds": [602]})
    assert r.status_code in (403, 422), r.json
    g = client.get(LINKS, headers=auth, query_string={"messageId": SHARED_MID, "mailbox": mailbox})
    assert g.status_code in (403, 422), g.json
    assert sandbox.received == [] and locator.asked == []


def test_someone_elses_mailbox_without_grant(shared_app, sandbox, locator):
    client, auth = shared_app.test_client(), token_for(shared_app, JONAS)
    r = client.post(LINKS, headers=auth, json={"messageId": "<20261118093412.4F2A1@mueller-partner.de>",
                                               "mailbox": ANNA, "addressId": 601})
    assert r.status_code == 403 and r.json["error"]["code"] == "mailbox_not_allowed"
    assert sandbox.received == [] and locator.asked == []


def test_own_mailbox_named_explicitly_is_the_own(shared_app, sandbox):
    client, auth = shared_app.test_client(), token_for(shared_app, ANNA)
    r = client.post(LINKS, headers=auth, json={"messageId": "<20261118093412.4F2A1@mueller-partner.de>",
                                               "mailbox": ANNA.upper(), "addressId": 601})
    assert r.status_code == 200 and r.json["identity"] == ANNA and r.json["mailbox"] == ANNA
