// Every error code the backend can send has the pane's own title and text in German and English:
// the server's sentences are English, and the German pane must not show them.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { ERROR_TEXTS } from "../../server/static/js/core/error-texts.js";

const SERVER = new URL("../../server/", import.meta.url).pathname;

function pythonFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "sandbox" ? [] : pythonFiles(path);
    return name.endsWith(".py") ? [path] : [];
  });
}

/** The codes of ApiError(status, "code", ...) and AuthError(message, "code") in the server. */
function serverCodes() {
  const codes = new Set(["unauthorized"]);
  for (const path of pythonFiles(SERVER)) {
    const src = readFileSync(path, "utf8");
    for (const m of src.matchAll(/ApiError\(\s*\d{3},\s*"([a-z_]+)"/g)) codes.add(m[1]);
    for (const m of src.matchAll(/AuthError\([^()]*(?:\([^()]*\)[^()]*)*,\s*"([a-z_]+)"\)/g)) codes.add(m[1]);
  }
  return codes;
}

test("the scan finds the server's codes (it would pass vacuously otherwise)", () => {
  const codes = serverCodes();
  for (const code of ["identity_not_mapped", "onoffice_refused", "message_not_found", "sign_in_failed"]) {
    assert.ok(codes.has(code), code);
  }
});

test("every server error code has a German and an English title and text", () => {
  for (const code of serverCodes()) {
    if (code === "unauthorized") continue; // the signed-out state, in i18n.js
    for (const lang of ["de", "en"]) {
      const entry = ERROR_TEXTS[lang][code];
      assert.ok(Array.isArray(entry) && entry[0] && entry[1], `${lang}: no text for ${code}`);
    }
  }
});

test("both languages name the same codes", () => {
  assert.deepEqual(Object.keys(ERROR_TEXTS.de).sort(), Object.keys(ERROR_TEXTS.en).sort());
});
