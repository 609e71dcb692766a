"""Audit log, sessions, sign-in flows and hand-over codes against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import text

from server.store import AuditLog, Database, SessionStore
from server.store.auth_flows import AuthFlowStore
from server.store.handover_codes import CodeRefused, HandoverCodes, Redeemed

from ..conftest import ANNA, MID

T = TypeVar("T")
RACERS = 8


def race(n: int, attempt: Callable[[], T]) -> list[T | Exception]:
    """Run ``attempt`` in ``n`` threads released at the same moment; returns results or errors."""
    barrier, results = threading.Barrier(n), []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            out: T | Exception = attempt()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each racer got
            out = exc
        with lock:
            results.append(out)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_the_dialect_is_the_one_asked_for(db: Database, database_url: str) -> None:
    assert db.dialect == database_url.split(":")[0].split("+")[0]


# -- audit log ---------------------------------------------------------------------------

def _start(audit: AuditLog, identity: str = ANNA, message_id: str = MID, **kw: object) -> int:
    args = {"user_id": "tid:oid-anna", "mailbox": ANNA, "identity": identity,
            "message_id": message_id, "action": "link", "address_id": 601, "estate_id": None}
    return audit.start(**{**args, **kw})  # type: ignore[arg-type]


def test_audit_entry_is_pending_until_finished_and_keeps_the_location(db: Database) -> None:
    audit = AuditLog(db)
    entry = _start(audit)
    (pending,) = audit.history(ANNA, MID)
    assert (pending.id, pending.outcome, pending.folder, pending.uid) == (entry, "pending", None, None)
    audit.finish(entry, "ok", folder="Kunden/Müller", uid=4_000_000_000 // 2)
    (done,) = audit.history(ANNA, MID)
    assert (done.outcome, done.folder, done.uid) == ("ok", "Kunden/Müller", 2_000_000_000)
    assert done.at.tzinfo is not None and done.at.utcoffset() == timedelta(0)


def test_a_failure_keeps_the_location_it_had_and_records_the_code(db: Database) -> None:
    audit = AuditLog(db)
    entry = _start(audit)
    audit.finish(entry, "ok", folder="INBOX", uid=17)
    audit.finish(entry, "refused", code=137, detail="x" * 5000)
    (row,) = audit.history(ANNA, MID)
    assert (row.outcome, row.onoffice_code, row.folder, row.uid) == ("refused", 137, "INBOX", 17)


def test_history_is_newest_first_per_identity_and_message(db: Database) -> None:
    audit = AuditLog(db)
    first = _start(audit)
    second = _start(audit, action="unlink", address_id=None)
    _start(audit, identity="max@makler-demo.de")
    _start(audit, message_id="<other@x>")
    assert [e.id for e in audit.history(ANNA, MID)] == [second, first]
    assert [e.action for e in audit.history(ANNA, MID, limit=1)] == ["unlink"]


def test_audit_keeps_unicode_and_long_message_ids(db: Database) -> None:
    audit = AuditLog(db)
    mid = "<" + "ä" * 900 + "@mueller-partner.de>"
    _start(audit, message_id=mid)
    assert audit.history(ANNA, mid)[0].message_id == mid


# -- sessions ------------------------------------------------------------------------------

def _session(store: SessionStore, mailbox: str = ANNA, days: float = 1):  # type: ignore[no-untyped-def]
    return store.create(mailbox=mailbox, name="Anna Schmidt", user_id="tid:oid-anna",
                        method="session", lifetime=timedelta(days=days))


def test_session_round_trip(db: Database) -> None:
    store = SessionStore(db)
    record = _session(store)
    loaded = SessionStore(db).get(record.id)
    assert loaded is not None and (loaded.mailbox, loaded.revoked) == (ANNA, False)
    assert loaded.expires_at == record.expires_at  # aware UTC, to the microsecond, on both
    assert SessionStore(db).get("no-such-session") is None


def test_revoke_is_seen_at_once_by_the_revoking_process(db: Database) -> None:
    store = SessionStore(db)
    record = _session(store)
    assert store.get(record.id) is not None  # now cached
    store.revoke(record.id)
    assert store.get(record.id).revoked  # type: ignore[union-attr]


def test_another_process_sees_a_revocation_when_its_cache_runs_out(db: Database) -> None:
    """Two stores on one database stand for two processes; each has its own cache."""
    revoker, cached, uncached = SessionStore(db), SessionStore(db, 3600), SessionStore(db, 0)
    record = _session(revoker)
    assert not cached.get(record.id).revoked  # type: ignore[union-attr]
    assert revoker.revoke_mailbox(ANNA.upper()) == 1
    assert not cached.get(record.id).revoked  # type: ignore[union-attr]  # within the delay
    assert uncached.get(record.id).revoked  # type: ignore[union-attr]
    assert SessionStore(db).get(record.id).revoked  # type: ignore[union-attr]


def test_revoke_mailbox_counts_only_live_sessions_of_that_mailbox(db: Database) -> None:
    store = SessionStore(db)
    a, b = _session(store), _session(store)
    other = _session(store, "max@makler-demo.de")
    store.revoke(a.id)
    assert store.revoke_mailbox(ANNA) == 1
    assert store.revoke_mailbox(ANNA) == 0
    assert not store.get(other.id).revoked and store.get(b.id).revoked  # type: ignore[union-attr]


def test_active_leaves_out_revoked_and_expired_sessions(db: Database) -> None:
    store = SessionStore(db)
    live = _session(store)
    _session(store, days=-1)
    store.revoke(_session(store).id)
    assert [r.id for r in store.active(ANNA)] == [live.id]


# -- pending sign-ins ------------------------------------------------------------------------

def test_auth_flow_is_taken_once(db: Database) -> None:
    flows = AuthFlowStore(db)
    flows.put({"state": "s1", "nonce": "n"}, "outlook", None)
    taken = flows.take("s1")
    assert taken is not None and taken.flow["nonce"] == "n" and taken.client == "outlook"
    assert flows.take("s1") is None and flows.take("unknown") is None


def test_expired_auth_flow_is_refused_and_swept(db: Database) -> None:
    flows = AuthFlowStore(db, lifetime=timedelta(seconds=-1))
    flows.put({"state": "old"}, "thunderbird", "https://x.test/cb")
    assert flows.take("old") is None
    AuthFlowStore(db).put({"state": "new"}, "outlook", None)  # sweeps the expired one
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT state FROM auth_flows")).scalars().all() == ["new"]


@pytest.mark.parametrize("round_", range(3))
def test_auth_flow_single_use_under_concurrency(db: Database, round_: int) -> None:
    flows = AuthFlowStore(db)
    flows.put({"state": f"race{round_}"}, "outlook", None)
    results = race(RACERS, lambda: flows.take(f"race{round_}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r is not None for r in results) == 1


# -- hand-over codes -------------------------------------------------------------------------

REDIRECT = "https://abcdef.extensions.allizom.org/"


def test_code_is_redeemed_once_then_names_its_session(db: Database) -> None:
    codes = HandoverCodes(db)
    code = codes.issue("sid-1", REDIRECT)
    assert codes.redeem(code, REDIRECT) == Redeemed("sid-1")
    with pytest.raises(CodeRefused) as replay:
        codes.redeem(code, REDIRECT)
    assert (replay.value.code, replay.value.session_id) == ("code_used", "sid-1")


@pytest.mark.parametrize(("issue_lifetime", "redirect", "code"), [
    (timedelta(minutes=2), "https://evil.test/", "code_invalid"),
    (timedelta(seconds=-1), REDIRECT, "code_expired"),
])
def test_code_refusals(db: Database, issue_lifetime: timedelta, redirect: str, code: str) -> None:
    issued = HandoverCodes(db, issue_lifetime).issue("sid-1", REDIRECT)
    with pytest.raises(CodeRefused) as refused:
        HandoverCodes(db).redeem(issued, redirect)
    assert refused.value.code == code and refused.value.session_id is None
    with pytest.raises(CodeRefused, match="unknown"):
        HandoverCodes(db).redeem("not-a-code", REDIRECT)


def test_the_database_keeps_only_the_codes_hash(db: Database) -> None:
    code = HandoverCodes(db).issue("sid-1", REDIRECT)
    with db.engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT code_hash FROM handover_codes")).scalars()
    assert code not in stored and len(stored) == 64


@pytest.mark.parametrize("round_", range(3))
def test_code_single_use_under_concurrency(db: Database, round_: int) -> None:
    codes = HandoverCodes(db)
    code = codes.issue(f"sid-{round_}", REDIRECT)
    results = race(RACERS, lambda: codes.redeem(code, REDIRECT))
    won = [r for r in results if isinstance(r, Redeemed)]
    lost = [r for r in results if isinstance(r, CodeRefused)]
    assert len(won) == 1 and len(lost) == RACERS - 1, results
    assert {(r.code, r.session_id) for r in lost} == {("code_used", f"sid-{round_}")}
