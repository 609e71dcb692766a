// Hand-written fakes shared by the node tests: a Web Storage, an Office.js host, a messenger.

export function memoryStorage() {
  const m = new Map();
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
    get size() {
      return m.size;
    },
  };
}

export function fakeOffice({
  item,
  email = "anna.schmidt@makler-demo.de",
  language = "de-DE",
  sso = null,
  dialogMessage,
  browserWindow = true,
} = {}) {
  const handlers = {};
  const calls = { dialogs: [], opened: [] };
  const Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html" },
    EventType: {
      ItemChanged: "olkItemSelectedChanged",
      DialogMessageReceived: "dialogMessageReceived",
      DialogEventReceived: "dialogEventReceived",
    },
    context: {
      displayLanguage: language,
      requirements: {
        isSetSupported: (name) =>
          (name === "IdentityAPI" && sso !== null) || (name === "OpenBrowserWindowApi" && browserWindow),
      },
      mailbox: {
        item,
        userProfile: { emailAddress: email },
        addHandlerAsync(type, fn) {
          handlers[type] = fn;
        },
      },
      ui: {
        displayDialogAsync(url, opts, cb) {
          const dh = {};
          const dialog = { close: () => (dialog.closed = true), addEventHandler: (t, fn) => (dh[t] = fn) };
          calls.dialogs.push({ url, dialog });
          cb({ status: "succeeded", value: dialog });
          queueMicrotask(() => {
            if (dialogMessage === undefined) dh.dialogEventReceived?.({ error: 12006 });
            else dh.dialogMessageReceived?.({ message: dialogMessage });
          });
        },
        openBrowserWindow: (url) => calls.opened.push(url),
      },
    },
    auth: sso === null ? undefined : { getAccessToken: async () => (sso instanceof Error ? Promise.reject(sso) : sso) },
  };
  const select = (next) => {
    Office.context.mailbox.item = next;
    handlers[Office.EventType.ItemChanged]?.({ type: "olkItemSelectedChanged" });
  };
  return { Office, calls, select };
}

/** An Office.js item as Outlook hands it out for a mail in a shared folder, a shared mailbox or
 *  a delegate's mailbox (Mailbox 1.8/1.13); owner null: an own mail, where the call fails. */
export function withSharedProperties(item, owner) {
  return {
    ...item,
    getSharedPropertiesAsync(cb) {
      queueMicrotask(() =>
        cb(
          owner
            ? { status: "succeeded", value: { owner, targetMailbox: owner, permissions: 3 } }
            : { status: "failed", error: { code: 9043, message: "not a shared item" } },
        ),
      );
    },
  };
}

export function fakeMessenger({ displayed, managed, account, accounts, session, sendMessage, runtime, full = {} } = {}) {
  const local = new Map(session ? [["session", session]] : []);
  const listeners = [];
  const opened = [];
  return {
    opened,
    listeners,
    tabs: { query: async () => [{ id: 7, active: true }] },
    messageDisplay: {
      getDisplayedMessages: async (tabId) => (tabId === 7 ? displayed : []),
      onMessageDisplayed: { addListener: (fn) => listeners.push(fn) },
    },
    // accounts: {id: MailAccount} for several accounts; account: the one every id gets.
    accounts: { get: async (id) => (accounts ? accounts[id] || null : account || null) },
    messages: {
      getFull: async (id) => {
        if (!(id in full)) throw new Error(`Message not found: ${id}.`);
        return full[id];
      },
    },
    storage: {
      managed: {
        get: async () => {
          if (!managed) throw new Error("Managed storage manifest not found");
          return managed;
        },
      },
      local: {
        get: async (k) => (local.has(k) ? { [k]: local.get(k) } : {}),
        set: async (o) => Object.entries(o).forEach(([k, v]) => local.set(k, v)),
        remove: async (k) => local.delete(k),
      },
    },
    runtime: runtime || { sendMessage: sendMessage || (async () => ({ error: "no background" })) },
    windows: { openDefaultBrowser: async (url) => opened.push(url) },
    i18n: { getUILanguage: () => "en-US" },
  };
}

/** messenger.runtime of two extension contexts (popup, background) talking to each other, in
 *  Firefox's manner: a message goes to the other context's listeners; the first promise one
 *  returns is the answer, none = undefined, no listener = "Receiving end does not exist".
 *  ``unload(name)`` closes a context like Thunderbird closing the popup: its API promises still
 *  pending are rejected, which Thunderbird logs as "Promise rejected after context unloaded". */
export function fakeRuntimes() {
  const contexts = {};
  const unloadedRejections = [];
  const make = (name, other) => {
    const listeners = new Set();
    const pending = new Set();
    contexts[name] = { listeners, pending, alive: true };
    return {
      onMessage: { addListener: (fn) => listeners.add(fn), removeListener: (fn) => listeners.delete(fn) },
      sendMessage(message) {
        const peer = contexts[other];
        let settle;
        const call = new Promise((resolve, reject) => (settle = { resolve, reject }));
        pending.add(settle);
        const answers = peer?.alive ? [...peer.listeners].map((fn) => fn(message, { id: name })) : [];
        const answer = answers.find((a) => a !== undefined);
        const outcome = !peer?.alive || peer.listeners.size === 0
          ? Promise.reject(new Error("Could not establish connection. Receiving end does not exist."))
          : Promise.resolve(answer);
        outcome.then(
          (v) => pending.delete(settle) && settle.resolve(v),
          (e) => pending.delete(settle) && settle.reject(e),
        );
        return call;
      },
    };
  };
  const popup = make("popup", "background");
  const background = make("background", "popup");
  const unload = (name) => {
    const c = contexts[name];
    c.alive = false;
    c.listeners.clear();
    for (const settle of c.pending) {
      unloadedRejections.push(name);
      settle.reject(new Error("Actor 'Conduits' destroyed"));
    }
    c.pending.clear();
  };
  return { popup, background, unload, unloadedRejections };
}
