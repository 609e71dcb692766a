import assert from "node:assert/strict";
import { test } from "node:test";

import { describeError } from "../../server/static/js/core/errors.js";
import { formatDateTime, loadLanguage, pickLanguage, translator } from "../../server/static/js/core/i18n.js";
import { normalizeMessageId } from "../../server/static/js/core/messageid.js";
import { parseMailbox } from "../../server/static/js/hosts/thunderbird.js";
import { isEmail, participants } from "../../server/static/js/core/pane.js";
import { createSessionStore } from "../../server/static/js/core/session.js";
import { memoryStorage } from "./fakes.js";

test("German for every German locale, English for everything else", () => {
  for (const tag of ["de", "de-DE", "de-AT", "de_CH", "DE-de"]) assert.equal(pickLanguage(tag), "de", tag);
  for (const tag of ["en-US", "fr-FR", "", null, undefined, "dexx", "nl-DE"]) assert.equal(pickLanguage(tag), "en", String(tag));
});

test("each language's table loads on its own; both have the same keys", async () => {
  const dir = "../../server/static/js/core";
  assert.equal(translator("en")("linked"), "linked", "English is not loaded before it is asked for");
  await loadLanguage("en");
  assert.equal(translator("en")("linked"), "Linked");
  const [{ TEXTS: de }, { TEXTS: en }] = await Promise.all([import(`${dir}/texts-de.js`), import(`${dir}/texts-en.js`)]);
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
});

test("translator fills parameters and falls back to English, then to the key", async () => {
  await loadLanguage("de");
  const de = translator("de");
  assert.equal(de.lang, "de");
  assert.equal(de("linkAria", { title: "Anna" }), "Anna mit dieser E-Mail verknüpfen");
  assert.equal(translator("fr").lang, "en");
  assert.equal(de("no_such_key"), "no_such_key");
  assert.match(formatDateTime("2026-11-24T14:03:00Z", "de"), /2026/);
  assert.equal(formatDateTime("not a date", "de"), "");
});

test("Message-IDs get their angle brackets back, synthesized ids are refused", () => {
  assert.equal(normalizeMessageId("abc@example.com"), "<abc@example.com>");
  assert.equal(normalizeMessageId("<abc@example.com>"), "<abc@example.com>");
  assert.equal(normalizeMessageId("  <abc@example.com> "), "<abc@example.com>");
  assert.equal(normalizeMessageId("md5:q83vEjRWeJA="), null);
  assert.equal(normalizeMessageId(""), null);
  assert.equal(normalizeMessageId(undefined), null);
  assert.equal(normalizeMessageId("<>"), null);
  assert.equal(normalizeMessageId("a b@x"), null);
});

test("mailbox strings split into name and address", () => {
  assert.deepEqual(parseMailbox("Anna Schmidt <anna@x.de>"), { name: "Anna Schmidt", email: "anna@x.de" });
  assert.deepEqual(parseMailbox('"Schmidt, Anna" <anna@x.de>'), { name: "Schmidt, Anna", email: "anna@x.de" });
  assert.deepEqual(parseMailbox("anna@x.de"), { name: "", email: "anna@x.de" });
});

test("participants leave out the sender and the own mailbox, once each", () => {
  const msg = {
    from: { email: "Kunde@x.de" },
    to: [{ email: "anna@makler.de" }, { email: "b@x.de" }],
    cc: [{ email: "B@x.de" }, { email: "kunde@x.de" }, { email: "c@x.de" }],
  };
  assert.deepEqual(participants(msg, "Anna@Makler.de"), ["b@x.de", "c@x.de"]);
});

test("participants: only real addresses, at most 20 (the backend refuses more)", () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ email: `p${i}@x.de` }));
  const msg = { from: { email: "k@x.de" }, to: [{ email: "undisclosed-recipients:;" }, { email: "" }, ...many] };
  const out = participants(msg, "");
  assert.equal(out.length, 20);
  assert.equal(out[0], "p0@x.de");
  assert.equal(isEmail("a@b.de"), true);
  assert.equal(isEmail("a@b"), false);
  assert.equal(isEmail("a b@c.de"), false);
});

test("every error has the pane's own words; only passing causes offer a retry", async () => {
  const en = translator("en");
  const de = translator("de");
  const d = (code, t = en, extra = {}) => describeError({ code, message: "SERVER SENTENCE", ...extra }, t);
  assert.equal((await d("message_not_found")).title, "Email not in onOffice");
  assert.equal((await d("identity_not_mapped")).action, null);
  assert.equal((await d("unauthorized")).action, "signin");
  assert.equal((await d("sign_in_expired", de)).action, "signin");
  for (const code of ["network", "server_unavailable", "onoffice_unreachable", "onoffice_timeout"]) {
    assert.equal((await d(code)).action, "retry", code);
  }
  // onOffice's refusals (137: HMAC, 149: a right) do not pass by themselves: no "Try again".
  const hmac = await d("onoffice_refused", de, { details: { onofficeCode: 137, reason: "credentials" } });
  assert.equal(hmac.action, null);
  assert.equal(hmac.title, "Zugang zu onOffice gestört");
  const right = await d("onoffice_refused", de, { details: { onofficeCode: 149, reason: "permission" } });
  assert.equal(right.title, "Keine Berechtigung in onOffice");
  assert.equal((await d("onoffice_refused", en)).title, "Refused by onOffice");
  // The server's English sentence never reaches the German pane; the code does, for the IT.
  const weird = await d("weird_new_code", de);
  assert.equal(weird.action, null);
  assert.match(weird.text, /unbekannten Fehler .*\(weird_new_code\)/);
  assert.equal((await d("weird_new_code", en)).text, "SERVER SENTENCE");
  // A server that is down is not the user's internet connection.
  assert.doesNotMatch((await d("network", de)).text, /Internetverbindung/);
  assert.match((await d("offline", de)).text, /offline/);
});

test("session store forgets expired tokens", () => {
  const storage = memoryStorage();
  let now = Date.parse("2026-01-01T00:00:00Z");
  const s = createSessionStore(storage, "k", () => now);
  assert.equal(s.token(), null);
  s.save({ token: "t1", mailbox: "a@x", expiresAt: "2026-01-01T01:00:00Z" });
  assert.equal(s.token(), "t1");
  now += 2 * 3600 * 1000;
  assert.equal(s.token(), null);
  assert.equal(storage.size, 0);
  assert.throws(() => s.save({}));
  storage.setItem("k", "{broken");
  assert.equal(s.token(), null);
});
