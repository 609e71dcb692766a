"""What a curious outsider sends: odd queries and bodies still get the JSON error shape."""

import io

import pytest

LINKS = "/api/v1/links"


def assert_error(r, status, code):
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    assert r.is_json and set(r.json["error"]) == {"code", "message", "details"}
    assert r.json["error"]["code"] == code


@pytest.mark.parametrize("q", ["   ", " a ", "\t\t"])
def test_blank_search_is_422_and_onoffice_is_not_asked(client, auth, sandbox, q):
    r = client.get("/api/v1/search", headers=auth, query_string={"kind": "address", "q": q})
    assert_error(r, 422, "validation_failed")
    assert "q" in r.json["error"]["details"]
    assert sandbox.received == []


def test_search_terms_are_sent_without_surrounding_blanks(client, auth):
    r = client.get("/api/v1/search", headers=auth, query_string={"kind": "address", "q": " Müller "})
    assert r.status_code == 200 and [x["id"] for x in r.json["results"]] == [601]


def test_deeply_nested_json_is_400_not_500(client, auth, sandbox):
    body = "[" * 30_000 + "]" * 30_000  # under 64 KiB, deeper than Python's recursion limit
    r = client.post(LINKS, data=body, headers={**auth, "Content-Type": "application/json"})
    assert_error(r, 400, "bad_request")
    assert sandbox.received == []


def test_oversized_chunked_body_is_413(client, auth, sandbox):
    body = ('{"messageId": "<a@b.de>", "addressId": 601, "pad": "' + "x" * 100_000 + '"}').encode()
    r = client.post(LINKS, input_stream=io.BytesIO(body),
                    headers={**auth, "Content-Type": "application/json",
                             "Transfer-Encoding": "chunked"},
                    environ_overrides={"wsgi.input_terminated": True})
    assert_error(r, 413, "request_entity_too_large")
    assert sandbox.received == []


def test_small_chunked_body_is_read(client, auth):
    body = b'{"messageId": "<20261118093412.4F2A1@mueller-partner.de>", "addressId": 601}'
    r = client.post(LINKS, input_stream=io.BytesIO(body),
                    headers={**auth, "Content-Type": "application/json",
                             "Transfer-Encoding": "chunked"},
                    environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 200, r.json


def test_record_id_beyond_32_bits_is_422_and_onoffice_is_not_asked(client, auth, sandbox):
    r = client.get("/api/v1/records/address/99999999999999999999/url", headers=auth)
    assert_error(r, 422, "validation_failed")
    assert "id" in r.json["error"]["details"]
    assert sandbox.received == []
