// The small form that creates an onOffice address from a mail's sender or recipient and links it.
import { h } from "./dom.js";
import "./i18n-contact.js";
import { parseDisplayName } from "./names.js";

const MAX = 100; // the backend's limit for names and company

// Its styles (contact-form.css) came with create-contact.js.

function field(id, label, value = "", extra = {}) {
  return h(
    "label",
    { className: "field", for: id },
    h("span", {}, label),
    h("input", { id, name: id.split("-").pop(), value, maxlength: MAX, autocomplete: "off", ...extra }),
  );
}

export function contactForm({ t, person, api, describe, onCreated, onCancel }) {
  const guess = parseDisplayName(person.name, person.email);
  const key = person.email.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const id = (name) => `cc-${key}-${name}`;
  const alert = h("p", { className: "form-alert", role: "alert" });
  const submit = h("button", { type: "submit", className: "btn primary" }, t("createLink"));
  const salutation = h(
    "select",
    { id: id("salutation"), name: "salutation" },
    h("option", { value: "" }, "—"),
    h("option", { value: "Herr" }, t("mr")),
    h("option", { value: "Frau" }, t("ms")),
  );
  const form = h(
    "form",
    {
      className: "contact-form",
      "aria-label": t("createLinkAria", { who: person.name || person.email }),
      onsubmit: (ev) => {
        ev.preventDefault();
        send();
      },
    },
    h("label", { className: "field", for: id("salutation") }, h("span", {}, t("f_salutation")), salutation),
    field(id("title"), t("f_title"), guess.title),
    field(id("firstName"), t("f_first"), guess.firstName),
    field(id("lastName"), t("f_last"), guess.lastName),
    field(id("company"), t("f_company"), guess.company),
    field(id("email"), t("f_email"), person.email, { readonly: true }),
    alert,
    h(
      "div",
      { className: "actions" },
      submit,
      h("button", { type: "button", className: "btn subtle", onclick: onCancel }, t("cancel")),
    ),
  );

  async function send() {
    const fields = { email: person.email };
    for (const name of ["salutation", "title", "firstName", "lastName", "company"]) {
      const value = form.elements[name].value.trim();
      if (value) fields[name] = value;
    }
    submit.disabled = true;
    alert.textContent = "";
    let rec;
    try {
      rec = await api.createAddress(fields);
    } catch (err) {
      alert.textContent = await failure(err);
      // A contact with this e-mail exists: refused plainly, nothing was created; no point retrying.
      if (err?.code !== "address_exists") submit.disabled = false;
      return;
    }
    await onCreated({ ...rec, reason: { kind: person.role, text: person.email.toLowerCase() } }, submit);
  }

  async function failure(err) {
    if (err?.code === "address_exists") return t("exists", { email: person.email });
    const code = err?.details?.onofficeCode;
    if (err?.status === 502 && [261, 149, 156, 170, 174, 253].includes(code)) return t("noWriteRight", { code });
    return (await describe(err)).text; // describeError loads its texts on the first error
  }

  return form;
}
