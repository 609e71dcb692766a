"""The sandbox behaves like onOffice: raw envelopes over HTTP, HMAC and timestamp verified."""

import time

import httpx
import pytest

from server.onoffice import hmac_v2
from server.onoffice.actions import DO, GET
from tests.conftest import ANNA, MID, SECRET, TOKEN


def action(resourcetype="users", actionid=GET, parameters=None, stamp=None, secret=SECRET, **extra):
    stamp = int(time.time()) if stamp is None else stamp
    return {"actionid": actionid, "resourceid": "", "identifier": "", "resourcetype": resourcetype,
            "timestamp": stamp, "hmac_version": "2",
            "hmac": hmac_v2(TOKEN, secret, stamp, resourcetype, actionid),
            "parameters": parameters if parameters is not None else {"userfilter": "onlyOwn"},
            **extra}


def post(url, *actions, token=TOKEN):
    return httpx.post(url, json={"token": token, "request": {"actions": list(actions)}}).json()


def link_params(**extra):
    return {"emailidentity": ANNA, "messageid": MID, "folder": "INBOX", "uid": 17, **extra}


def codes(body):
    return [r["status"]["errorcode"] for r in body["response"]["results"]]


def test_valid_request_gets_the_seed_shaped_answer(onoffice_url):
    body = post(onoffice_url, action("emailassignments", DO, link_params(addressid=601)))
    assert body["status"] == {"code": 200, "errorcode": 0, "message": "OK"}
    result = body["response"]["results"][0]
    assert result["data"]["records"] == [{"id": 0, "type": "", "elements": {"success": "success"}}]
    assert result["cacheable"] is False and result["data"]["meta"]["cntabsolute"] is None


def test_bad_hmac_sits_under_a_top_level_200(onoffice_url):
    body = post(onoffice_url, action(secret="wrong"), action())
    assert body["status"]["code"] == 200
    assert codes(body) == [137, 0]
    assert body["response"]["results"][0]["data"] == []


@pytest.mark.parametrize("skew", [-121, 121, -7200])
def test_timestamp_outside_the_window_is_136(onoffice_url, skew):
    assert codes(post(onoffice_url, action(stamp=int(time.time()) + skew))) == [136]


def test_hmac_version_1_is_not_accepted(onoffice_url):
    assert codes(post(onoffice_url, action(hmac_version=1))) == [137]


def test_unknown_token_is_not_authenticated(onoffice_url):
    body = post(onoffice_url, action(), token="x" * 32)
    assert body["status"]["code"] == 400 and "response" not in body


def test_non_json_and_get_requests(onoffice_url):
    assert httpx.post(onoffice_url, content=b"{").json()["status"]["errorcode"] == 5
    assert httpx.get(onoffice_url).json()["status"]["errorcode"] == 9


@pytest.mark.parametrize(("params", "code"), [
    (link_params(addressid=601, addressIds=[601]), 297),
    (link_params(addressIds="601"), 298),
    (link_params(addressIds=["601"]), 299),
    (link_params(addressIds=list(range(501))), 302),
    (link_params(addressid=1), 292),
    (link_params(estateid=1), 293),
    (link_params(addressid="601"), 64),
    (link_params(estateid=-5), 65),
    (link_params(emailidentity="boss@makler-demo.de", addressid=601), 51),
    (link_params(emailidentity="", addressid=601), 50),
    (link_params(folder="Papierkorb", addressid=601), 94),
    (link_params(uid=99, addressid=601), 62),
    (link_params(messageid="<other@example.test>", addressid=601), 63),
])
def test_emailassignments_error_codes(onoffice_url, params, code):
    assert codes(post(onoffice_url, action("emailassignments", DO, params))) == [code]


def test_unknown_action_is_refused(onoffice_url):
    assert codes(post(onoffice_url, action("calendar", GET, {}))) == [24]


def test_search_needs_input(onoffice_url):
    body = post(onoffice_url, action("search", GET, {"input": ""}, resourceid="address"))
    assert codes(body) == [69]


def _linked(url):
    info = post(url, action("emailInfo", GET, {"emailIdentity": ANNA, "messageId": MID,
                                               "folder": "INBOX", "uid": "17"}))
    return [a["addressId"] for a in info["response"]["results"][0]["data"]["records"][0]
            ["elements"]["addresses"]]


def test_address_ids_replace_the_list_and_empty_clears(onoffice_url):
    do = lambda **p: codes(post(onoffice_url, action("emailassignments", DO, link_params(**p))))  # noqa: E731
    assert do(addressIds=[601, 602]) == [0]
    assert _linked(onoffice_url) == [601, 602]
    assert do(addressIds=[603]) == [0]  # replaced, not added
    assert _linked(onoffice_url) == [603]
    assert do(estateid=2649) == [0]  # no address parameter: the addresses stay
    assert _linked(onoffice_url) == [603]
    assert do(addressIds=[]) == [0]
    assert _linked(onoffice_url) == []
    assert do(addressIds=[601, 1]) == [292] and _linked(onoffice_url) == []  # all or nothing


def test_an_older_api_refuses_address_ids(sandbox, onoffice_url):
    sandbox.address_lists = False
    assert codes(post(onoffice_url, action("emailassignments", DO, link_params(addressIds=[601])))) == [294]
    assert codes(post(onoffice_url, action("emailassignments", DO, link_params(addressid=601)))) == [0]
