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
    allSuggestionsLinked: "Alle Vorschläge sind schon verknüpft.",
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
    allSuggestionsLinked: "All suggestions are linked already.",
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
