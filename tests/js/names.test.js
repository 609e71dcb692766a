import test from "node:test";
import assert from "node:assert/strict";
import { parseDisplayName } from "../../server/static/js/core/names.js";

const cases = [
  ["Dr. Jürgen Müller", { title: "Dr.", firstName: "Jürgen", lastName: "Müller", company: "" }],
  ["Müller, Jürgen", { title: "", firstName: "Jürgen", lastName: "Müller", company: "" }],
  ["MÜLLER Jürgen", { title: "", firstName: "Jürgen", lastName: "Müller", company: "" }],
  ["Jürgen MÜLLER", { title: "", firstName: "Jürgen", lastName: "Müller", company: "" }],
  ["Prof. Dr. Anna-Lena Schulze-Wendt", { title: "Prof. Dr.", firstName: "Anna-Lena", lastName: "Schulze-Wendt", company: "" }],
  ["Müller, Dr. Jürgen", { title: "Dr.", firstName: "Jürgen", lastName: "Müller", company: "" }],
  ["Herr Thomas Schäfer", { title: "", firstName: "Thomas", lastName: "Schäfer", company: "" }],
  ["Ursula von der Leyen", { title: "", firstName: "Ursula", lastName: "von der Leyen", company: "" }],
  ["Hans-Peter Groß", { title: "", firstName: "Hans-Peter", lastName: "Groß", company: "" }],
  ["'Özlem Yıldız'", { title: "", firstName: "Özlem", lastName: "Yıldız", company: "" }],
  ["\"Yıldız, Özlem\"", { title: "", firstName: "Özlem", lastName: "Yıldız", company: "" }],
  ["Groß Hausverwaltung GmbH", { title: "", firstName: "", lastName: "", company: "Groß Hausverwaltung GmbH" }],
  ["Zoë", { title: "", firstName: "", lastName: "Zoë", company: "" }],
  ["j.mueller@mueller-partner.de", { title: "", firstName: "", lastName: "", company: "" }],
  ["", { title: "", firstName: "", lastName: "", company: "" }],
  ["   ", { title: "", firstName: "", lastName: "", company: "" }],
];

for (const [input, expected] of cases) {
  test(`parseDisplayName(${JSON.stringify(input)})`, () => {
    assert.deepEqual(parseDisplayName(input, "j.mueller@mueller-partner.de"), expected);
  });
}

test("a display name that is the bare address leaves the names empty", () => {
  assert.deepEqual(parseDisplayName("Lena@Example.de", "lena@example.de"), {
    title: "",
    firstName: "",
    lastName: "",
    company: "",
  });
});

test("the create-contact texts exist in both languages and reach the translator", async () => {
  const { CONTACT_TEXTS } = await import("../../server/static/js/core/i18n-contact.js");
  const { translator } = await import("../../server/static/js/core/i18n.js");
  assert.deepEqual(Object.keys(CONTACT_TEXTS.de).sort(), Object.keys(CONTACT_TEXTS.en).sort());
  const de = translator("de");
  assert.equal(de("f_last"), "Nachname");
  assert.equal(translator("en")("exists", { email: "a@b.de" }).startsWith("onOffice already has a contact with a@b.de."), true);
  assert.match(de("noWriteRight", { code: 261 }), /Adressen zu schreiben \(onOffice-Fehler 261\)/);
});
