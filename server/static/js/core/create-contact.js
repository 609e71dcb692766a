// "Create contact and link" for everyone on the mail whom onOffice does not know yet.
// The pane loads this only when someone lacks an address; the form itself (and the name parser)
// load on the first click, keeping the pane's first load small.
import { h } from "./dom.js";

// Its styles and the form's come with it; `styled` settles once they apply (or failed to load).
const css = new URL("../../css/contact-form.css", import.meta.url).href;
export const styled = new Promise((done) => {
  if (document.querySelector(`link[href="${css}"]`)) return done();
  document.head.append(h("link", { rel: "stylesheet", href: css, onload: done, onerror: done }));
});

/** people: from peopleWithoutAddress; onCreated(rec, btn) links the new address. */
export function createContactSection({ t, people, api, describe, onCreated }) {
  if (!people.length) return null;
  const rows = people.map((person) => {
    const who = person.name ? `${person.name} <${person.email}>` : person.email;
    const row = h(
      "li",
      { className: "person", dataset: { email: person.email.toLowerCase() } },
      h("span", { className: "text" }, who),
      h(
        "button",
        {
          type: "button",
          className: "btn",
          "aria-label": t("createLinkAria", { who: person.name || person.email }),
          onclick: async (ev) => {
            const btn = ev.currentTarget;
            const shown = [...row.childNodes];
            btn.disabled = true;
            const { contactForm } = await import("./contact-form.js");
            const onCancel = () => {
              row.replaceChildren(...shown);
              btn.disabled = false;
              btn.focus();
            };
            row.replaceChildren(contactForm({ t, person, api, describe, onCreated, onCancel }));
            row.querySelector("input:not([readonly])")?.focus();
          },
        },
        t("createLink"),
      ),
    );
    return row;
  });
  return h(
    "section",
    { className: "create-contact", "aria-labelledby": "create-h" },
    h("h2", { id: "create-h" }, t("newContact")),
    h("ul", { className: "people" }, rows),
  );
}
