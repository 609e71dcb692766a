from tests.conftest import MID


def test_link_against_sandbox_over_http(client, auth, sandbox):
    r = client.post("/api/v1/links", json={"messageId": MID, "addressId": 601}, headers=auth)
    assert r.status_code == 200, r.json
    assert r.json["folder"] == "INBOX" and r.json["uid"] == 17
    assert sandbox.links[("anna.schmidt@makler-demo.de", MID)]["addresses"] == [601]
