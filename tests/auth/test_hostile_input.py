"""Hostile request bodies: refused as the client's fault (4xx), never a 500 with a traceback."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import MID


@pytest.mark.parametrize("path", ["/api/v1/links", "/auth/token"])
def test_deeply_nested_json_is_a_400_not_a_500(client, auth, caplog, path):
    caplog.set_level(logging.ERROR)
    r = client.post(path, data="[" * 20000 + "]" * 20000,
                    headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_request"
    assert not caplog.records


def test_oversized_body_is_a_413(client, auth):
    r = client.post("/api/v1/links", json={"messageId": MID, "addressId": 601, "folder": "x" * 70000},
                    headers=auth)
    assert r.status_code == 413 and r.json["error"]["code"] == "request_entity_too_large"
