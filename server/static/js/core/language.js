// Which language the pane speaks, and the visible switch between them.
// Order: ?lang= in the page address (links, tests), then the user's choice from the switch,
// then the host's display language (Outlook, Thunderbird, the browser).
import { h } from "./dom.js";
import { LANGUAGES, pickLanguage } from "./i18n.js";

const KEY = "onoffice.lang";
const NAMES = { de: "Deutsch", en: "English" };

function storage() {
  try {
    return globalThis.localStorage || null;
  } catch {
    return null; // storage blocked (private mode, sandboxed frames)
  }
}

export function chooseLanguage(hostLanguage, { href = globalThis.location?.href, store = storage() } = {}) {
  const asked = href ? new URL(href).searchParams.get("lang") : null;
  return pickLanguage(asked || store?.getItem(KEY) || hostLanguage);
}

/** Buttons "DE" / "EN"; a click keeps the choice and reloads the page in that language. */
export function languageSwitch(current, { store = storage(), win = globalThis } = {}) {
  const choose = (lang) => {
    store?.setItem(KEY, lang);
    const url = new URL(win.location.href);
    if (url.searchParams.has("lang")) url.searchParams.set("lang", lang);
    win.location.replace(url.toString());
  };
  return h(
    "div",
    { className: "lang", role: "group", "aria-label": "Sprache / Language" },
    LANGUAGES.map((lang) =>
      h(
        "button",
        {
          type: "button",
          className: "btn subtle",
          lang,
          title: NAMES[lang],
          "aria-label": NAMES[lang],
          "aria-pressed": String(lang === current),
          onclick: () => lang !== current && choose(lang),
        },
        lang.toUpperCase(),
      ),
    ),
  );
}
