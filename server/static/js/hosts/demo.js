// Browser demo host: no Office, no Thunderbird. Lets you pick a demo mail of the demo
// backend and signs in with the demo sign-in.
import { createSessionStore } from "../core/session.js";
import { openWhenReady } from "../core/open-window.js";
import "./demo-texts.js";

export function createDemoHost({ api, storage, language, win = globalThis }) {
  const session = createSessionStore(storage);
  const listeners = [];
  let messages = null;
  let current = null;

  async function listMessages() {
    if (!messages) {
      messages = (await api.demoMessages()).messages || [];
      const wanted = new URL(win.location.href).searchParams.get("message");
      current = messages.find((m) => m.messageId === wanted) || messages[0] || null;
    }
    return messages;
  }

  return {
    name: "demo",
    displayLanguage: language,
    listMessages,
    async selectMessage(messageId) {
      await listMessages();
      current = messages.find((m) => m.messageId === messageId) || null;
      for (const cb of listeners) cb();
    },
    async getMessage() {
      await listMessages();
      if (!current) return null;
      const msg = { ...current, to: current.to || [], cc: current.cc || [] };
      // A mail of the demo's shared inbox is read by whoever is signed in, in that inbox.
      return current.shared ? { ...msg, mailbox: session.read()?.mailbox || "", sharedMailbox: current.mailbox } : msg;
    },
    getBody: async () => current?.body || "",
    onMessageChanged: (cb) => listeners.push(cb),
    async getToken() {
      // Demo mails belong to two mailboxes; a token only counts for the mail's own mailbox.
      const s = session.read();
      const mine =
        !current?.mailbox || current.shared || s?.mailbox?.toLowerCase() === current.mailbox.toLowerCase();
      return mine ? s?.token || null : null;
    },
    /** The mail's mailbox when a session exists for another one (a colleague's demo mail). */
    async signedInElsewhere() {
      const s = session.read();
      if (!s?.mailbox || !current?.mailbox || s.mailbox.toLowerCase() === current.mailbox.toLowerCase()) return null;
      return { mailbox: current.mailbox, signedIn: s.mailbox };
    },
    async signIn() {
      await listMessages();
      session.save(await api.demoSignIn(current?.shared ? undefined : current?.mailbox));
    },
    async signOut() {
      session.clear();
    },
    openUrl(urlPromise) {
      openWhenReady(win, urlPromise);
    },
  };
}
