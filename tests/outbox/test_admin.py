"""flask outbox list | retry | drop, and the outbox line of flask doctor."""

from __future__ import annotations

import time

from tests.conftest import MID

LINKS = "/api/v1/links"


def queue_click(client, auth, sandbox, **body):  # type: ignore[no-untyped-def]
    sandbox.set_mode("5xx")
    r = client.post(LINKS, json={"messageId": MID, **body}, headers=auth)
    assert r.status_code == 202, r.json
    return r.json["pending"]["id"]


def test_list_drop_and_the_doctor_line(app, client, auth, sandbox):
    click_id = queue_click(client, auth, sandbox, addressId=601)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["outbox", "list"]).output
    assert f"{click_id}  queued" in out and MID in out and "addressId=601" in out
    assert "anna.schmidt@makler-demo.de" in out and "1 queued, 0 failed" in out

    doctor = runner.invoke(args=["doctor"]).output
    assert "WARN outbox: 1 clicks queued, the oldest" in doctor

    r = runner.invoke(args=["outbox", "drop", str(click_id)])
    assert r.exit_code == 0 and "dropped" in r.output
    assert "0 queued, 0 failed" in runner.invoke(args=["outbox", "list"]).output
    assert "ok   outbox: 0 clicks queued" in runner.invoke(args=["doctor"]).output
    history = client.get(LINKS, query_string={"messageId": MID}, headers=auth)
    assert history.status_code == 503  # still down; the dropped click is no longer pending
    assert history.json["error"]["details"]["pending"] == []
    sandbox.set_mode("up")
    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    assert view["history"][0]["outcome"] == "dropped" and sandbox.applied == []


def test_retry_queues_a_failed_click_again(app, client, auth, sandbox):
    svc = app.extensions["onoffice_mail_link"]
    sandbox.addresses.pop(607)
    click_id = queue_click(client, auth, sandbox, addressId=607)
    sandbox.set_mode("up")
    deadline = time.monotonic() + 10
    while svc.outbox.all()[0].state != "failed":
        assert time.monotonic() < deadline, "the refused click was not settled"
        time.sleep(0.05)
    svc.drainer.stop()
    runner = app.test_cli_runner()
    assert f"{click_id}  failed" in runner.invoke(args=["outbox", "list"]).output
    assert runner.invoke(args=["outbox", "retry", str(click_id)]).exit_code == 0
    [again] = svc.outbox.all()
    assert again.state == "queued" and again.id > click_id  # behind the mail's newer clicks
    bad = runner.invoke(args=["outbox", "retry", "999999"])
    assert bad.exit_code != 0 and "no click 999999" in bad.output
