// The pane's language: ?lang= in the address, then the choice made with the switch, then the host's.
import { h } from "./dom.js";
import { LANGUAGES, pickLanguage } from "./i18n.js";

const KEY = "onoffice.lang";
const NAMES = { de: "Deutsch", en: "English" };
const store = () => {
  try {
    return globalThis.localStorage;
  } catch {
    return null; // storage blocked
  }
};

export function chooseLanguage(hostLanguage, href = globalThis.location?.href) {
  return pickLanguage((href && new URL(href).searchParams.get("lang")) || store()?.getItem(KEY) || hostLanguage);
}

/** "DE" / "EN": a click keeps the choice and reloads the page in that language. */
export function languageSwitch(current, win = globalThis) {
  const choose = (lang) => {
    store()?.setItem(KEY, lang);
    const url = new URL(win.location.href);
    if (url.searchParams.has("lang")) url.searchParams.set("lang", lang);
    win.location.replace(url);
  };
  const button = (lang) =>
    h("button", { type: "button", className: "btn", lang, title: NAMES[lang], "aria-label": NAMES[lang],
      "aria-pressed": String(lang === current), onclick: () => lang !== current && choose(lang) }, lang.toUpperCase());
  return h("div", { className: "lang", role: "group", "aria-label": "Sprache / Language" }, LANGUAGES.map(button));
}
