// "Create contact and link" for everyone on the mail whom onOffice does not know yet.
// The form itself (and the name parser) load on the first click, keeping the pane's first load small.
import { h } from "./dom.js";

const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;

/** Sender and recipients (not the user's own mailbox) that no suggested address carries. */
export function peopleWithoutAddress(msg, suggestions, self) {
  const known = new Set([String(self || "").toLowerCase()]);
  for (const a of suggestions?.addresses || []) {
    if (a.reason?.text) known.add(String(a.reason.text).toLowerCase());
    if (a.email) known.add(String(a.email).toLowerCase());
  }
  const people = [];
  const add = (p, role) => {
    const email = String(p?.email || "").trim();
    const key = email.toLowerCase();
    if (!EMAIL.test(email) || known.has(key)) return;
    known.add(key);
    people.push({ name: String(p?.name || "").trim(), email, role });
  };
  add(msg?.from, "sender");
  for (const p of [...(msg?.to || []), ...(msg?.cc || [])]) add(p, "participant");
  return people;
}

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
