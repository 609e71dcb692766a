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

export function fakeMessenger({ displayed, managed, account, session, sendMessage, full = {} } = {}) {
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
    accounts: { get: async () => account || null },
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
    runtime: { sendMessage: sendMessage || (async () => ({ error: "no background" })) },
    windows: { openDefaultBrowser: async (url) => opened.push(url) },
    i18n: { getUILanguage: () => "en-US" },
  };
}
