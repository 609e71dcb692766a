// The backend's HTTP API (design.md, v1) as plain async functions. Knows nothing of hosts.

/** An error answer of the backend, or a network failure (code "network"). */
export class ApiError extends Error {
  constructor(code, message, status = 0, details = {}) {
    super(message || code);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details || {};
  }
}

// The subject only serves to spot object numbers and addresses; 300 characters are plenty.
export const MAX_SUBJECT = 300;
// The backend reads the first 16 KiB of the body; sending more only costs the upload.
export const MAX_BODY_BYTES = 16 * 1024;

/** The longest prefix of text that fits in max UTF-8 bytes, never half a character. */
export function firstBytes(text, max = MAX_BODY_BYTES) {
  const bytes = new TextEncoder().encode(String(text || ""));
  if (bytes.length <= max) return String(text || "");
  return new TextDecoder().decode(bytes.subarray(0, max)).replace(/\uFFFD+$/, "");
}

/** A fresh random key per click. */
export function clickKey() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** baseUrl: "" for the same origin, else e.g. "https://crm.example.com". */
export function createApi({ baseUrl = "", getToken, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }) {
  const root = String(baseUrl).replace(/\/+$/, "");

  async function request(method, path, { query, body, signal, auth = true, headers: extra } = {}) {
    const url = new URL(root + path, globalThis.location?.href || "http://localhost/");
    for (const [k, v] of Object.entries(query || {})) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, String(v));
    }
    const headers = { Accept: "application/json", ...extra };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (auth) {
      const token = await getToken();
      if (!token) throw new ApiError("unauthorized", "", 401);
      headers.Authorization = `Bearer ${token}`;
    }
    let res;
    try {
      res = await fetchImpl(url.toString(), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (err?.name === "AbortError") throw err;
      // A failed fetch is the user's own connection only when the browser says it is offline;
      // otherwise it is our server that did not answer (down, restarting, blocked).
      const code = globalThis.navigator?.onLine === false ? "offline" : "network";
      throw new ApiError(code, String(err?.message || err), 0);
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const e = data?.error || {};
      // No error body of ours: a proxy or load balancer answered for a backend that is down.
      const code =
        e.code || (res.status === 401 ? "unauthorized" : res.status >= 500 ? "server_unavailable" : `http_${res.status}`);
      throw new ApiError(code, e.message || res.statusText, res.status, e.details);
    }
    return data;
  }

  // mailbox: only for a mail in a shared or delegated mailbox; absent means the user's own.
  const where = (msg) => ({ messageId: msg.messageId, folder: msg.folder, uid: msg.uid, mailbox: msg.sharedMailbox });
  // One Idempotency-Key per click: a resent request is never a second click. Answers 200
  // (applied) or 202 {status: "queued", pending} (kept until onOffice answers).
  const changeLinks = (msg, change) =>
    request("POST", "/api/v1/links", {
      headers: { "Idempotency-Key": clickKey() },
      body: {
        messageId: msg.messageId,
        ...(msg.sharedMailbox ? { mailbox: msg.sharedMailbox } : {}),
        ...(msg.folder && msg.uid ? { folder: msg.folder, uid: msg.uid } : {}),
        ...change,
      },
    });

  return {
    request,
    me: () => request("GET", "/api/v1/me"),
    links: (msg, signal) => request("GET", "/api/v1/links", { query: where(msg), signal }),
    /** msg.body: the mail's plain text, if the host could read it (never stored by the backend). */
    suggestions: (msg, participants, signal) =>
      request("POST", "/api/v1/suggestions", {
        body: {
          from: msg.from?.email,
          subject: Array.from(String(msg.subject || "")).slice(0, MAX_SUBJECT).join(""),
          participants,
          body: firstBytes(msg.body),
        },
        signal,
      }),
    /** fields: {email, firstName?, lastName?, title?, salutation?, company?} -> the new record. */
    createAddress: (fields) => request("POST", "/api/v1/addresses", { body: fields }),
    recent: (signal) => request("GET", "/api/v1/recent", { signal }),
    /** change: one address form and/or estateId (design.md), e.g. {addAddressIds: [601]}.
     *  The backend takes folder and uid only together, so a lone folder hint stays out. */
    changeLinks,
    /** The seed's form: kind "address" sets the one addressId, "estate" the estateId; 0 unlinks. */
    setLink: (msg, kind, id) => changeLinks(msg, { [kind === "estate" ? "estateId" : "addressId"]: id }),
    search: (kind, q, signal, limit = 5) =>
      request("GET", "/api/v1/search", { query: { kind, q, limit }, signal }),
    recordUrl: (kind, id) => request("GET", `/api/v1/records/${kind}/${Number(id)}/url`),
    demoMessages: () => request("GET", "/demo/messages", { auth: false }),
    demoSignIn: (mailbox) =>
      request("POST", "/auth/demo", { body: mailbox ? { mailbox } : {}, auth: false }),
  };
}
