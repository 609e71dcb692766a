"""What a curious outsider sends: odd queries and bodies still get the JSON error shape."""

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
