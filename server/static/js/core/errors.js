// Which plain-language text and which way out the pane offers for an error code. The texts
// (error-texts.js) are fetched on the first error only.

// A retry can help only when the cause may pass by itself; a refusal or a setup problem needs a
// person first, and a "Try again" button that can only fail again teaches users to ignore it.
const RETRY = new Set(["network", "offline", "server_unavailable", "internal_error", "message_not_found",
  "onoffice_unreachable", "onoffice_timeout", "mail_server_unreachable", "signin_unavailable", "request_in_progress"]);
const SIGN_IN = new Set(["unauthorized", "sign_in_failed", "sign_in_expired", "code_invalid"]);

// When the server cannot be reached, error-texts.js cannot be fetched either: these words are here.
const UNREACHABLE = {
  de: {
    network: ["Server nicht erreichbar", "Der Server des Add-ins antwortet nicht; vielleicht wird er gerade neu gestartet. Versuchen Sie es in einer Minute noch einmal. Hält es an, melden Sie es Ihrer IT."],
    offline: ["Keine Internetverbindung", "Ihr Gerät ist offline. Sobald die Verbindung wieder steht, versuchen Sie es erneut."],
    server_unavailable: ["Server gestört", "Der Server des Add-ins hat einen Fehler gemeldet. Versuchen Sie es in einer Minute noch einmal. Hält es an, melden Sie es Ihrer IT."],
  },
  en: {
    network: ["Server not reachable", "The add-in's server is not answering; it may be restarting. Please try again in a minute. If it persists, tell your IT."],
    offline: ["No internet connection", "Your device is offline. Try again once the connection is back."],
    server_unavailable: ["Server trouble", "The add-in's server reported an error. Please try again in a minute. If it persists, tell your IT."],
  },
};

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
  const near = UNREACHABLE[t.lang] || UNREACHABLE.en;
  if (near[code]) return { code, title: near[code][0], text: near[code][1], action };
  let texts;
  try {
    texts = (await import("./error-texts.js")).ERROR_TEXTS;
  } catch {
    // The server answered a moment ago and now not even its files come: it is in trouble.
    return { code, title: near.server_unavailable[0], text: near.server_unavailable[1], action };
  }
  const table = texts[t.lang] || texts.en;
  const reason = err?.details?.reason;
  const known = table[`${code}:${reason}`] || table[code];
  if (known) return { code, title: known[0], text: known[1], action };
  // A code this pane does not know yet: English readers get the server's own sentence; others a
  // sentence in their language that names the code for the IT.
  const server = t.lang === "en" && err?.message && err.message !== code ? err.message : "";
  const [title, text] = table.unknown;
  return { code, title, text: server || text.replace("{code}", code), action };
}
