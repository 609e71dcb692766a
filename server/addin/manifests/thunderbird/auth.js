// Sign-in for the Thunderbird add-on: our backend's /auth/login ends with a redirect to
// identity.getRedirectURL() carrying a one-time code (never the session token itself);
// the background script exchanges that code at POST /auth/token for the session.

export function loginUrl(backend, redirectUri) {
  const u = new URL(`${String(backend).replace(/\/+$/, "")}/auth/login`);
  u.searchParams.set("client", "thunderbird");
  u.searchParams.set("redirect_uri", redirectUri);
  return u.toString();
}

/** "https://x.extensions.allizom.org/?code=.." -> the code; throws on an error or no code. */
export function codeFromRedirect(finalUrl) {
  const params = new URL(finalUrl).searchParams;
  if (params.get("error")) throw new Error(params.get("error_description") || params.get("error"));
  const code = params.get("code");
  if (!code) throw new Error("The sign-in ended without a code.");
  return code;
}

/** POST /auth/token {code, redirectUri} -> {token, mailbox, expiresAt}; throws the server's message. */
export async function exchangeCode(backend, code, redirectUri, fetchImpl = globalThis.fetch) {
  const res = await fetchImpl(`${String(backend).replace(/\/+$/, "")}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ code, redirectUri }),
    credentials: "omit",
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.token) {
    throw new Error(body?.error?.message || `The sign-in could not be completed (HTTP ${res.status}).`);
  }
  return { token: body.token, mailbox: body.mailbox || "", expiresAt: body.expiresAt || null };
}
