"""HMAC v2: the four reference vectors, and signing at send time."""

import json

import httpx
import pytest

from server.onoffice import OnOfficeClient, hmac_v2
from server.sandbox.protocol import expected_hmac, hmac_matches

GET = "urn:onoffice-de-ns:smart:2.5:smartml:action:get"
READ = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
DO = "urn:onoffice-de-ns:smart:2.5:smartml:action:do"


@pytest.mark.parametrize(
    ("token", "secret", "timestamp", "resourcetype", "actionid", "expected"),
    [
        ("mgjIQkNRnaqggVzy9cZW", "yOJobbhGLXdp90XxvxedFhH7073L9U", 123456789, "estateCategories",
         GET, "dsvg3r4AFcQXges0MZ+3auzQVfnEB39pLkKSgmm9Wvg="),
        ("testtoken", "testsecret", 1646228220, "calendar", READ,
         "w6ifKMmAdJoKhu0vl2twvfP+ltyOTQ7LqLpvsZkOnlg="),
        ("dX5hkIIU6W", "dhY8h7FeU9", 123456789, "estateCategories", GET,
         "F9OXyaJv7p+bLkwGDGV7ZUmfYgjH2E24zpsxY5/nVDk="),
        ("0123456789abcdef0123456789abcdef", "f" * 64, 1700000000, "emailassignments", DO,
         "w9mUZPf/y1gh9syda9vU+JI9uehpXDX4JNdc2ghcZ2M="),
    ],
)
def test_reference_vectors(token, secret, timestamp, resourcetype, actionid, expected):
    assert hmac_v2(token, secret, timestamp, resourcetype, actionid) == expected
    # The sandbox states the protocol on its own; both must meet the published vectors.
    assert expected_hmac(secret, timestamp, token, resourcetype, actionid) == expected
    assert hmac_matches(expected, secret, timestamp, token, resourcetype, actionid)
    assert not hmac_matches(expected, secret, timestamp + 1, token, resourcetype, actionid)
    assert not hmac_matches(None, secret, timestamp, token, resourcetype, actionid)


class Recorder:
    """A transport that records bodies and answers like onOffice (or fails first)."""

    def __init__(self, fail_first: int = 0):
        self.bodies: list[dict] = []
        self.fail_first = fail_first

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        if len(self.bodies) <= self.fail_first:
            raise httpx.ConnectError("refused", request=request)
        results = [{"status": {"errorcode": 0, "message": "OK"},
                    "data": {"records": [{"id": 1, "type": "user", "elements": {}}]}}
                   for _ in body["request"]["actions"]]
        return httpx.Response(200, json={"status": {"code": 200, "errorcode": 0, "message": "OK"},
                                         "response": {"results": results}})


def test_clock_read_once_per_action_and_signature_matches_sent_timestamp():
    ticks = iter(range(1_700_000_000, 1_700_000_100))
    recorder = Recorder()
    client = OnOfficeClient("https://onoffice.test/api.php", "tok", "sec",
                            transport=httpx.MockTransport(recorder), clock=lambda: next(ticks))
    client.own_user()
    action = recorder.bodies[0]["request"]["actions"][0]
    assert action["timestamp"] == 1_700_000_000
    assert next(ticks) == 1_700_000_001  # exactly one clock read for one action
    assert action["hmac"] == hmac_v2("tok", "sec", action["timestamp"], "users", GET)
    assert action["hmac_version"] == 2
    assert "hmac" not in action["parameters"]


def test_every_retry_is_signed_again():
    ticks = iter(range(1_700_000_000, 1_700_000_100, 7))
    recorder = Recorder(fail_first=2)
    client = OnOfficeClient("https://onoffice.test/api.php", "tok", "sec",
                            transport=httpx.MockTransport(recorder), clock=lambda: next(ticks),
                            retry_pause=0)
    client.own_user()
    sent = [b["request"]["actions"][0] for b in recorder.bodies]
    assert len(sent) == 3
    assert len({a["timestamp"] for a in sent}) == 3
    for a in sent:
        assert a["hmac"] == hmac_v2("tok", "sec", a["timestamp"], "users", GET)
