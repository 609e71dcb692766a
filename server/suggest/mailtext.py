"""Finds the properties a mail names: object numbers and street addresses. Plain Python.

The body is the mail's plain text as the pane reads it. What is not the writer's own text
is dropped before looking: quoted reply text, the quoted mail under a reply header, the
signature and greeting block, the inquirer's own contact data in portal inquiries, and
newsletters altogether. Forwarded mails are kept: forwarding a portal inquiry to a
colleague is how it usually reaches the agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MAX_BODY_BYTES = 16 * 1024
MAX_REFERENCES = 6

RefKind = Literal["object_no", "street"]


@dataclass(frozen=True)
class Reference:
    """Something in the mail that may name an estate; ``query`` goes to the estate quick search."""

    kind: RefKind
    query: str  # normalised: "Venloer Straße 312", "W-1024"
    text: str  # as written in the mail, for the reason the pane shows

    def matches(self, external_no: str, street: str, houseno: str) -> bool:
        """Does an estate the quick search found really carry this number or address?"""
        if self.kind == "object_no":
            return _squash(external_no) == _squash(self.query)
        name, _, number = self.query.rpartition(" ")
        return (_street_key(street) == _street_key(name)
                and _squash(houseno) == _squash(number))


# -- cleaning ------------------------------------------------------------------------

_FORWARD = re.compile(
    r"^\s*(?:-{2,}\s*(?:Weitergeleitete Nachricht|Forwarded message|Original-Nachricht)\s*-{2,}"
    r"|Anfang der weitergeleiteten (?:Nachricht|E-Mail):?|Begin forwarded message:?)\s*$",
    re.I | re.M)
_REPLY_HEADER = re.compile(
    r"^\s*(?:-{2,}\s*(?:Ursprüngliche Nachricht|Original Message)\s*-{2,}"
    r"|(?:Am|On) .{4,120}(?:schrieb|wrote).{0,120}:"
    r"|_{10,})\s*$", re.I | re.M)
_OUTLOOK_HEADER = re.compile(r"^\s*(?:Von|From):\s.+\n\s*(?:Gesendet|Sent|Datum|Date):\s", re.I | re.M)
# Where the writer's own text ends: signature separator, closing greeting, portal contact block.
_SIGN_OFF = re.compile(
    r"^\s*(?:--\s*$"
    r"|(?:Mit )?(?:freundliche[nm]?|beste[nm]?|viele[nm]?|liebe[nm]?|herzliche[nm]?|sonnige[nm]?"
    r"|schöne[nm]?)\s+Grüße?n?\b"
    r"|MfG\b|VG\b|LG\b|Gruß\b|Grüße aus\b|Best regards\b|Kind regards\b|Regards\b"
    r"|(?:Kontaktdaten|Angaben|Daten) (?:des|der|zum|zur) (?:Interessenten|Anfragenden|Person)"
    r"|Kontaktdaten\s*:?\s*$|Absender\s*:?\s*$|Ihre Kontaktdaten)",
    re.I | re.M)
_NEWSLETTER = re.compile(
    r"newsletter\s+(?:ab(?:bestellen|melden)|kündigen)|vom newsletter abmelden"
    r"|\bunsubscribe\b|sie erhalten diese e-mail,? (?:weil|da)|e-mails? abbestellen"
    r"|\babmelden\b.{0,40}\b(?:newsletter|verteiler)|diese nachricht wurde an .{3,80} gesendet"
    r"|(?:newsletter|e-mails?|nachrichten|mailings?)\s+(?:\w+\s+){0,2}nicht mehr (?:erhalten|bekommen)",
    re.I | re.S)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:WG|Wg|FW|Fw|Fwd|FWD|Weiterl\.?)\s*:\s*)", re.I)
_HTML = re.compile(r"<\s*(?:html|body|div|table|p|br|span|td|font|style|head)\b[^>]*>", re.I)


def cut(body: str) -> str:
    """The first 16 KiB of the body (UTF-8), never split inside a character."""
    raw = body.encode("utf-8", "replace")
    return raw[:MAX_BODY_BYTES].decode("utf-8", "ignore") if len(raw) > MAX_BODY_BYTES else body


def looks_unreadable(text: str) -> bool:
    """HTML markup or binary: no plain text to read, so no suggestions from it."""
    if "\x00" in text:
        return True
    odd = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    if odd > max(8, len(text) // 50):
        return True
    return len(_HTML.findall(text)) >= 3


def own_text(body: str, subject: str = "") -> str:
    """The parts of the body its writers wrote for this mail: see the module docstring."""
    text = cut(body).replace("\r\n", "\n").replace("\r", "\n")
    if looks_unreadable(text) or _NEWSLETTER.search(text):
        return ""
    forwarded = bool(_FORWARD_SUBJECT.match(subject or ""))
    sections = _FORWARD.split(text)
    kept = [_section_text(s, forwarded) for s in sections]
    return "\n".join(k for k in kept if k)


def _section_text(section: str, forwarded: bool) -> str:
    lines = [ln for ln in section.split("\n") if not ln.lstrip().startswith(">")]
    text = "\n".join(lines)
    header = _REPLY_HEADER.search(text) or _OUTLOOK_HEADER.search(text)
    if not header:
        return _before_sign_off(text)
    own = _before_sign_off(text[:header.start()])
    if not forwarded:
        return own  # a reply: what sits under the header is the quoted mail
    # "WG:" subject: an Outlook forward, whose original sits under the same header as a reply's.
    return own + "\n" + _section_text(text[header.end():], False)


def _before_sign_off(text: str) -> str:
    sign_off = _SIGN_OFF.search(text)
    return text[:sign_off.start()] if sign_off else text


# -- recognising ------------------------------------------------------------------------

_LABEL = (r"(?:Ihre\s+|Unsere\s+)?(?:Objekt[- ]?(?:Nr\.?|Nummer|nummer|ID|Id)|Objektnr\.?|Obj\.-?Nr\.?"
          r"|Anbieter[- ]Objekt[- ]?(?:ID|Id|Nr\.?|nummer)|Objektkennung|Kennung|Referenz(?:nummer|-?Nr\.?)"
          r"|Ref\.-?Nr\.?|Exposé[- ]?Nr\.?)")
_LABELLED_NO = re.compile(_LABEL + r"\s*[:#.]?\s*(?P<no>[A-Za-z0-9][A-Za-z0-9/_.-]{0,28}[A-Za-z0-9])", re.I)
_SHAPED_NO = re.compile(r"(?<![\w-])(?P<no>[A-Z]{1,4}-\d{2,8}(?:-\d{1,4})?)(?![\w-])")
# Capital-letter-dash-number shapes that are something else: registers, norms, tax ids, plates.
_NOT_OBJECT = re.compile(r"^(?:HRB|HRA|DIN|ISO|EN|USt|UST|DE|VR|PR|GnR|KW|IBAN|BIC|TÜV|EU|CO)-", re.I)

_SUFFIXES = "straße|strasse|str.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|pfad|markt|steig|kai|wall"
_LOWER = "(?:" + "|".join(re.escape(x) for x in _SUFFIXES.split("|")) + ")"
_UPPER = "(?:" + "|".join(re.escape(x[0].upper() + x[1:]) for x in _SUFFIXES.split("|")) + ")"
_W = r"[A-ZÄÖÜ][a-zäöüß]+"
# "Im Jahr 2024", "Am Montag 15 Uhr", "Im Erdgeschoss 3 Zimmer": prepositions, not streets.
_NOT_PLACE = ("(?:Jahre?|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende"
              "|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
              "|Dezember|Anfang|Ende|Erdgeschoss|Obergeschoss|Dachgeschoss|Keller|Moment|Rahmen"
              "|Namen|Auftrag|Anhang|Schnitt|Durchschnitt|Vergleich|Vorfeld|Zeitraum|Quartal)")
_NOT_UNIT = (r"(?!\s*(?:Uhr|Zimmer|Zi\.|qm|m²|m2|Jahre?n?|€|Euro|EUR|%|Minuten|Min\.|km|Stock|OG"
             r"|Etagen?|Monate?n?|Tage?n?|Wochen?|Personen|Kinder|Stellpl|Prozent|Punkte)\b)"
             r"(?!\s*[€%])")
_STREET = re.compile(
    r"(?<![\w@.-])(?P<street>"
    rf"(?:Am|An der|An den|Auf dem|Auf der|Im|In der|In den|Zum|Zur|Unter den|Hinter der)\s+"
    rf"(?!{_NOT_PLACE}\b)(?:{_W}\s+){{0,2}}{_W}"  # "Am Fühlinger See", "An der Alten Kirche"
    rf"|(?:{_W}-)+{_UPPER}"  # "Konrad-Adenauer-Straße"
    rf"|{_W}{_LOWER}"  # "Schloßallee", "Leopoldstr."
    rf"|(?:{_W}\s+){{1,2}}{_UPPER}"  # "Venloer Straße", "Alte Kölner Str."
    r")\s+(?P<no>\d{1,4}\s?[a-hA-H]?)(?![\w])(?![.,:]\d)" + _NOT_UNIT +
    r"(?:\s*,?\s*(?P<zip>\d{5})\s+(?P<city>[A-ZÄÖÜ][\wäöüß-]+))?")
_LEADING_NOISE = re.compile(r"^(?:Die|Der|Das|Ihre|Ihr|Ihrem|Ihren|Objekt|Wohnung|Haus|Adresse|In|Zur|"
                            r"Zum|Nähe|Bei|Für|Von|Nach|Objektadresse|Lage|Straße|Anschrift)\s+")


# "E-Mail: …" in a portal's or form's contact block, "Von: … <…>" over a forwarded mail.
_LABELLED_EMAIL = re.compile(
    r"^[ \t]*(?:E-?Mail(?:-Adresse)?|Mail|Von|From|Absender|Kontakt)[ \t]*:[ \t]*(?:[^<>\n]*<)?"
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})>?[ \t]*$", re.I | re.M)
MAX_EMAILS = 5


def body_emails(body: str) -> list[str]:
    """E-mail addresses the body names as someone's: the inquirer of a portal inquiry or form,
    the sender of a forwarded mail. Quoted lines do not count; newsletters name nobody."""
    text = cut(body or "").replace("\r\n", "\n")
    if looks_unreadable(text) or _NEWSLETTER.search(text):
        return []
    unquoted = "\n".join(ln for ln in text.split("\n") if not ln.lstrip().startswith(">"))
    found = dict.fromkeys(m.group("email").lower() for m in _LABELLED_EMAIL.finditer(unquoted))
    return list(found)[:MAX_EMAILS]


def subject_references(subject: str) -> list[Reference]:
    return _references(subject or "")


def body_references(body: str, subject: str = "") -> list[Reference]:
    return _references(own_text(body or "", subject))


def _references(text: str) -> list[Reference]:
    found: dict[str, Reference] = {}
    for m in _LABELLED_NO.finditer(text):
        no = m.group("no").rstrip(".-/")
        if any(c.isdigit() for c in no):
            found.setdefault(_squash(no), Reference("object_no", no, no))
    for m in _SHAPED_NO.finditer(text):
        no = m.group("no")
        if not _NOT_OBJECT.match(no):
            found.setdefault(_squash(no), Reference("object_no", no, no))
    for m in _STREET.finditer(text):
        street = _LEADING_NOISE.sub("", m.group("street").strip())
        if m.start("street") > 0 and text[m.start("street") - 1] == "@":
            continue
        number = re.sub(r"\s+", "", m.group("no"))
        query = f"{_normalise_street(street)} {number}"
        written = text[m.start("street"):m.end("no")].strip()
        found.setdefault(_squash(query), Reference("street", query, written))
    return list(found.values())[:MAX_REFERENCES]


def _normalise_street(street: str) -> str:
    street = re.sub(r"(?<=[a-zäöüß])str\.$", "straße", street)
    street = re.sub(r"\bStr\.$", "Straße", street)
    return re.sub(r"\s+", " ", street)


def _street_key(street: str) -> str:
    s = _normalise_street(str(street).strip()).casefold()  # casefold: ß -> ss
    return re.sub(r"[\s.-]+", "", s)


def _squash(value: str) -> str:
    return re.sub(r"[\s]+", "", str(value)).casefold()
