// The hosts hand the pane the mail's plain text for suggestions: Office.js body.getAsync("text"),
// Thunderbird's messages.getFull text/plain parts.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createOutlookHost } from "../../server/static/js/hosts/outlook.js";
import { createThunderbirdHost, plainText } from "../../server/static/js/hosts/thunderbird.js";
import { fakeMessenger, fakeOffice, memoryStorage } from "./fakes.js";

const item = (getAsync) => ({ internetMessageId: "<m@x>", subject: "s", from: {}, body: { getAsync } });

test("Outlook reads the body as text", async () => {
  const seen = [];
  const { Office } = fakeOffice({
    item: item((coercion, cb) => {
      seen.push(coercion);
      cb({ status: "succeeded", value: "Objekt W-1024" });
    }),
  });
  const host = createOutlookHost({ Office, storage: memoryStorage(), publicUrl: "https://x" });
  assert.equal(await host.getBody(), "Objekt W-1024");
  assert.deepEqual(seen, ["text"]);
});

test("Outlook: a failed or missing body read gives an empty text", async () => {
  const failing = fakeOffice({ item: item((c, cb) => cb({ status: "failed", error: { message: "x" } })) });
  const host = createOutlookHost({ Office: failing.Office, storage: memoryStorage(), publicUrl: "https://x" });
  assert.equal(await host.getBody(), "");
  const none = fakeOffice({ item: null });
  const bare = createOutlookHost({ Office: none.Office, storage: memoryStorage(), publicUrl: "https://x" });
  assert.equal(await bare.getBody(), "");
});

test("plainText joins the text/plain parts and skips HTML", () => {
  const full = {
    contentType: "multipart/mixed",
    parts: [
      { contentType: "multipart/alternative", parts: [
        { contentType: "text/plain; charset=utf-8", body: "Hallo" },
        { contentType: "text/html", body: "<p>Hallo</p>" },
      ] },
      { contentType: "message/rfc822", parts: [{ contentType: "text/plain", body: "Weitergeleitet: W-1045" }] },
      { contentType: "application/pdf", name: "expose.pdf" },
    ],
  };
  assert.equal(plainText(full), "Hallo\nWeitergeleitet: W-1045");
  assert.equal(plainText({ contentType: "text/html", body: "<p>x</p>" }), "");
  assert.equal(plainText(undefined), "");
});

test("Thunderbird reads the displayed message with getFull; failures give an empty text", async () => {
  const displayed = [{ id: 42, headerMessageId: "m@x", author: "a@x.de" }];
  const messenger = fakeMessenger({
    displayed,
    full: { 42: { contentType: "text/plain", body: "Kirchweg 5a" } },
  });
  assert.equal(await createThunderbirdHost({ messenger, tabId: 7 }).getBody(), "Kirchweg 5a");
  const missing = fakeMessenger({ displayed });
  assert.equal(await createThunderbirdHost({ messenger: missing, tabId: 7 }).getBody(), "");
  const two = fakeMessenger({ displayed: [...displayed, { id: 43 }], full: { 42: { contentType: "text/plain", body: "x" } } });
  assert.equal(await createThunderbirdHost({ messenger: two, tabId: 7 }).getBody(), "");
});
