// Which plain-language text and which way out the pane offers for an error code. This module
// and the texts (error-texts.js) are fetched on the first error only.

// A retry can help only when the cause may pass by itself; a refusal or a setup problem needs a
// person first, and a "Try again" button that can only fail again teaches users to ignore it.
const RETRY = new Set(["network", "offline", "server_unavailable", "internal_error", "message_not_found",
  "onoffice_unreachable", "onoffice_timeout", "mail_server_unreachable", "signin_unavailable", "request_in_progress", "mail_busy"]);
const SIGN_IN = new Set(["unauthorized", "sign_in_failed", "sign_in_expired", "code_invalid"]);

// When the server cannot be reached, error-texts.js cannot be fetched either: the words for these
// come with the pane's own texts (texts-de.js, texts-en.js) as <code>Title and <code>Text.
const UNREACHABLE = new Set(["network", "offline", "server_unavailable"]);

/** The way out the pane offers for this error: "retry", "signin" or null (nothing to click). */
export function errorAction(err) {
  const code = err?.code || "unknown";
  if (SIGN_IN.has(code)) return "signin";
  if (RETRY.has(code)) return "retry";
  return null;
}

/**
 * @returns {Promise<{code: string, title: string, text: string, action: "retry"|"signin"|null}>}
 */
export async function describeError(err, t) {
  const code = err?.code || "unknown";
  const fill = (text) => text.replace(/\{(\w+)\}/g, (m, k) => String({ code, ...err?.details }[k] ?? m));
  const said = ([title, text]) => ({ code, title, text: fill(text), action: errorAction(err) });
  if (code === "unauthorized") return said([t("signedOutTitle"), t("signedOutText")]);
  const near = (c) => said([t(`${c}Title`), t(`${c}Text`)]);
  if (UNREACHABLE.has(code)) return near(code);
  let texts;
  try {
    texts = (await import("./error-texts.js")).ERROR_TEXTS;
  } catch {
    return near("server_unavailable"); // it answered a moment ago; now not even its files come
  }
  const table = texts[t.lang] || texts.en;
  const known = table[`${code}:${err?.details?.reason}`] || table[code];
  if (known) return said(known);
  // A code this pane does not know yet: English readers get the server's sentence; others one in
  // their language that names the code for the IT.
  const server = t.lang === "en" && err?.message !== code && err?.message;
  return said([table.unknown[0], server || table.unknown[1]]);
}
