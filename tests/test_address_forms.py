"""The address forms of POST /api/v1/links, against the sandbox onOffice over HTTP."""

import pytest

from server import create_app
from server.address_forms import AddressForm, SingleAddressOnly, single_address_id
from server.locate.sandbox import SandboxLocator
from server.sandbox import data
from tests.conftest import ANNA, MID

LINKS = "/api/v1/links"


def link(client, auth, **body):
    return client.post(LINKS, json={"messageId": MID, **body}, headers=auth)


def linked(client, auth) -> list[int]:
    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    return [a["id"] for a in view["addresses"]]


def writes(sandbox) -> list[dict]:
    return [a["parameters"] for a in sandbox.received if a["resourcetype"] == "emailassignments"]


def test_a_second_contact_joins_the_first(client, auth, sandbox):
    assert link(client, auth, addAddressIds=[601]).status_code == 200
    r = link(client, auth, addAddressIds=[602])
    assert r.status_code == 200
    assert r.json["addAddressIds"] == [602] and "addressId" not in r.json
    assert linked(client, auth) == [601, 602]
    assert writes(sandbox)[-1]["addressIds"] == [601, 602] and "addressid" not in writes(sandbox)[-1]


def test_unlink_one_of_two_keeps_the_other_and_the_estate(client, auth, sandbox):
    link(client, auth, addressIds=[601, 602, 603], estateId=2649)
    r = link(client, auth, removeAddressIds=[602])
    assert r.status_code == 200
    assert linked(client, auth) == [601, 603]
    assert "estateid" not in writes(sandbox)[-1]
    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    assert [e["id"] for e in view["estates"]] == [2649]
    entry = view["history"][0]
    assert entry["action"] == "unlink" and entry["removedIds"] == [602] and entry["addedIds"] == []


def test_add_and_remove_together(client, auth):
    link(client, auth, addressIds=[601, 602])
    assert link(client, auth, addAddressIds=[603], removeAddressIds=[601]).status_code == 200
    assert linked(client, auth) == [602, 603]


def test_list_replaces_and_empty_list_unlinks_all(client, auth, sandbox):
    link(client, auth, addressIds=[601, 602])
    assert link(client, auth, addressIds=[604]).status_code == 200
    assert linked(client, auth) == [604]
    r = link(client, auth, addressIds=[])
    assert r.status_code == 200 and r.json["addressIds"] == []
    assert linked(client, auth) == []
    assert writes(sandbox)[-1]["addressIds"] == []
    history = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json["history"]
    # A whole list replaces without reading first: what it removed is not known.
    assert (history[0]["action"], history[0]["addedIds"], history[0]["removedIds"]) == (
        "unlink", [], None)
    assert (history[1]["addedIds"], history[1]["removedIds"]) == ([604], None)


def test_seed_form_still_goes_out_as_addressid_in_one_call(client, auth, sandbox):
    link(client, auth, addressIds=[601, 602])
    sandbox.received.clear()
    assert link(client, auth, addressId=0).status_code == 200
    assert [a["resourcetype"] for a in sandbox.received] == ["emailassignments"]  # no read first
    assert writes(sandbox)[-1]["addressid"] == 0 and "addressIds" not in writes(sandbox)[-1]
    assert linked(client, auth) == []


def test_adding_what_is_linked_changes_nothing(client, auth):
    link(client, auth, addAddressIds=[601])
    assert link(client, auth, addAddressIds=[601]).status_code == 200
    assert linked(client, auth) == [601]


@pytest.mark.parametrize(("body", "fields"), [
    ({"addressId": 601, "addressIds": [602]}, {"addressId", "addressIds"}),
    ({"addressIds": [601], "addAddressIds": [602]}, {"addressIds", "addAddressIds"}),
    ({"addressId": 601, "removeAddressIds": [602]}, {"addressId", "removeAddressIds"}),
    ({"addAddressIds": [601, 601]}, {"addAddressIds"}),
    ({"addressIds": [601, 602, 601]}, {"addressIds"}),
    ({"addAddressIds": list(range(1, 502))}, {"addAddressIds"}),
    ({"addressIds": list(range(1, 502))}, {"addressIds"}),
    ({"addAddressIds": []}, {"addAddressIds"}),
    ({"removeAddressIds": []}, {"removeAddressIds"}),
    ({"addAddressIds": ["601"]}, {"addAddressIds"}),
    ({"addAddressIds": [601.0]}, {"addAddressIds"}),
    ({"addAddressIds": [True]}, {"addAddressIds"}),
    ({"addAddressIds": [0]}, {"addAddressIds"}),
    ({"addAddressIds": [-3]}, {"addAddressIds"}),
    ({"addAddressIds": [2**31]}, {"addAddressIds"}),
    ({"addAddressIds": 601}, {"addAddressIds"}),
    ({"addressIds": "601"}, {"addressIds"}),
    ({"addAddressIds": [601], "removeAddressIds": [601]}, {"removeAddressIds"}),
])
def test_bad_forms_are_422_and_nothing_is_called(client, auth, sandbox, body, fields):
    r = link(client, auth, **body)
    assert r.status_code == 422, r.json
    assert fields <= set(r.json["error"]["details"]), r.json
    assert sandbox.received == []


def test_500_ids_are_allowed(client, auth, sandbox):
    # onOffice's limit is 500; the sandbox knows only a few addresses, so it answers 292 (502).
    r = link(client, auth, addressIds=list(range(1, 501)))
    assert r.status_code == 422 and r.json["error"]["code"] == "record_not_found"
    assert len(writes(sandbox)[-1]["addressIds"]) == 500


def test_an_older_onoffice_refusing_addressIds_names_the_setting(client, auth, sandbox):
    sandbox.address_lists = False
    r = link(client, auth, addAddressIds=[601])
    assert r.status_code == 502
    error = r.json["error"]
    assert "ONOFFICE_ADDRESS_LINKS=single" in error["message"] and "addressIds" in error["message"]
    assert error["details"]["onofficeCode"] == 294


@pytest.fixture
def single_client(config, sandbox):  # type: ignore[no-untyped-def]
    sandbox.address_lists = False
    app = create_app({**config, "ONOFFICE_ADDRESS_LINKS": "single"})
    app.extensions["onoffice_mail_link"].use_locator(SandboxLocator(data.MAILS))
    yield app.test_client()
    app.extensions["onoffice_mail_link"].onoffice.close()


def test_single_mode_sends_the_seed_form(single_client, auth, sandbox):
    assert link(single_client, auth, addAddressIds=[601]).status_code == 200
    assert link(single_client, auth, addAddressIds=[602]).status_code == 200  # replaces, like the seed
    assert linked(single_client, auth) == [602]
    assert link(single_client, auth, removeAddressIds=[602]).status_code == 200
    assert linked(single_client, auth) == []
    assert [w.get("addressid") for w in writes(sandbox)] == [601, 602, 0]
    assert all("addressIds" not in w for w in writes(sandbox))
    r = link(single_client, auth, addressIds=[601, 602])
    assert r.status_code == 422 and "ONOFFICE_ADDRESS_LINKS=single" in r.json["error"]["message"]


def test_single_mode_rule():
    assert single_address_id(AddressForm("list", (5,)), [1]) == 5
    assert single_address_id(AddressForm("list", ()), [1]) == 0
    assert single_address_id(AddressForm("change", remove=(1,)), [1]) == 0
    with pytest.raises(SingleAddressOnly):
        single_address_id(AddressForm("change", add=(2, 3)), [])


def test_bad_setting_stops_the_start(config):
    with pytest.raises(Exception, match="^ONOFFICE_ADDRESS_LINKS: must be one of list, single"):
        create_app({**config, "ONOFFICE_ADDRESS_LINKS": "many"})


def test_linked_addresses_show_who_linked_each(client, auth):
    link(client, auth, addAddressIds=[601])
    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    assert view["addresses"][0]["linkedBy"] == ANNA


def test_recent_knows_contacts_added_with_the_list_forms(client, auth):
    link(client, auth, addAddressIds=[601])
    link(client, auth, addressIds=[601, 603])
    link(client, auth, addressId=602)
    link(client, auth, removeAddressIds=[602])
    recent = client.get("/api/v1/recent", headers=auth).json
    assert [a["id"] for a in recent["addresses"]] == [602, 603, 601]


def test_a_request_keeps_its_form_for_a_queue_and_gets_it_back():
    from server.address_forms import from_fields
    from server.linking import LinkRequest
    for body in ({"addAddressIds": [3], "removeAddressIds": [4], "estateId": 0},
                 {"addressIds": []}, {"addressId": 0}, {"estateId": 2649}):
        req = LinkRequest(MID, from_fields(body), body.get("estateId"))
        assert req.form() == body
        assert LinkRequest(MID, from_fields(req.form()), req.form().get("estateId")) == req
    assert LinkRequest(MID, from_fields({"removeAddressIds": [1]}), None).action == "unlink"
    assert LinkRequest(MID, from_fields({"addressIds": [1]}), None).action == "link"
