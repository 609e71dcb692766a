"""Sample data of the sandbox: a small brokerage in Cologne with its contacts and mails.

Folders are spelled as an IMAP server spells them (modified UTF-7 for "Kunden/Müller").
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAILBOXES = ("anna.schmidt@makler-demo.de", "jonas.weber@makler-demo.de")
# The team's shared inbox: demo mode lets every makler-demo.de user act in it.
SHARED_MAILBOX = "vermietung@makler-demo.de"
UMLAUT_FOLDER = "Kunden/M&APw-ller"  # "Kunden/Müller" in modified UTF-7


@dataclass(frozen=True)
class Address:
    id: int
    customer_no: str
    firstname: str
    surname: str
    company: str = ""
    emails: tuple[str, ...] = ()
    title: str = ""
    salutation: str = ""
    phones: tuple[str, ...] = ()

    @property
    def default_email(self) -> str:
        return self.emails[0] if self.emails else ""


@dataclass(frozen=True)
class Estate:
    id: int
    external_no: str
    title: str
    street: str
    houseno: str
    zipcode: str
    city: str
    owner_id: int


@dataclass(frozen=True)
class Mail:
    mailbox: str
    folder: str
    uid: int
    message_id: str
    subject: str
    sender: tuple[str, str]
    to: tuple[tuple[str, str], ...]
    date: str
    cc: tuple[tuple[str, str], ...] = field(default=())
    body: str = ""  # plain text, as the pane reads it for suggestions


ADDRESSES = (
    Address(601, "K-1001", "Jürgen", "Müller", "Müller & Partner Steuerberatung",
            ("j.mueller@mueller-partner.de", "juergen.mueller@gmx.de")),
    Address(602, "K-1002", "Sabine", "Krämer", "", ("sabine.kraemer@web.de",)),
    Address(603, "K-1003", "Özlem", "Yıldız", "", ("oezlem.yildiz@gmx.de",)),
    Address(604, "K-1004", "Thomas", "Schäfer", "", ("familie.schaefer@t-online.de",)),
    Address(605, "K-1005", "Brigitte", "Weiß", "", ("b.weiss@weiss-immobilien.de",)),
    Address(606, "K-1006", "Hans-Peter", "Groß", "Groß Hausverwaltung GmbH",
            ("info@gross-hausverwaltung.de", "hp.gross@gross-hausverwaltung.de")),
    Address(607, "K-1007", "Zoë", "Löwenstein", "", ("zoe.loewenstein@posteo.de",)),
    Address(608, "K-1008", "Günther", "Fuß", "Fuß Bauträger KG", ("g.fuss@fuss-bau.de",)),
    Address(609, "K-1009", "Lukas", "Brenner", "", ("lukas.brenner@web.de",)),
    Address(610, "K-1010", "Katharina", "Vogel", "", ("k.vogel@posteo.de", "katharina.vogel@gmail.com")),
    Address(611, "K-1011", "Mehmet", "Aydın", "Aydın Immobilienverwaltung",
            ("m.aydin@aydin-verwaltung.de",)),
)

ESTATES = (
    Estate(2649, "W-1024", "Altbauwohnung mit Stuck in Köln-Ehrenfeld", "Venloer Straße", "312",
           "50823", "Köln", 605),
    Estate(2650, "W-1031", "Einfamilienhaus mit Garten in Düsseldorf-Benrath", "Schloßallee", "7",
           "40597", "Düsseldorf", 606),
    Estate(2651, "W-1045", "Penthouse über den Dächern von Schwabing", "Leopoldstraße", "88",
           "80802", "München", 608),
    Estate(2652, "W-1052", "Reihenhaus in Stuttgart-Degerloch", "Löwenstraße", "21",
           "70597", "Stuttgart", 604),
    Estate(2653, "W-1060", "Baugrundstück am Fühlinger See", "Am Fühlinger See", "3",
           "50769", "Köln", 606),
    # Below: the shapes the mail corpus (tests/data/mails) names: other object-number styles,
    # house numbers with letters, hyphenated streets, and near-misses for the quick search.
    Estate(2654, "MFH-0815", "Mehrfamilienhaus mit acht Einheiten", "Aachener Straße", "1000",
           "50858", "Köln", 611),
    Estate(2655, "4711", "Eigentumswohnung am Rathenauplatz", "Rathenauplatz", "4",
           "50674", "Köln", 610),
    Estate(2656, "W-1090", "Büroetage am Bonner Bogen", "Konrad-Adenauer-Straße", "12",
           "53113", "Bonn", 608),
    Estate(2657, "H-2031", "Doppelhaushälfte in Köln-Lövenich", "Kirchweg", "5a",
           "50858", "Köln", 604),
    Estate(2658, "W-1102", "Dachgeschosswohnung in der Heidelberger Altstadt", "Bergstraße",
           "14", "69120", "Heidelberg", 607),
    Estate(2659, "W-10240", "Tiefgaragenstellplatz in Ehrenfeld", "Subbelrather Straße", "2",
           "50823", "Köln", 605),
)

_ANNA = ("Anna Schmidt", MAILBOXES[0])
_JONAS = ("Jonas Weber", MAILBOXES[1])
_SHARED = ("Vermietung Makler Demo", SHARED_MAILBOX)

MAILS = (
    Mail(MAILBOXES[0], "INBOX", 17, "<20261118093412.4F2A1@mueller-partner.de>",
         "Anfrage zu Objekt W-1024: Altbauwohnung in Köln-Ehrenfeld",
         ("Dr. Jürgen Müller", "j.mueller@mueller-partner.de"), (_ANNA,), "2026-11-18T09:34:12+01:00",
         (("Brigitte Weiß", "b.weiss@weiss-immobilien.de"),)),
    Mail(MAILBOXES[0], "INBOX", 18, "<a8d2c4e0-77b1-4f0e-9f3c-2b1d5e6f7a81@web.de>",
         "Besichtigungstermin Einfamilienhaus Düsseldorf (W-1031)",
         ("Sabine Krämer", "sabine.kraemer@web.de"), (_ANNA,), "2026-11-19T14:02:55+01:00"),
    Mail(MAILBOXES[0], "INBOX", 19, "<kontakt.8841263.W-1045@immobilienscout24.de>",
         "Kontaktanfrage für Objekt W-1045 – Penthouse München-Schwabing",
         ("Özlem Yıldız", "oezlem.yildiz@gmx.de"), (_ANNA,), "2026-11-20T08:15:00+01:00",
         body="Sie haben eine neue Kontaktanfrage über ImmoScout24 erhalten.\n\n"
              "Objekt: Penthouse über den Dächern von Schwabing\nAnbieter-Objekt-ID: W-1045\n\n"
              "Nachricht: Ich würde das Penthouse gerne am Samstag besichtigen.\n\n"
              "Mit freundlichen Grüßen\nÖzlem Yıldız\n"),
    Mail(MAILBOXES[0], "INBOX", 20, "<newsletter-2026-47@immo-news.example>",
         "Marktbericht November: Zinsen und Kaufpreise",
         ("Immo-News Redaktion", "redaktion@immo-news.example"), (_ANNA,),
         "2026-11-21T06:00:00+01:00"),
    Mail(MAILBOXES[0], "Sent", 5, "<1732101234.55f1@makler-demo.de>",
         "Exposé Reihenhaus Stuttgart-Degerloch",
         _ANNA, (("Thomas Schäfer", "familie.schaefer@t-online.de"),), "2026-11-20T16:40:00+01:00"),
    Mail(MAILBOXES[0], UMLAUT_FOLDER, 3, "<grundbuch-7781@mueller-partner.de>",
         "Unterlagen: Grundbuchauszug und Teilungserklärung",
         ("Dr. Jürgen Müller", "j.mueller@mueller-partner.de"), (_ANNA,),
         "2026-11-21T11:22:33+01:00"),
    Mail(MAILBOXES[1], "INBOX", 42, "<b7e1f0a2@gross-hausverwaltung.de>",
         "Hausgeldabrechnung Schloßallee 7",
         ("Hans-Peter Groß", "hp.gross@gross-hausverwaltung.de"), (_JONAS,),
         "2026-11-22T10:05:00+01:00"),
    # A sender onOffice does not know yet: the pane offers to create the contact.
    Mail(MAILBOXES[0], "INBOX", 21, "<3f9c2a71.5d0e@neumann-consult.de>",
         "Anfrage zur Altbauwohnung in Ehrenfeld",
         ("Dr. Friedrich Neumann", "f.neumann@neumann-consult.de"), (_ANNA,),
         "2026-11-23T09:12:00+01:00",
         body="Sehr geehrte Frau Schmidt,\n\nich interessiere mich für die Altbauwohnung in der "
              "Venloer Str. 312 und bitte um das Exposé.\n\nMit freundlichen Grüßen\n"
              "Dr. Friedrich Neumann\nNeumann Consult\nHohenzollernring 9, 50672 Köln\n"),
    Mail(SHARED_MAILBOX, "INBOX", 7, "<mietanfrage-3321@web.de>",
         "Mietanfrage W-1024 für uns beide (Krämer / Yıldız)",
         ("Sabine Krämer", "sabine.kraemer@web.de"), (_SHARED,), "2026-11-23T18:12:00+01:00",
         (("Özlem Yıldız", "oezlem.yildiz@gmx.de"),)),
)

USERS = {
    MAILBOXES[0]: {"id": 17, "username": "aschmidt", "firstname": "Anna", "lastname": "Schmidt"},
    MAILBOXES[1]: {"id": 18, "username": "jweber", "firstname": "Jonas", "lastname": "Weber"},
}


def user_name(mailbox: str) -> str:
    """"Anna Schmidt" for a demo mailbox (a KeyError for any other)."""
    user = USERS[mailbox]
    return f"{user['firstname']} {user['lastname']}"
