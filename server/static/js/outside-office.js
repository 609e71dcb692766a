// What a plain browser shows on a real (non-demo) deployment: the pane needs Outlook or
// Thunderbird around it, so say that, in the page's language, and give an admin the manifests.
// No demo picker and no retry: nothing here can succeed in a plain browser. Loaded only then.
import { h, replace } from "./core/dom.js";
import { chooseLanguage, languageSwitch } from "./core/language.js";

const TEXT = {
  de: {
    title: "Dieses Add-in läuft in Outlook oder Thunderbird",
    text: "Diese Seite ist der Aufgabenbereich von „onOffice mail link“. Öffnen Sie eine E-Mail in Outlook oder Thunderbird und klicken Sie dort auf „onOffice“.",
    admin: "Für die Administration",
    xml: "Outlook-Manifest (XML, jedes Outlook)",
    json: "Outlook-Manifest (JSON, einheitlich)",
    zip: "App-Paket für das Microsoft 365 Admin Center",
    xpi: "Thunderbird-Add-on",
  },
  en: {
    title: "This add-in runs inside Outlook or Thunderbird",
    text: "This page is the task pane of “onOffice mail link”. Open an email in Outlook or Thunderbird and click “onOffice” there.",
    admin: "For administrators",
    xml: "Outlook manifest (XML, every Outlook)",
    json: "Outlook manifest (JSON, unified)",
    zip: "App package for the Microsoft 365 admin center",
    xpi: "Thunderbird add-on",
  },
};

const LINKS = [
  ["xml", "/addin/outlook/manifest.xml"],
  ["json", "/addin/outlook/manifest.json"],
  ["zip", "/addin/outlook/app-package.zip"],
  ["xpi", "/addin/thunderbird.xpi"],
];

export function mountOutside(root, language) {
  const lang = chooseLanguage(language);
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  root.dataset.state = "outside";
  root.setAttribute("aria-busy", "false");
  replace(
    root,
    h("header", { className: "top" }, h("h1", {}, "onOffice"), languageSwitch(lang)),
    h("div", { className: "card notice" }, h("h2", {}, t.title), h("p", {}, t.text)),
    h(
      "section",
      { "aria-labelledby": "admin-h" },
      h("h2", { id: "admin-h" }, t.admin),
      h("ul", { className: "links" }, LINKS.map(([key, href]) => h("li", {}, h("a", { href }, t[key])))),
    ),
  );
}
