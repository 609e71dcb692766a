// Which plain-language text and which way out the pane offers for an error code. The texts
// (error-texts.js) are fetched on the first error only.

// A retry can help only when the cause may pass by itself; a refusal or a setup problem needs a
// person first, and a "Try again" button that can only fail again teaches users to ignore it.
const RETRY = new Set([
  "network",
  "offline",
  "server_unavailable",
  "internal_error",
  "message_not_found",
  "onoffice_unreachable",
  "onoffice_timeout",
  "mail_server_unreachable",
  "signin_unavailable",
  "request_in_progress",
]);
const SIGN_IN = new Set(["unauthorized", "sign_in_failed", "sign_in_expired", "code_invalid"]);

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
  const action = errorAction(err);
  if (code === "unauthorized") return { code, title: t("signedOutTitle"), text: t("signedOutText"), action };
  const { ERROR_TEXTS } = await import("./error-texts.js");
  const table = ERROR_TEXTS[t.lang] || ERROR_TEXTS.en;
  const reason = err?.details?.reason;
  const known = table[`${code}:${reason}`] || table[code];
  if (known) return { code, title: known[0], text: known[1], action };
  // A code this pane does not know yet: English readers get the server's own sentence; others a
  // sentence in their language that names the code for the IT.
  const server = t.lang === "en" && err?.message && err.message !== code ? err.message : "";
  const [title, text] = table.unknown;
  return { code, title, text: server || text.replace("{code}", code), action };
}
