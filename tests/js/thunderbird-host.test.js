import assert from "node:assert/strict";
import { test } from "node:test";

import { codeFromRedirect, exchangeCode, loginUrl } from "../../server/addin/manifests/thunderbird/auth.js";
import {
  backendUrl,
  createThunderbirdHost,
  displayedList,
  folderHint,
  serveSignIn,
} from "../../server/static/js/hosts/thunderbird.js";
import { fakeMessenger, fakeRuntimes } from "./fakes.js";

const header = (extra = {}) => ({
  id: 42,
  headerMessageId: "crm-test-123@example.com",
  subject: "Grüße aus dem CRM",
  author: "Klaus Kunde <klaus@kunde.de>",
  recipients: ["Anna Schmidt <anna.schmidt@makler-demo.de>"],
  ccList: ["notar@x.de"],
  external: false,
  folder: { accountId: "account1", path: "/INBOX", name: "Inbox", type: "inbox" },
  ...extra,
});
const account = { id: "account1", identities: [{ email: "info@makler-demo.de" }, { email: "Anna.Schmidt@makler-demo.de" }] };

test("MV2 array and MV3 MessageList give the same list", () => {
  const h = header();
  assert.deepEqual(displayedList([h]), [h]);
  assert.deepEqual(displayedList({ id: null, messages: [h] }), [h]);
  assert.deepEqual(displayedList(undefined), []);
});

for (const [shape, displayed] of [["MV2", [header()]], ["MV3", { id: null, messages: [header()] }]]) {
  test(`${shape}: the displayed mail with brackets restored, folder hint and own address`, async () => {
    const messenger = fakeMessenger({ displayed, account });
    const host = createThunderbirdHost({ messenger });
    const msg = await host.getMessage();
    assert.equal(msg.messageId, "<crm-test-123@example.com>");
    assert.equal(msg.folder, "INBOX");
    assert.deepEqual(msg.from, { name: "Klaus Kunde", email: "klaus@kunde.de" });
    assert.deepEqual(msg.cc, [{ name: "", email: "notar@x.de" }]);
    assert.equal(msg.mailbox, "anna.schmidt@makler-demo.de");
    assert.equal(msg.subject, "Grüße aus dem CRM");
  });
}

test("no id onOffice could find: mail from a file, synthesized md5 id", async () => {
  const ext = await createThunderbirdHost({ messenger: fakeMessenger({ displayed: [header({ external: true, folder: undefined })] }) }).getMessage();
  assert.equal(ext.messageId, null);
  assert.equal(ext.folder, undefined);
  const md5 = await createThunderbirdHost({ messenger: fakeMessenger({ displayed: [header({ headerMessageId: "md5:AAAA" })], account }) }).getMessage();
  assert.equal(md5.messageId, null);
});

test("none or several displayed mails: no message", async () => {
  assert.equal(await createThunderbirdHost({ messenger: fakeMessenger({ displayed: [] }) }).getMessage(), null);
  const two = fakeMessenger({ displayed: { messages: [header(), header({ id: 43 })] } });
  assert.equal(await createThunderbirdHost({ messenger: two }).getMessage(), null);
});

test("folder paths lose only the leading slash, modified UTF-7 stays", () => {
  assert.equal(folderHint({ path: "/INBOX" }), "INBOX");
  assert.equal(folderHint({ path: "/Projekte/Entw&APw-rfe" }), "Projekte/Entw&APw-rfe");
  assert.equal(folderHint(undefined), undefined);
});

test("backend URL: policies.json wins, otherwise the baked one", async () => {
  assert.equal(await backendUrl(fakeMessenger({ managed: { backendUrl: "https://crm.policy.de/" } }), "https://baked"), "https://crm.policy.de");
  assert.equal(await backendUrl(fakeMessenger({}), "https://baked.example/"), "https://baked.example");
  assert.equal(await backendUrl(fakeMessenger({ managed: {} }), "https://baked.example"), "https://baked.example");
});

test("token from storage.local; sign-in asks the background; expired sessions are dropped", async () => {
  const rt = fakeRuntimes();
  const messenger = fakeMessenger({ displayed: [header()], runtime: rt.popup });
  let asked = 0;
  serveSignIn({ runtime: rt.background }, async () => {
    asked += 1;
    await messenger.storage.local.set({ session: { token: "tb-1", expiresAt: "2999-01-01T00:00:00Z" } });
  });
  const host = createThunderbirdHost({ messenger });
  assert.equal(await host.getToken(), null);
  await host.signIn();
  assert.equal(asked, 1);
  assert.equal(await host.getToken(), "tb-1");
  await host.signOut();
  assert.equal(await host.getToken(), null);
  const old = fakeMessenger({ session: { token: "x", expiresAt: "2000-01-01T00:00:00Z" } });
  assert.equal(await createThunderbirdHost({ messenger: old }).getToken(), null);
  const failing = fakeRuntimes();
  serveSignIn({ runtime: failing.background }, async () => {
    throw new Error("User cancelled or denied access.");
  });
  const refused = createThunderbirdHost({ messenger: fakeMessenger({ runtime: failing.popup }) }).signIn();
  await assert.rejects(refused, /cancelled/);
  const alone = fakeRuntimes(); // no background listening: the popup hears so at once
  await assert.rejects(createThunderbirdHost({ messenger: fakeMessenger({ runtime: alone.popup }) }).signIn(), /Receiving end/);
});

test("closing the popup during sign-in leaves no API promise of it to be rejected", async () => {
  const rt = fakeRuntimes();
  let finish;
  const stored = new Map();
  serveSignIn({ runtime: rt.background }, () => new Promise((resolve) => (finish = resolve)).then(() => stored.set("session", "s")));
  const signingIn = createThunderbirdHost({ messenger: fakeMessenger({ runtime: rt.popup }) }).signIn();
  signingIn.catch(() => {});
  await new Promise((r) => setTimeout(r, 5)); // the Microsoft window is open, the popup loses focus...
  rt.unload("popup"); // ...and Thunderbird closes it
  finish();
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(rt.unloadedRejections, []);
  assert.equal(stored.get("session"), "s"); // the background finished the sign-in regardless
});

test("a newly displayed mail reloads the popup's pane; open uses the default browser", async () => {
  const messenger = fakeMessenger({ displayed: [header()] });
  const host = createThunderbirdHost({ messenger, tabId: 7, language: "de" });
  let n = 0;
  host.onMessageChanged(() => (n += 1));
  messenger.listeners.forEach((fn) => fn({ id: 7 }, header()));
  messenger.listeners.forEach((fn) => fn({ id: 8 }, header()));
  assert.equal(n, 1);
  assert.equal(host.displayLanguage, "de");
  await host.openUrl(Promise.resolve("https://smart.onoffice.de/a"));
  assert.deepEqual(messenger.opened, ["https://smart.onoffice.de/a"]);
});

test("login URL, and only a one-time code in the final redirect", () => {
  const redirect = "https://abc.extensions.allizom.org/";
  const u = new URL(loginUrl("https://crm.example.com/", redirect));
  assert.equal(u.origin + u.pathname, "https://crm.example.com/auth/login");
  assert.equal(u.searchParams.get("client"), "thunderbird");
  assert.equal(u.searchParams.get("redirect_uri"), redirect);
  assert.equal(codeFromRedirect(`${redirect}?code=a-b_c`), "a-b_c");
  assert.throws(() => codeFromRedirect(`${redirect}?error=access_denied`), /access_denied/);
  assert.throws(() => codeFromRedirect(redirect), /without a code/);
  // The old shape, a session token in the fragment, is no longer taken from anyone.
  assert.throws(() => codeFromRedirect(`${redirect}#token=oml.x&mailbox=a%40x.de`), /without a code/);
});

test("the code is exchanged at POST /auth/token together with the redirect URL", async () => {
  const calls = [];
  const ok = async (url, init) => {
    calls.push({ url, init });
    return { ok: true, status: 200, json: async () => ({ token: "oml.t", mailbox: "anna@x.de", expiresAt: "2999-01-01T00:00:00Z" }) };
  };
  const s = await exchangeCode("https://crm.example.com/", "c0de", "https://abc.extensions.allizom.org/", ok);
  assert.deepEqual(s, { token: "oml.t", mailbox: "anna@x.de", expiresAt: "2999-01-01T00:00:00Z" });
  assert.equal(calls[0].url, "https://crm.example.com/auth/token");
  assert.equal(calls[0].init.method, "POST");
  assert.equal(calls[0].init.credentials, "omit");
  assert.deepEqual(JSON.parse(calls[0].init.body), { code: "c0de", redirectUri: "https://abc.extensions.allizom.org/" });
  const refused = async () => ({
    ok: false,
    status: 401,
    json: async () => ({ error: { code: "code_used", message: "This sign-in code was already used." } }),
  });
  await assert.rejects(exchangeCode("https://crm.example.com", "c0de", "r", refused), /already used/);
  const broken = async () => ({ ok: false, status: 502, json: async () => Promise.reject(new Error("html")) });
  await assert.rejects(exchangeCode("https://crm.example.com", "c0de", "r", broken), /HTTP 502/);
});

test("a mail of another account (a shared mailbox) sends that account's address", async () => {
  const accounts = {
    account1: { id: "account1", identities: [{ email: "anna.schmidt@makler-demo.de" }] },
    account2: { id: "account2", identities: [{ email: "Vermietung@makler-demo.de" }] },
  };
  const session = { token: "t", mailbox: "anna.schmidt@makler-demo.de", expiresAt: "2999-01-01T00:00:00Z" };
  const shared = header({ folder: { accountId: "account2", path: "/INBOX", name: "Inbox" } });
  const own = await createThunderbirdHost({ messenger: fakeMessenger({ displayed: [header()], accounts, session }) }).getMessage();
  assert.equal(own.sharedMailbox, undefined);
  const msg = await createThunderbirdHost({ messenger: fakeMessenger({ displayed: [shared], accounts, session }) }).getMessage();
  assert.equal(msg.sharedMailbox, "vermietung@makler-demo.de");
  assert.equal(msg.folder, "INBOX");
  // Not signed in yet: nothing to compare with, so nothing is claimed.
  const before = await createThunderbirdHost({ messenger: fakeMessenger({ displayed: [shared], accounts }) }).getMessage();
  assert.equal(before.sharedMailbox, undefined);
});
