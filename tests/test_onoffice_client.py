"""The onOffice client's layered checks, over MockTransport and over a real socket."""

import socket

import httpx
import pytest

from server import onoffice
from server.onoffice import OnOfficeClient
from server.onoffice import actions as act
from server.sandbox.onoffice import SandboxOnOffice
from tests.conftest import MID, SECRET, TOKEN
from tests.servers import serve

ANNA = "anna.schmidt@makler-demo.de"


def mock_client(handler, **kw) -> OnOfficeClient:
    return OnOfficeClient("https://onoffice.test/api.php", TOKEN, SECRET,
                          transport=httpx.MockTransport(handler), retry_pause=0, **kw)


def answer(status: dict, results: list | None = None, http: int = 200):
    body = {"status": status}
    if results is not None:
        body["response"] = {"results": results}
    return lambda request: httpx.Response(http, json=body)


OK = {"code": 200, "errorcode": 0, "message": "OK"}


def test_hmac_error_under_top_level_200_is_refused():
    result = {"status": {"errorcode": 137, "message": "HMAC invalid"}, "data": []}
    client = mock_client(answer(OK, [result]))
    with pytest.raises(onoffice.AuthenticationError) as info:
        client.own_user()
    assert info.value.code == 137
    assert "ONOFFICE_API_SECRET" in info.value.hint


def test_top_level_not_authenticated():
    client = mock_client(answer({"code": 400, "errorcode": 22, "message": "not authenticated"}))
    with pytest.raises(onoffice.AuthenticationError) as info:
        client.own_user()
    assert info.value.code == 22


def test_unknown_customer_without_response_key():
    client = mock_client(answer({"code": 500, "errorcode": 41, "message": "customer unknown"}))
    with pytest.raises(onoffice.AuthenticationError) as info:
        client.own_user()
    assert info.value.code == 41 and "customer unknown" in str(info.value)


def test_result_count_must_match_action_count():
    one = {"status": {"errorcode": 0}, "data": {"records": []}}
    client = mock_client(answer(OK, [one]))
    with pytest.raises(onoffice.BadResponse, match="1 results for 2 actions"):
        client.call([act.own_user(), act.own_user()])


def test_batched_results_are_matched_by_position_and_fail_alone():
    good = {"status": {"errorcode": 0}, "data": {"records": [{"id": 5, "elements": {"a": 1}}]}}
    bad = {"status": {"errorcode": 292, "message": "unknown address"}, "data": []}
    client = mock_client(answer({"code": 200, "errorcode": 97, "message": "Error in action"},
                                [bad, good]))
    first, second = client.call([act.search("address", "xx"), act.search("estate", "yy")])
    assert isinstance(first.error, onoffice.RecordNotFound) and first.error.code == 292
    assert second.unwrap()[0].id == 5


@pytest.mark.parametrize("response", [
    httpx.Response(302, headers={"location": "https://api.onoffice.de/api/stable/api.php"}),
    httpx.Response(502, text="<html>Bad gateway</html>"),
    httpx.Response(200, text="not json"),
    httpx.Response(200, json=["a", "list"]),
])
def test_answers_that_are_not_onoffice_envelopes(response):
    client = mock_client(lambda request: response, read_retries=0)
    with pytest.raises(onoffice.BadResponse):
        client.own_user()


def test_redirect_names_the_target():
    target = "https://api.onoffice.de/api/stable/api.php"
    client = mock_client(lambda r: httpx.Response(301, headers={"location": target}), read_retries=0)
    with pytest.raises(onoffice.BadResponse, match="set ONOFFICE_API_URL"):
        client.own_user()


def counting(handler):
    calls = []

    def wrapped(request):
        calls.append(request)
        return handler(request)
    return wrapped, calls


def refuse(request):
    raise httpx.ConnectError("connection refused", request=request)


def test_reads_are_retried_on_transport_errors():
    handler, calls = counting(refuse)
    with pytest.raises(onoffice.ConnectError):
        mock_client(handler, read_retries=2).own_user()
    assert len(calls) == 3


def test_writes_are_never_retried():
    handler, calls = counting(refuse)
    with pytest.raises(onoffice.ConnectError):
        mock_client(handler, read_retries=2).link_email(ANNA, MID, "INBOX", 17, address_id=601)
    assert len(calls) == 1


def test_refusals_are_not_retried():
    handler, calls = counting(answer({"code": 400, "errorcode": 22, "message": "no"}))
    with pytest.raises(onoffice.AuthenticationError):
        mock_client(handler, read_retries=2).own_user()
    assert len(calls) == 1


def test_link_without_success_record_is_not_taken_for_success():
    empty = {"status": {"errorcode": 0}, "data": {"records": []}}
    with pytest.raises(onoffice.BadResponse, match="did not confirm"):
        mock_client(answer(OK, [empty])).link_email(ANNA, MID, "INBOX", 17, address_id=601)


def test_address_id_and_address_ids_never_together():
    with pytest.raises(ValueError, match="297"):
        act.link_email(ANNA, MID, "INBOX", 17, address_id=1, address_ids=[2])


def test_address_ids_are_sent_as_the_newer_parameter(sandbox):
    with serve(sandbox) as base:
        client = OnOfficeClient(base + "/api.php", TOKEN, SECRET)
        client.link_email(ANNA, MID, "INBOX", 17, address_ids=[601, 602])
        assert sandbox.received[-1]["parameters"]["addressIds"] == [601, 602]
        links = client.email_links(ANNA, MID, "INBOX", 17)
        assert [a["addressId"] for a in links.addresses] == [601, 602]
        client.link_email(ANNA, MID, "INBOX", 17, address_ids=[])
        assert client.email_links(ANNA, MID, "INBOX", 17).addresses == []


def test_timeout_over_a_real_socket():
    slow = SandboxOnOffice(TOKEN, SECRET, latency=1.0)
    with serve(slow) as base:
        client = OnOfficeClient(base + "/api.php", TOKEN, SECRET, read_timeout=0.2,
                                read_retries=0)
        with pytest.raises(onoffice.Timeout):
            client.own_user()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_over_a_real_socket():
    client = OnOfficeClient(f"http://127.0.0.1:{closed_port()}/api.php", TOKEN, SECRET,
                            retry_pause=0)
    with pytest.raises(onoffice.ConnectError, match="could not reach onOffice"):
        client.own_user()


def test_every_action_against_the_sandbox_over_http(onoffice_url):
    client = OnOfficeClient(onoffice_url, TOKEN, SECRET)
    assert client.own_user().elements["username"] == "aschmidt"
    assert [r.id for r in client.search("address", "Müller")] == [601]
    assert [r.id for r in client.search("estate", "Köln Venloer")] == [2649]
    assert [r.id for r in client.addresses_by_email("juergen.mueller@gmx.de")] == [601]
    assert client.read_estates([2650])[0].elements["ort"] == "Düsseldorf"
    assert client.record_url("estate", 2649).endswith("/estate/2649")
    client.link_email(ANNA, MID, "INBOX", 17, address_id=601, estate_id=2649)
    links = client.email_links(ANNA, MID, "INBOX", 17)
    assert links.addresses[0]["addressSurname"] == "Müller"
    assert links.estates[0]["estateId"] == 2649
    client.link_email(ANNA, MID, "INBOX", 17, address_id=0, estate_id=0)
    links = client.email_links(ANNA, MID, "INBOX", 17)
    assert links.addresses == [] and links.estates == []


def test_wrong_secret_is_caught_by_the_sandbox_hmac_check(onoffice_url):
    client = OnOfficeClient(onoffice_url, TOKEN, "e" * 64)
    with pytest.raises(onoffice.AuthenticationError) as info:
        client.own_user()
    assert info.value.code == 137


def test_skewed_clock_is_caught_by_the_sandbox(onoffice_url):
    import time

    client = OnOfficeClient(onoffice_url, TOKEN, SECRET, clock=lambda: time.time() - 3600)
    with pytest.raises(onoffice.AuthenticationError) as info:
        client.own_user()
    assert info.value.code == 136 and "NTP" in info.value.hint


def test_repr_hides_credentials():
    client = OnOfficeClient("https://onoffice.test/api.php", TOKEN, SECRET)
    assert TOKEN not in repr(client) and SECRET not in repr(client)
