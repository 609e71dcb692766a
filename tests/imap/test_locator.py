"""The IMAP locator against real Dovecot: search order, spellings, login modes, confirmation."""

from __future__ import annotations

import base64

import pytest

from server.locate import MailServerRefused, MailServerUnreachable, MessageNotFound
from server.locate.imap import ImapConfig
from server.locate.session import ImapSession

from ..conftest import ANNA
from .conftest import UMLAUT, new_message_id, password_config
from .dovecot import free_port


def test_inbox_hit_returns_uid_and_uidvalidity(locator, seeder):
    mid = new_message_id()
    folder, uid, validity = seeder.append("INBOX", mid)
    loc = locator.locate(ANNA, mid)
    assert (loc.folder, loc.uid, loc.uidvalidity, loc.source) == ("INBOX", uid, validity, "imap")


def test_sent_special_use_folder(locator, seeder):
    mid = new_message_id("sent")
    _, uid, _ = seeder.append("Sent", mid)
    loc = locator.locate(ANNA, mid)
    assert (loc.folder, loc.uid) == ("Sent", uid)


def test_umlaut_folder_is_returned_in_modified_utf7(locator, seeder):
    mid = new_message_id("umlaut")
    folder, uid, validity = seeder.append(UMLAUT, mid)
    loc = locator.locate(ANNA, mid)
    assert folder == "Kunden/M&APw-ller"
    assert (loc.folder, loc.uid, loc.uidvalidity) == (folder, uid, validity)


def test_dot_delimiter_server(make_locator, dovecot_dot, seeder_dot):
    mid = new_message_id("dot")
    folder, uid, _ = seeder_dot.append(UMLAUT, mid)
    loc = make_locator(password_config(dovecot_dot)).locate(ANNA, mid)
    assert (loc.folder, loc.uid) == ("Kunden.M&APw-ller", uid) == (folder, uid)


def test_thunderbird_hint_is_translated_to_the_servers_delimiter(make_locator, dovecot_dot,
                                                                  seeder_dot, monkeypatch):
    mid = new_message_id("hint")
    seeder_dot.append("Archiv/2025", "<decoy@x>")  # searched before the hit if the hint were ignored
    seeder_dot.append(UMLAUT, mid)
    searched = spy_on_searches(monkeypatch)
    locator = make_locator(password_config(dovecot_dot))
    loc = locator.locate(ANNA, mid, folder_hint="/Kunden/M&APw-ller")
    assert loc.folder == "Kunden.M&APw-ller"
    # The hint as Thunderbird wrote it, INBOX, then the hint in the server's spelling: no other
    # folder. Without the translation the whole folder list (Archiv.2025, ...) comes first.
    assert searched == ["Kunden/M&APw-ller", "INBOX", "Kunden.M&APw-ller"]


def spy_on_searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders the locator searches, in order."""
    searched: list[str] = []
    find = ImapSession.find

    def recording_find(self: ImapSession, folder: str, message_id: str):  # type: ignore[no-untyped-def]
        searched.append(folder)
        return find(self, folder, message_id)

    monkeypatch.setattr(ImapSession, "find", recording_find)
    return searched


def test_hint_folder_comes_first(locator, seeder, round_trips):
    mid = new_message_id("hinted")
    folder, uid, _ = seeder.append("Archiv/2025", mid)
    locator.locate(ANNA, mid, folder_hint=folder)  # opens and pools the connection
    locator.forget(ANNA, mid)
    round_trips.reset()
    loc = locator.locate(ANNA, mid, folder_hint=folder)
    assert (loc.folder, loc.uid) == (folder, uid)
    assert round_trips.count <= 2, "warm lookup in the hint folder: EXAMINE+SEARCH, then FETCH"


def test_warm_lookup_costs_at_most_two_round_trips(locator, seeder, round_trips):
    first, second = new_message_id("a"), new_message_id("b")
    seeder.append("INBOX", first)
    seeder.append("INBOX", second)
    round_trips.reset()
    locator.locate(ANNA, first)  # cold: greeting, LOGIN, then the lookup
    cold = round_trips.count
    round_trips.reset()
    loc = locator.locate(ANNA, second)
    assert loc.folder == "INBOX"
    assert round_trips.count <= 2 < cold, (round_trips.count, cold)


def test_mail_that_arrived_after_the_last_lookup_is_found_warm(locator, seeder, round_trips):
    old, new = new_message_id("old"), new_message_id("new")
    seeder.append("INBOX", old)
    locator.locate(ANNA, old)  # the pooled connection now has INBOX selected
    _, uid, _ = seeder.append("INBOX", new)  # delivered meanwhile, over another connection
    round_trips.reset()
    assert locator.locate(ANNA, new).uid == uid
    assert round_trips.count <= 2


def test_cache_then_forget(locator, seeder, round_trips):
    mid = new_message_id("cache")
    seeder.append("INBOX", mid)
    assert locator.locate(ANNA, mid).source == "imap"
    round_trips.reset()
    assert locator.locate(ANNA, mid).source == "cache"
    assert round_trips.count == 0
    locator.forget(ANNA, mid)
    assert locator.locate(ANNA, mid).source == "imap"


def test_substring_hits_are_not_taken_for_the_mail(locator, seeder):
    mid = new_message_id("sub")
    seeder.append("INBOX", "", header=f"{mid}-copy")  # HEADER search matches, exact check must not
    folder, uid, _ = seeder.append(UMLAUT, mid)
    loc = locator.locate(ANNA, mid)
    assert (loc.folder, loc.uid) == (folder, uid)


def test_missing_message_names_the_mailbox(locator):
    with pytest.raises(MessageNotFound) as err:
        locator.locate(ANNA, new_message_id("missing"))
    assert ANNA in err.value.message and "onOffice reads" in err.value.message
    assert err.value.mailbox == ANNA


def test_moved_message_is_found_after_forget(locator, seeder):
    mid = new_message_id("moved")
    folder, uid, _ = seeder.append("INBOX", mid)
    assert locator.locate(ANNA, mid).uid == uid
    target, new_uid = seeder.move(folder, uid, UMLAUT, mid)
    assert locator.locate(ANNA, mid).source == "cache"  # stale until onOffice objects
    locator.forget(ANNA, mid)
    loc = locator.locate(ANNA, mid)
    assert (loc.folder, loc.uid) == (target, new_uid)


def test_broken_pooled_connection_is_replaced_once(locator, seeder):
    first, second = new_message_id("c1"), new_message_id("c2")
    seeder.append("INBOX", first)
    seeder.append("INBOX", second)
    locator.locate(ANNA, first)
    login = locator.config.login_name(ANNA)  # the pool is keyed by the IMAP login
    session, reused = locator._pool.acquire(login)
    assert reused
    session.client.socket().close()  # the server or a NAT box dropped the idle connection
    locator._pool.release(login, session)
    assert locator.locate(ANNA, second).folder == "INBOX"


def test_xoauth2_login_with_locally_validated_jwt(make_locator, dovecot, seeder, minter):
    mid = new_message_id("oauth")
    _, uid, _ = seeder.append("INBOX", mid)
    cfg = ImapConfig(dovecot.host, dovecot.port, "none", "xoauth2",
                     token_provider=lambda: minter.mint(ANNA), timeout=5)
    assert make_locator(cfg).locate(ANNA, mid).uid == uid


@pytest.mark.parametrize("token", ["expired", "wrong-key", "other-user", "provider-fails"])
def test_xoauth2_refusals_are_the_servers_setup_problem(make_locator, dovecot, minter, token, caplog):
    from .tokens import new_key

    def provider() -> str:
        if token == "provider-fails":
            raise RuntimeError("secret-in-provider-error")
        return {"expired": lambda: minter.mint(ANNA, lifetime=-60),
                "wrong-key": lambda: minter.mint(ANNA, key=new_key()),
                "other-user": lambda: minter.mint("jonas.weber@makler-demo.de")}[token]()

    cfg = ImapConfig(dovecot.host, dovecot.port, "none", "xoauth2", token_provider=provider, timeout=5)
    with pytest.raises(MailServerRefused) as err:
        make_locator(cfg).locate(ANNA, new_message_id())
    assert dovecot.host in err.value.message and "not something you did wrong" in err.value.message
    assert "secret-in-provider-error" not in caplog.text + err.value.message


def test_wrong_password_is_refused(make_locator, dovecot):
    cfg = ImapConfig(dovecot.host, dovecot.port, "none", "password", "{mailbox}*master", "not-the-pw-4711",
                     timeout=5)
    with pytest.raises(MailServerRefused) as err:
        make_locator(cfg).locate(ANNA, new_message_id())
    assert err.value.server == dovecot.host and "not-the-pw-4711" not in err.value.message


def test_server_down_is_unreachable(make_locator):
    cfg = ImapConfig("127.0.0.1", free_port(), "none", "password", "{mailbox}*master", "pw", timeout=2)
    with pytest.raises(MailServerUnreachable) as err:
        make_locator(cfg).locate(ANNA, new_message_id())
    assert "connection refused" in err.value.message


def test_secrets_stay_out_of_logs_and_repr(make_locator, dovecot, seeder, minter, caplog):
    caplog.set_level("DEBUG")
    token = minter.mint(ANNA)
    mid = new_message_id("quiet")
    seeder.append("INBOX", mid)
    pw_cfg = password_config(dovecot)
    oauth_cfg = ImapConfig(dovecot.host, dovecot.port, "none", "xoauth2", token_provider=lambda: token)
    for cfg in (pw_cfg, oauth_cfg):
        loc = make_locator(cfg)
        loc.locate(ANNA, mid)
        assert pw_cfg.password not in repr(cfg) + repr(loc) and token not in repr(cfg)
    sasl = base64.b64encode(f"user={ANNA}\x01auth=Bearer {token}\x01\x01".encode()).decode()
    assert pw_cfg.password not in caplog.text and token not in caplog.text
    assert token.split(".")[1] not in caplog.text and sasl[20:60] not in caplog.text


def test_concurrent_lookups_share_a_bounded_pool(make_locator, dovecot, seeder):
    from concurrent.futures import ThreadPoolExecutor

    mids = [new_message_id(f"t{i}") for i in range(12)]
    expected = {mid: seeder.append("INBOX", mid)[1] for mid in mids}
    locator = make_locator(password_config(dovecot), max_idle_per_mailbox=2, cache_ttl=0)
    with ThreadPoolExecutor(6) as pool:
        found = list(pool.map(lambda m: locator.locate(ANNA, m).uid, mids * 3))
    assert found == [expected[m] for m in mids * 3]
    assert locator._pool.idle_count(ANNA) <= 2
