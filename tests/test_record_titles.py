"""A record looks the same wherever the pane shows it: the linked list (emailInfo), the
suggestions (address read / estate search) and the search, and "linked by" names a person."""

from __future__ import annotations

from tests.conftest import ANNA, MID

LINKS = "/api/v1/links"


def test_an_estate_has_one_title_in_links_suggestions_and_search(client, auth):
    assert client.post(LINKS, json={"messageId": MID, "estateId": 2649}, headers=auth).status_code == 200
    linked = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json["estates"]
    suggested = client.get("/api/v1/suggestions", headers=auth, query_string={
        "from": "j.mueller@mueller-partner.de", "subject": "Anfrage zu Objekt W-1024"}).json["estates"]
    found = client.get("/api/v1/search", headers=auth,
                       query_string={"kind": "estate", "q": "Venloer"}).json["results"]

    def title(records):  # type: ignore[no-untyped-def]
        return next(r["title"] for r in records if r["id"] == 2649)

    assert title(linked) == title(suggested) == title(found) == "Venloer Straße 312, Köln"
    assert title(linked) and linked[0]["subtitle"] == next(r for r in found if r["id"] == 2649)["subtitle"]


def test_an_address_has_one_title_and_subtitle_everywhere(client, auth):
    assert client.post(LINKS, json={"messageId": MID, "addressId": 601}, headers=auth).status_code == 200
    linked = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json["addresses"]
    suggested = client.get("/api/v1/suggestions", headers=auth,
                           query_string={"from": "j.mueller@mueller-partner.de"}).json["addresses"]
    found = client.get("/api/v1/search", headers=auth,
                       query_string={"kind": "address", "q": "Müller"}).json["results"]

    def shown(records):  # type: ignore[no-untyped-def]
        r = next(r for r in records if r["id"] == 601)
        return r["title"], r["subtitle"]

    assert shown(linked) == shown(suggested) == shown(found)


def test_linked_by_carries_the_name_the_user_signed_in_with(client, auth):
    """The session of the `auth` fixture is Anna Schmidt's (tests/conftest.py)."""
    client.post(LINKS, json={"messageId": MID, "addressId": 601}, headers=auth)
    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    assert view["addresses"][0]["linkedBy"] == ANNA
    assert view["addresses"][0]["linkedByName"] == "Anna Schmidt"
    assert view["history"][0]["byName"] == "Anna Schmidt"


def test_a_database_from_before_the_name_column_is_upgraded_and_keeps_its_rows(tmp_path):
    """0001 -> head adds audit_log.name; old rows stay and read back without a name."""
    from alembic import command
    from sqlalchemy import text

    from server.store import schema
    from server.store.db import engine_for

    engine = engine_for(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = schema._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO audit_log (at, user_id, mailbox, identity, message_id, action, "
                          "outcome) VALUES ('2026-11-01 10:00:00', 'u', :m, :m, :mid, 'link', 'ok')"),
                     {"m": ANNA, "mid": MID})
    schema.upgrade(engine)
    schema.check(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT mailbox, name FROM audit_log")).all() == [(ANNA, None)]
    engine.dispose()
