"""The corpus of German mails through POST /api/v1/suggestions, against the sandbox over a socket."""

import pytest

from tests.suggestion_corpus import evaluate, load

MAILS = load()


def test_corpus_is_large_and_varied_enough():
    assert len(MAILS) >= 25
    kinds = {m.kind for m in MAILS}
    assert {"immoscout24", "immowelt", "kleinanzeigen", "homepage", "forward", "reply",
            "newsletter", "signature"} <= kinds


@pytest.fixture
def results(client, auth):
    def suggest(mail):
        r = client.post("/api/v1/suggestions", headers=auth, json=mail.request())
        assert r.status_code == 200, (mail.name, r.get_json())
        return r.get_json()
    return evaluate(MAILS, suggest)


def test_corpus_meets_precision_and_recall_targets(results):
    estates = results["estates"]
    assert estates.precision >= 0.95, results["misses"]
    assert estates.recall >= 0.9, results["misses"]
    assert results["all"].precision >= 0.95 and results["all"].recall >= 0.9


def test_newsletters_html_and_quoted_only_mails_name_no_estate(results):
    for mail, answer in results["answers"]:
        if mail.kind in ("newsletter", "html") or not mail.estates:
            assert answer["estates"] == [], mail.name


def test_every_suggestion_says_why(results):
    for mail, answer in results["answers"]:
        for rec in answer["addresses"]:
            reason = rec["reason"]
            if reason["kind"] == "body":  # an inquirer's or a forwarded mail's sender
                assert reason["text"] in mail.body.lower(), mail.name
            else:
                assert reason["kind"] in ("sender", "participant"), mail.name
                assert reason["text"] in [mail.sender, *mail.participants]
        for rec in answer["estates"]:
            assert rec["reason"]["kind"] in ("subject", "body"), mail.name
            source = mail.subject if rec["reason"]["kind"] == "subject" else mail.body
            assert rec["reason"]["text"] in source, (mail.name, rec["reason"])
