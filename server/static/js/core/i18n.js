// Texts of the pane in German and English, and the rule that picks one.

const TEXTS = {
  de: {
    title: "onOffice",
    loading: "Wird geladen …",
    ready: "Bereit.",
    linked: "Verknüpft",
    noLinks: "Diese E-Mail ist noch mit keiner Adresse und keiner Immobilie verknüpft.",
    suggestions: "Vorschläge",
    noSuggestions: "Keine passenden Adressen oder Immobilien gefunden.",
    search: "Suchen",
    searchLabel: "Adressen und Immobilien suchen",
    searchHint: "Mindestens 2 Zeichen eingeben.",
    searching: "Suche läuft …",
    noResults: "Keine Treffer für „{q}“.",
    results: "{n} Treffer.",
    address: "Adresse",
    estate: "Immobilie",
    link: "Verknüpfen",
    linkAria: "{title} mit dieser E-Mail verknüpfen",
    unlink: "Lösen",
    unlinkAria: "Verknüpfung mit {title} lösen",
    open: "In onOffice öffnen",
    openAria: "{title} in onOffice öffnen",
    linkedBy: "verknüpft von {by} am {at}",
    linkedAt: "verknüpft am {at}",
    didLink: "{title} ist jetzt mit dieser E-Mail verknüpft.",
    didUnlink: "Die Verknüpfung mit {title} ist gelöst.",
    contactCount: "{n} Kontakte",
    inMailbox: "Im Postfach {mailbox}",
    demoPick: "Demo-E-Mail",
    from: "Von",
    openMail: "Geöffnete E-Mail",
    signedOutTitle: "Nicht angemeldet",
    signedOutText: "Melden Sie sich an, um E-Mails mit onOffice zu verknüpfen.",
    signIn: "Anmelden",
    signingIn: "Anmeldung läuft …",
    signInFailed: "Die Anmeldung hat nicht geklappt. Bitte versuchen Sie es noch einmal.",
    signOut: "Abmelden",
    retry: "Erneut versuchen",
    noMessageTitle: "Keine E-Mail ausgewählt",
    noMessageText: "Wählen Sie eine einzelne E-Mail aus, um sie mit onOffice zu verknüpfen.",
    noMessageIdText:
      "Diese E-Mail hat keine Message-ID, die onOffice finden kann (zum Beispiel ein Entwurf oder eine Datei).",
    err_message_not_found_title: "E-Mail nicht in onOffice",
    err_message_not_found:
      "Diese E-Mail liegt nicht in einem Postfach, das onOffice abruft. Verschieben Sie sie in den Posteingang des mit onOffice verbundenen Postfachs oder warten Sie ein paar Minuten, bis onOffice sie abgerufen hat.",
    err_identity_not_mapped_title: "Postfach nicht zugeordnet",
    err_identity_not_mapped:
      "Für Ihr Postfach ist in onOffice keine E-Mail-Identität eingerichtet. Bitten Sie Ihre onOffice-Administration, dieses Postfach Ihrem Benutzer zuzuordnen.",
    err_mailbox_not_allowed_title: "Kein Zugriff auf dieses Postfach",
    err_mailbox_not_allowed:
      "Sie dürfen E-Mails im Postfach {mailbox} nicht verknüpfen. Ihre Administration kann es mit dieser Zeile in SHARED_MAILBOXES erlauben: {line}",
    err_unreachable_title: "onOffice nicht erreichbar",
    err_unreachable:
      "onOffice antwortet gerade nicht. Ihre Daten sind nicht betroffen. Versuchen Sie es in einer Minute noch einmal.",
    err_mail_unreachable_title: "Mailserver nicht erreichbar",
    err_mail_unreachable:
      "Der Mailserver antwortet gerade nicht. Versuchen Sie es in einer Minute noch einmal.",
    err_network_title: "Keine Verbindung",
    err_network:
      "Der Server des Add-ins ist nicht erreichbar. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
    err_generic_title: "Das hat nicht geklappt",
    err_generic_fallback: "Unbekannter Fehler.",
    reason_sender: "Absender",
    reason_participant: "An/Cc",
    reason_subject: "„{text}“ im Betreff",
    reason_body: "„{text}“ in der E-Mail",
    newContact: "Noch nicht in onOffice",
    createLink: "Kontakt anlegen und verknüpfen",
    createLinkAria: "{who} als Kontakt anlegen und verknüpfen",
    recent: "Zuletzt verknüpft",
    noRecent: "Sie haben noch nichts verknüpft.",
  },
  en: {
    title: "onOffice",
    loading: "Loading …",
    ready: "Ready.",
    linked: "Linked",
    noLinks: "This email is not linked to any address or property yet.",
    suggestions: "Suggestions",
    noSuggestions: "No matching addresses or properties found.",
    search: "Search",
    searchLabel: "Search addresses and properties",
    searchHint: "Type at least 2 characters.",
    searching: "Searching …",
    noResults: "Nothing found for “{q}”.",
    results: "{n} results.",
    address: "Address",
    estate: "Property",
    link: "Link",
    linkAria: "Link {title} to this email",
    unlink: "Unlink",
    unlinkAria: "Remove the link to {title}",
    open: "Open in onOffice",
    openAria: "Open {title} in onOffice",
    linkedBy: "linked by {by} on {at}",
    linkedAt: "linked on {at}",
    didLink: "{title} is now linked to this email.",
    didUnlink: "The link to {title} is removed.",
    contactCount: "{n} contacts",
    inMailbox: "In the mailbox {mailbox}",
    demoPick: "Demo email",
    from: "From",
    openMail: "Open email",
    signedOutTitle: "Not signed in",
    signedOutText: "Sign in to link emails to onOffice.",
    signIn: "Sign in",
    signingIn: "Signing in …",
    signInFailed: "Signing in did not work. Please try again.",
    signOut: "Sign out",
    retry: "Try again",
    noMessageTitle: "No email selected",
    noMessageText: "Select a single email to link it to onOffice.",
    noMessageIdText:
      "This email has no Message-ID that onOffice can find (for example a draft or a file).",
    err_message_not_found_title: "Email not in onOffice",
    err_message_not_found:
      "This email is not in a mailbox that onOffice reads. Move it to the inbox of the mailbox connected to onOffice, or wait a few minutes until onOffice has fetched it.",
    err_identity_not_mapped_title: "Mailbox not set up",
    err_identity_not_mapped:
      "Your mailbox has no email identity in onOffice. Ask your onOffice administrator to assign this mailbox to your user.",
    err_mailbox_not_allowed_title: "No access to this mailbox",
    err_mailbox_not_allowed:
      "You may not link mails in the mailbox {mailbox}. An administrator can allow it with this line in SHARED_MAILBOXES: {line}",
    err_unreachable_title: "onOffice is not reachable",
    err_unreachable:
      "onOffice is not answering right now. Your data is safe. Please try again in a minute.",
    err_mail_unreachable_title: "Mail server not reachable",
    err_mail_unreachable: "The mail server is not answering right now. Please try again in a minute.",
    err_network_title: "No connection",
    err_network:
      "The add-in's server cannot be reached. Check your internet connection and try again.",
    err_generic_title: "That did not work",
    err_generic_fallback: "Unknown error.",
    reason_sender: "Sender",
    reason_participant: "To/Cc",
    reason_subject: "“{text}” in the subject",
    reason_body: "“{text}” in the email",
    newContact: "Not in onOffice yet",
    createLink: "Create contact and link",
    createLinkAria: "Create {who} as a contact and link",
    recent: "Recently linked",
    noRecent: "You have not linked anything yet.",
  },
};

/** Texts of a part of the pane that loads later (the create-contact form), both languages. */
export function addTexts(tables) {
  for (const [lang, table] of Object.entries(tables)) Object.assign(TEXTS[lang], table);
}

/** "de-DE", "de", "de_AT" -> "de"; everything else -> "en". */
export function pickLanguage(displayLanguage) {
  const tag = String(displayLanguage || "").trim().toLowerCase();
  return /^de([-_]|$)/.test(tag) ? "de" : "en";
}

/** A translator for one language: t("key", {param: value}). Unknown keys show the key. */
export function translator(lang) {
  const table = TEXTS[lang] || TEXTS.en;
  const t = (key, params = {}) =>
    (table[key] ?? TEXTS.en[key] ?? key).replace(/\{(\w+)\}/g, (m, name) =>
      name in params ? String(params[name]) : m,
    );
  t.lang = TEXTS[lang] ? lang : "en";
  return t;
}

/** Date and time the way a person in that language reads it. */
export function formatDateTime(iso, lang) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString(lang === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

export const LANGUAGES = Object.keys(TEXTS);
