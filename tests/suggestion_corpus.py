"""The suggestion corpus (tests/data/mails/*.eml): German mails with the suggestions they should get.

Each file is a mail with its headers (From, To, Cc, Subject), the expectation in
``X-Expect-Addresses`` / ``X-Expect-Estates`` (record ids, blank for none) and ``X-Kind``.
Used by the corpus test and by ``bench/suggestion_quality.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email import message_from_string, policy
from email.utils import getaddresses
from pathlib import Path
from typing import Any

MAILS = Path(__file__).parent / "data" / "mails"


@dataclass(frozen=True)
class CorpusMail:
    name: str
    kind: str
    sender: str
    participants: list[str]
    subject: str
    body: str
    addresses: frozenset[int]
    estates: frozenset[int]

    def request(self) -> dict[str, Any]:
        return {"from": self.sender, "participants": self.participants, "subject": self.subject,
                "body": self.body}


def _ids(value: str | None) -> frozenset[int]:
    return frozenset(int(v) for v in (value or "").split())


def load() -> list[CorpusMail]:
    mails = []
    for path in sorted(MAILS.glob("*.eml")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        msg = message_from_string(head + "\n\n", policy=policy.default)
        people = getaddresses([str(msg.get("To", "")), str(msg.get("Cc", ""))])
        mails.append(CorpusMail(
            name=path.stem, kind=str(msg["X-Kind"]),
            sender=getaddresses([str(msg["From"])])[0][1],
            participants=[e for _, e in people if e], subject=str(msg["Subject"]),
            body=body, addresses=_ids(msg["X-Expect-Addresses"]),
            estates=_ids(msg["X-Expect-Estates"])))
    return mails


@dataclass(frozen=True)
class Score:
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0


def score(pairs: Iterable[tuple[frozenset[int], frozenset[int]]]) -> Score:
    """(expected ids, suggested ids) per mail -> counts over the whole corpus."""
    tp = fp = fn = 0
    for expected, got in pairs:
        tp += len(expected & got)
        fp += len(got - expected)
        fn += len(expected - got)
    return Score(tp, fp, fn)


Suggest = Callable[[CorpusMail], dict[str, Any]]


def evaluate(mails: list[CorpusMail], suggest: Suggest) -> dict[str, Any]:
    """Runs every mail through ``suggest`` (an API call); scores addresses, estates and both."""
    answers = [(m, suggest(m)) for m in mails]

    def ids(answer: dict[str, Any], key: str) -> frozenset[int]:
        return frozenset(r["id"] for r in answer[key])

    estates = score((m.estates, ids(a, "estates")) for m, a in answers)
    addresses = score((m.addresses, ids(a, "addresses")) for m, a in answers)
    both = Score(estates.true_pos + addresses.true_pos, estates.false_pos + addresses.false_pos,
                 estates.false_neg + addresses.false_neg)
    misses = [(m.name, sorted(m.estates), sorted(ids(a, "estates"))) for m, a in answers
              if ids(a, "estates") != m.estates]
    return {"estates": estates, "addresses": addresses, "all": both, "misses": misses,
            "answers": answers}
