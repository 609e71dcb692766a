// Texts of the pane in German and English, and the rule that picks one. Each language's table
// (texts-de.js, texts-en.js) loads on its own: a pane shows only one.

export const LANGUAGES = ["de", "en"];
const TEXTS = { de: {}, en: {} };

/** Loads the table of one language (before its translator is used). */
export function loadLanguage(lang) {
  return lang === "de" ? import("./texts-de.js") : import("./texts-en.js");
}

/** Texts for the tables above: a language's own file, or a part of the pane that loads later. */
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

