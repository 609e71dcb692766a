// Thunderbird host adapter (MailExtension, messenger.*). Runs in the message_display_action
// popup; the sign-in itself runs in the background script (a popup dies when it loses focus).
import { normalizeMessageId } from "../core/messageid.js";

export const SIGN_IN = "onoffice-sign-in";
export const SIGNED_IN = "onoffice-signed-in";
export const SESSION = "session";

/** MV2 returns an array of MessageHeader, MV3 a MessageList {id, messages}. */
export function displayedList(res) {
  if (Array.isArray(res)) return res;
  return Array.isArray(res?.messages) ? res.messages : [];
}

/** "/INBOX" -> "INBOX", "/Projekte/Entw&APw-rfe" -> "Projekte/Entw&APw-rfe" (a hint for the backend). */
export function folderHint(folder) {
  const path = folder?.path;
  return path ? String(path).replace(/^\/+/, "") : undefined;
}

/** Managed storage (policies.json) wins over the URL baked into the add-on. */
export async function backendUrl(messenger, baked) {
  try {
    const managed = await messenger.storage.managed.get("backendUrl");
    if (managed?.backendUrl) return String(managed.backendUrl).replace(/\/+$/, "");
  } catch {
    // No policy installed: Thunderbird throws "Managed storage manifest not found".
  }
  return String(baked || "").replace(/\/+$/, "");
}

export async function readSession(messenger, now = Date.now()) {
  const { [SESSION]: s } = await messenger.storage.local.get(SESSION);
  if (!s?.token) return null;
  if (s.expiresAt && Date.parse(s.expiresAt) <= now) {
    await messenger.storage.local.remove(SESSION);
    return null;
  }
  return s;
}

/** The address of the account the folder belongs to (the identity the mail is addressed to,
 *  else the first), and whether the signed-in mailbox is one of the account's identities. */
async function accountAddress(messenger, accountId, people, signedIn) {
  if (!accountId || !messenger.accounts?.get) return { address: "", own: true };
  try {
    const account = await messenger.accounts.get(accountId);
    const emails = (account?.identities || []).map((i) => String(i.email || "").toLowerCase());
    const addressed = people.map((p) => p.email.toLowerCase());
    const address = emails.find((e) => addressed.includes(e)) || emails[0] || "";
    const me = String(signedIn || "").toLowerCase();
    return { address, own: !me || !emails.length || emails.includes(me) };
  } catch {
    return { address: "", own: true };
  }
}

/** The one displayed mail in the pane's shape, or null when none or several are shown. */
export async function readDisplayedMessage(messenger, tabId) {
  let id = tabId;
  if (id == null) [{ id } = {}] = await messenger.tabs.query({ active: true, currentWindow: true });
  if (id == null) return null;
  const list = displayedList(await messenger.messageDisplay.getDisplayedMessages(id));
  if (list.length !== 1) return null;
  const m = list[0];
  const to = (m.recipients || []).map(parseMailbox);
  const cc = (m.ccList || []).map(parseMailbox);
  const signedIn = (await readSession(messenger))?.mailbox;
  const account = await accountAddress(messenger, m.folder?.accountId, [...to, ...cc], signedIn);
  return {
    // A mail opened from a file is in no mailbox: nothing onOffice could find.
    messageId: m.external ? null : normalizeMessageId(m.headerMessageId),
    subject: m.subject || "",
    from: parseMailbox(m.author),
    to,
    cc,
    mailbox: account.address,
    // Another account's mail (a shared mailbox set up as an account of its own): act there.
    ...(account.own ? {} : { sharedMailbox: account.address }),
    folder: folderHint(m.folder),
  };
}

/** The text/plain parts of a MessagePart tree (messages.getFull), in order; HTML-only mails give "". */
export function plainText(part) {
  if (!part) return "";
  const own = /^text\/plain\b/i.test(part.contentType || "") && typeof part.body === "string" ? [part.body] : [];
  return [...own, ...(part.parts || []).map(plainText)].filter(Boolean).join("\n");
}

async function displayedBody(messenger, tabId) {
  let id = tabId;
  if (id == null) [{ id } = {}] = await messenger.tabs.query({ active: true, currentWindow: true });
  const list = id == null ? [] : displayedList(await messenger.messageDisplay.getDisplayedMessages(id));
  if (list.length !== 1 || !messenger.messages?.getFull) return "";
  return plainText(await messenger.messages.getFull(list[0].id));
}

export function createThunderbirdHost({ messenger, tabId, language, win = globalThis }) {
  return {
    name: "thunderbird",
    displayLanguage: language || messenger.i18n?.getUILanguage?.() || win.navigator?.language,
    getMessage: () => readDisplayedMessage(messenger, tabId),
    getBody: () => displayedBody(messenger, tabId).catch(() => ""),
    onMessageChanged(cb) {
      const md = messenger.messageDisplay;
      const event = md.onMessagesDisplayed || md.onMessageDisplayed; // MV3 || MV2
      event?.addListener((tab) => {
        if (tabId == null || tab?.id === tabId) cb();
      });
    },
    getToken: async () => (await readSession(messenger))?.token || null,
    signIn: () => requestSignIn(messenger),
    signOut: () => messenger.storage.local.remove(SESSION),
    async openUrl(urlPromise) {
      const url = await urlPromise.catch(() => null);
      if (!url) return;
      if (messenger.windows?.openDefaultBrowser) await messenger.windows.openDefaultBrowser(url);
      else win.open(url, "_blank", "noopener");
    },
  };
}

/** Popup side of the sign-in. The background answers SIGN_IN at once and reports the outcome
 *  in a SIGNED_IN message of its own: a reply awaited for the minutes a sign-in takes would be
 *  rejected by Thunderbird when the popup closes meanwhile ("Promise rejected after context
 *  unloaded: Actor 'Conduits' destroyed"); a plain promise of our own just goes away with it. */
export function requestSignIn(messenger) {
  return new Promise((resolve, reject) => {
    const done = (message) => {
      if (message?.type !== SIGNED_IN) return undefined;
      messenger.runtime.onMessage.removeListener(done);
      if (message.error) reject(new Error(message.error));
      else resolve();
      return undefined;
    };
    messenger.runtime.onMessage.addListener(done);
    messenger.runtime.sendMessage({ type: SIGN_IN }).catch((err) => {
      messenger.runtime.onMessage.removeListener(done);
      reject(err);
    });
  });
}

/** Background side: start ``signIn()`` for each SIGN_IN, answer at once, report when done. */
export function serveSignIn(messenger, signIn) {
  messenger.runtime.onMessage.addListener((message) => {
    if (message?.type !== SIGN_IN) return undefined;
    signIn()
      .then(
        () => ({ type: SIGNED_IN }),
        (err) => ({ type: SIGNED_IN, error: String(err?.message || err || "sign-in failed") }),
      )
      .then((outcome) => messenger.runtime.sendMessage(outcome))
      .catch(() => {}); // no popup open any more: the next one finds the session in storage
    return Promise.resolve({ started: true });
  });
}

/** Thunderbird's author and recipient strings -> {name, email}:
 *  "Anna Schmidt <anna@x.de>", "anna@x.de", "<anna@x.de>". */
export function parseMailbox(text) {
  const s = String(text || "").trim();
  const m = s.match(/^(.*?)\s*<([^<>]+)>\s*$/);
  if (m) {
    const name = m[1].trim().replace(/^"(.*)"$/, "$1");
    return { name, email: m[2].trim() };
  }
  return { name: "", email: s };
}
