import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, MAX_BODY_BYTES, MAX_SUBJECT, createApi, firstBytes } from "../../server/static/js/core/api.js";
import { linkChange } from "../../server/static/js/core/contacts.js";

function recorder(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: new URL(url), init });
    return typeof answer === "function" ? answer(url, init) : answer;
  };
  return { calls, fetch };
}

const json = (status, body) => ({ ok: status < 400, status, statusText: "x", json: async () => body });

test("GET links sends the bearer token and the message's ids", async () => {
  const r = recorder(json(200, { addresses: [] }));
  const api = createApi({ baseUrl: "https://crm.example.com/", getToken: async () => "tok", fetch: r.fetch });
  await api.links({ messageId: "<a@b>", folder: "INBOX", uid: undefined });
  const { url, init } = r.calls[0];
  assert.equal(url.origin + url.pathname, "https://crm.example.com/api/v1/links");
  assert.equal(url.searchParams.get("messageId"), "<a@b>");
  assert.equal(url.searchParams.get("folder"), "INBOX");
  assert.equal(url.searchParams.has("uid"), false);
  assert.equal(init.headers.Authorization, "Bearer tok");
});

test("POST links: address vs estate, 0 unlinks, folder only together with uid", async () => {
  const r = recorder(json(200, {}));
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  await api.setLink({ messageId: "<m@x>", folder: undefined }, "estate", 0);
  await api.setLink({ messageId: "<m@x>", folder: "INBOX" }, "address", 12);
  await api.setLink({ messageId: "<m@x>", folder: "INBOX", uid: 17 }, "address", 12);
  assert.deepEqual(JSON.parse(r.calls[0].init.body), { messageId: "<m@x>", estateId: 0 });
  assert.deepEqual(JSON.parse(r.calls[1].init.body), { messageId: "<m@x>", addressId: 12 });
  assert.deepEqual(JSON.parse(r.calls[2].init.body), { messageId: "<m@x>", folder: "INBOX", uid: 17, addressId: 12 });
  assert.equal(r.calls[1].init.method, "POST");
});

test("suggestions post sender, subject, the other participants and the body", async () => {
  const r = recorder(json(200, {}));
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  await api.suggestions({ from: { email: "k@x.de" }, subject: "Besichtigung", body: "Objekt W-1024" }, ["a@x", "b@y"]);
  assert.equal(r.calls[0].init.method, "POST");
  assert.equal(r.calls[0].url.pathname, "/api/v1/suggestions");
  assert.deepEqual(JSON.parse(r.calls[0].init.body), {
    from: "k@x.de",
    subject: "Besichtigung",
    participants: ["a@x", "b@y"],
    body: "Objekt W-1024",
  });
});

test("a long subject and body are cut on character boundaries", async () => {
  const r = recorder(json(200, {}));
  const api = createApi({ baseUrl: "https://crm.makler-demo.de", getToken: async () => "t", fetch: r.fetch });
  const subject = "Änderungsmitteilung Grundstücksübertragung 🏠 ".repeat(60); // ~2,800 characters
  const body = "Grüße aus Köln 🏠 ".repeat(2000); // ~40 KB of UTF-8
  await api.suggestions({ from: { email: "k@x.de" }, subject, body }, []);
  const sent = JSON.parse(r.calls[0].init.body);
  assert.equal(Array.from(sent.subject).length, MAX_SUBJECT);
  assert.ok(subject.startsWith(sent.subject));
  const bytes = new TextEncoder().encode(sent.body).length;
  assert.ok(bytes <= MAX_BODY_BYTES && bytes > MAX_BODY_BYTES - 4, `${bytes} bytes`);
  assert.ok(body.startsWith(sent.body) && !sent.body.includes("\uFFFD"), "cut on a character boundary");
  assert.equal(firstBytes("kurz"), "kurz");
  assert.equal(firstBytes(undefined), "");
});

test("create address and recent", async () => {
  const r = recorder(json(201, { kind: "address", id: 612 }));
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  assert.deepEqual(await api.createAddress({ email: "l@x.de", lastName: "Brandt" }), { kind: "address", id: 612 });
  await api.recent();
  assert.equal(r.calls[0].init.method, "POST");
  assert.equal(r.calls[0].url.pathname, "/api/v1/addresses");
  assert.deepEqual(JSON.parse(r.calls[0].init.body), { email: "l@x.de", lastName: "Brandt" });
  assert.equal(r.calls[1].init.method, "GET");
  assert.equal(r.calls[1].url.pathname, "/api/v1/recent");
});

test("the error envelope becomes an ApiError with code, status and details", async () => {
  const r = recorder(json(502, { error: { code: "onoffice_refused", message: "No.", details: { onofficeCode: 137 } } }));
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  await assert.rejects(api.me(), (e) => e instanceof ApiError && e.code === "onoffice_refused" && e.status === 502 && e.details.onofficeCode === 137);
});

test("a 401 without a body is still 'unauthorized'; no token means no request", async () => {
  const r = recorder({ ok: false, status: 401, statusText: "Unauthorized", json: async () => { throw new SyntaxError("x"); } });
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  await assert.rejects(api.me(), { code: "unauthorized" });
  const none = recorder(json(200, {}));
  const api2 = createApi({ baseUrl: "http://h", getToken: async () => null, fetch: none.fetch });
  await assert.rejects(api2.me(), { code: "unauthorized" });
  assert.equal(none.calls.length, 0);
});

test("network failures are 'network' ('offline' when the browser says so), aborts stay AbortErrors", async () => {
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: async () => { throw new TypeError("Failed to fetch"); } });
  await assert.rejects(api.me(), { code: "network" });
  const nav = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", { value: { onLine: false }, configurable: true });
  try {
    await assert.rejects(api.me(), { code: "offline" });
  } finally {
    if (nav) Object.defineProperty(globalThis, "navigator", nav);
    else delete globalThis.navigator;
  }
  const aborting = createApi({
    baseUrl: "http://h",
    getToken: async () => "t",
    fetch: async () => { throw new DOMException("aborted", "AbortError"); },
  });
  await assert.rejects(aborting.search("address", "ab"), { name: "AbortError" });
});

test("demo endpoints go without a token", async () => {
  const r = recorder(json(200, { token: "x" }));
  const api = createApi({ baseUrl: "http://h", getToken: async () => { throw new Error("must not ask"); }, fetch: r.fetch });
  await api.demoSignIn("anna@x.de");
  assert.equal(r.calls[0].init.headers.Authorization, undefined);
  assert.deepEqual(JSON.parse(r.calls[0].init.body), { mailbox: "anna@x.de" });
  assert.equal(r.calls[0].url.pathname, "/auth/demo");
});

test("a 5xx without our error body (a proxy in front of a stopped backend) is 'server_unavailable'", async () => {
  const html = { ok: false, status: 502, statusText: "Bad Gateway", json: async () => { throw new SyntaxError("html"); } };
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: async () => html });
  await assert.rejects(api.me(), { code: "server_unavailable", status: 502 });
  const ours = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: async () => json(503, { error: { code: "onoffice_unreachable" } }) });
  await assert.rejects(ours.me(), { code: "onoffice_unreachable" });
});

test("every click carries its own Idempotency-Key", async () => {
  const r = recorder(json(202, { status: "queued", pending: { id: 1 } }));
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  const first = await api.setLink({ messageId: "<m@x>" }, "address", 12);
  await api.setLink({ messageId: "<m@x>" }, "address", 12);
  const keys = r.calls.map((c) => c.init.headers["Idempotency-Key"]);
  assert.equal(first.status, "queued");
  assert.equal(keys.length, 2);
  assert.match(keys[0], /^[0-9a-f-]{32,36}$/);
  assert.notEqual(keys[0], keys[1]);
  assert.equal(r.calls[0].init.headers.Authorization, "Bearer t");
});

test("a mail in a shared mailbox names it on GET and POST; links add and remove one contact", async () => {
  const r = recorder(json(200, {}));
  const api = createApi({ baseUrl: "http://h", getToken: async () => "t", fetch: r.fetch });
  const msg = { messageId: "<m@x>", sharedMailbox: "vermietung@makler-demo.de" };
  await api.links(msg);
  assert.equal(r.calls[0].url.searchParams.get("mailbox"), "vermietung@makler-demo.de");
  await api.changeLinks(msg, linkChange({ kind: "address", id: 602 }, true));
  await api.changeLinks({ messageId: "<m@x>" }, linkChange({ kind: "address", id: "601" }, false));
  await api.changeLinks({ messageId: "<m@x>" }, linkChange({ kind: "estate", id: 2649 }, false));
  await api.links({ messageId: "<m@x>" });
  assert.deepEqual(JSON.parse(r.calls[1].init.body), {
    messageId: "<m@x>", mailbox: "vermietung@makler-demo.de", addAddressIds: [602] });
  assert.deepEqual(JSON.parse(r.calls[2].init.body), { messageId: "<m@x>", removeAddressIds: [601] });
  assert.deepEqual(JSON.parse(r.calls[3].init.body), { messageId: "<m@x>", estateId: 0 });
  assert.equal(r.calls[4].url.searchParams.has("mailbox"), false);
});
