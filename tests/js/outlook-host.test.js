import assert from "node:assert/strict";
import { test } from "node:test";

import { detectOfficeHost } from "../../server/static/js/hosts/office-ready.js";
import { createOutlookHost, readOutlookItem, sharedOwner } from "../../server/static/js/hosts/outlook.js";
import { fakeOffice, memoryStorage, withSharedProperties } from "./fakes.js";

const item = (id, subject = "Exposé Musterstraße") => ({
  internetMessageId: id,
  subject,
  from: { displayName: "Klaus Kunde", emailAddress: "klaus@kunde.de" },
  to: [{ displayName: "Anna", emailAddress: "anna.schmidt@makler-demo.de" }],
  cc: [{ displayName: "", emailAddress: "notar@x.de" }],
});

test("an Office.js read item becomes the pane's message", () => {
  const msg = readOutlookItem(item("<m1@kunde.de>"), "anna.schmidt@makler-demo.de");
  assert.deepEqual(msg, {
    messageId: "<m1@kunde.de>",
    subject: "Exposé Musterstraße",
    from: { name: "Klaus Kunde", email: "klaus@kunde.de" },
    to: [{ name: "Anna", email: "anna.schmidt@makler-demo.de" }],
    cc: [{ name: "", email: "notar@x.de" }],
    mailbox: "anna.schmidt@makler-demo.de",
  });
  assert.equal(readOutlookItem(null), null);
  assert.equal(readOutlookItem({ ...item(undefined), to: { getAsync() {} } }).messageId, null);
});

test("pinned pane: ItemChanged hands the newly selected mail to the pane", async () => {
  const { Office, select } = fakeOffice({ item: item("<m1@x>") });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://crm.example.com" });
  let changes = 0;
  host.onMessageChanged(() => (changes += 1));
  assert.equal((await host.getMessage()).messageId, "<m1@x>");
  select(item("<m2@x>", "Zweite Mail"));
  assert.equal(changes, 1);
  assert.equal((await host.getMessage()).subject, "Zweite Mail");
  select(null);
  assert.equal(await host.getMessage(), null);
  assert.equal(host.displayLanguage, "de-DE");
});

test("dialog sign-in opens /auth/login?client=outlook and keeps the token", async () => {
  const session = { token: "sess-1", mailbox: "anna@x", expiresAt: "2999-01-01T00:00:00Z" };
  const { Office, calls } = fakeOffice({ item: item("<m@x>"), dialogMessage: JSON.stringify(session) });
  const storage = memoryStorage();
  const host = createOutlookHost({ Office, storage, publicUrl: "https://crm.example.com/" });
  assert.equal(await host.getToken(), null);
  await host.signIn();
  assert.equal(calls.dialogs[0].url, "https://crm.example.com/auth/login?client=outlook");
  assert.equal(calls.dialogs[0].dialog.closed, true);
  assert.equal(await host.getToken(), "sess-1");
  assert.equal(JSON.parse(storage.getItem("onoffice.session")).token, "sess-1");
  await host.signOut();
  assert.equal(await host.getToken(), null);
});

test("closing the dialog rejects the sign-in and stores nothing", async () => {
  const { Office } = fakeOffice({ item: item("<m@x>") });
  const storage = memoryStorage();
  const host = createOutlookHost({ Office, storage, publicUrl: "https://crm.example.com" });
  await assert.rejects(host.signIn(), /12006/);
  assert.equal(storage.size, 0);
});

test("a refusal from the sign-in page keeps its error code", async () => {
  const refusal = JSON.stringify({ error: { code: "identity_not_mapped", message: "No identity." } });
  const { Office } = fakeOffice({ item: item("<m@x>"), dialogMessage: refusal });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://h" });
  await assert.rejects(host.signIn(), { code: "identity_not_mapped", message: "No identity." });
});

test("Office SSO token is used when the host offers it, without a dialog", async () => {
  const { Office, calls } = fakeOffice({ item: item("<m@x>"), sso: "entra-token" });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://h" });
  assert.equal(await host.getToken(), "entra-token");
  await host.signIn();
  assert.equal(calls.dialogs.length, 0);
});

test("failing SSO falls back to the dialog", async () => {
  const session = { token: "sess-2", mailbox: "a", expiresAt: null };
  const { Office, calls } = fakeOffice({ item: item("<m@x>"), sso: new Error("13003"), dialogMessage: JSON.stringify(session) });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://h" });
  assert.equal(await host.getToken(), null);
  await host.signIn();
  assert.equal(calls.dialogs.length, 1);
  assert.equal(await host.getToken(), "sess-2");
});

const tick = () => new Promise((r) => setImmediate(r));

test("open in onOffice: Office's browser window where the host has one", async () => {
  const { Office, calls } = fakeOffice({ item: item("<m@x>") });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://h" });
  host.openUrl(Promise.resolve("https://smart.onoffice.de/x"));
  host.openUrl(Promise.reject(new Error("nope")));
  await tick();
  assert.deepEqual(calls.opened, ["https://smart.onoffice.de/x"]);
});

test("open in onOffice elsewhere: a window opened inside the click, filled in later", async () => {
  const { Office, calls } = fakeOffice({ item: item("<m@x>"), browserWindow: false });
  const opened = [];
  const win = { open: (url) => (opened.push({ url, location: {}, closed: false, close() { this.closed = true; } }), opened.at(-1)) };
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://h", win });
  let resolve;
  host.openUrl(new Promise((r) => (resolve = r)));
  assert.equal(opened.length, 1, "opened synchronously, before the URL is known");
  resolve("https://smart.onoffice.de/y");
  host.openUrl(Promise.reject(new Error("no link")));
  await import("../../server/static/js/core/open-window.js"); // the host loads it on the first click
  await tick();
  assert.equal(opened[0].location.href, "https://smart.onoffice.de/y");
  assert.equal(opened[0].opener, null);
  assert.equal(opened[1].closed, true);
  assert.deepEqual(calls.opened, []);
});

test("Office.onReady: Outlook, plain browser (host null), missing or hanging office.js", async () => {
  assert.equal(await detectOfficeHost({ onReady: async () => ({ host: "Outlook", platform: "OfficeOnline" }) }), "Outlook");
  assert.equal(await detectOfficeHost({ onReady: async () => ({ host: null, platform: null }) }), null);
  assert.equal(await detectOfficeHost(undefined), null);
  assert.equal(await detectOfficeHost({ onReady: () => new Promise(() => {}) }, 20), null);
  assert.equal(await detectOfficeHost({ onReady: async () => { throw new Error("x"); } }), null);
});

test("a mail in a shared or delegated mailbox carries its owner as sharedMailbox", async () => {
  const { Office, select } = fakeOffice({ item: withSharedProperties(item("<s1@x>"), "Vermietung@makler-demo.de") });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://crm.example.com" });
  assert.equal((await host.getMessage()).sharedMailbox, "Vermietung@makler-demo.de");
  assert.equal((await host.getMessage()).mailbox, "anna.schmidt@makler-demo.de");
  select(withSharedProperties(item("<s2@x>"), null)); // the call fails for an own mail
  assert.equal((await host.getMessage()).sharedMailbox, undefined);
  select(withSharedProperties(item("<s3@x>"), "ANNA.schmidt@makler-demo.de")); // own mailbox as owner
  assert.equal((await host.getMessage()).sharedMailbox, undefined);
  select(item("<s4@x>")); // hosts before Mailbox 1.8 have no getSharedPropertiesAsync
  assert.equal((await host.getMessage()).sharedMailbox, undefined);
  select({ ...item("<s5@x>"), getSharedPropertiesAsync() { throw new Error("not supported"); } });
  assert.equal((await host.getMessage()).messageId, "<s5@x>");
});

test("a host that never answers getSharedPropertiesAsync does not hang the pane", async () => {
  const silent = { ...item("<s6@x>"), getSharedPropertiesAsync() {} };
  assert.equal(await sharedOwner(silent, "anna@x", 20), "");
});
