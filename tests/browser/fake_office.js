// Stand-in for Microsoft's office.js in browser tests (no network): an Outlook read-mode host.
// Configure with window.__FAKE_OFFICE__ = {host, language, email, item} before this loads.
(() => {
  const cfg = window.__FAKE_OFFICE__ || {};
  const handlers = {};
  const log = { dialogs: [], opened: [], dialogClosed: 0, bodyReads: [] };
  // office_item() puts the mail's text in bodyText; Office.js hands it out through body.getAsync.
  const withBody = (item) =>
    item && {
      ...item,
      body: {
        getAsync(coercion, cb) {
          log.bodyReads.push(coercion);
          setTimeout(() => cb({ status: "succeeded", value: item.bodyText || "" }), 0);
        },
      },
    };
  const EventType = {
    ItemChanged: "olkItemSelectedChanged",
    DialogMessageReceived: "dialogMessageReceived",
    DialogEventReceived: "dialogEventReceived",
  };
  // Outlook answers getSharedPropertiesAsync for a mail in a shared folder, shared mailbox or a
  // delegate's mailbox (item.sharedOwner here) and fails it for a mail of the user's own.
  const withShared = (item) =>
    item && {
      ...item,
      getSharedPropertiesAsync(cb) {
        const owner = item.sharedOwner;
        setTimeout(() =>
          cb(
            owner
              ? { status: "succeeded", value: { owner, targetMailbox: owner, permissions: 3 } }
              : { status: "failed", error: { code: 9043, message: "not shared" } },
          ),
        );
      },
    };
  const Office = {
    HostType: { Outlook: "Outlook" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html" },
    EventType,
    // Like office.js: a callback, a promise, or both (the sign-in page's done.js passes a callback).
    onReady(callback) {
      const info = cfg.host === null ? { host: null, platform: null } : { host: "Outlook", platform: "OfficeOnline" };
      Promise.resolve().then(() => callback?.(info));
      return Promise.resolve(info);
    },
    context: {
      displayLanguage: cfg.language || "en-US",
      requirements: { isSetSupported: (name) => name === "OpenBrowserWindowApi" },
      mailbox: {
        item: withShared(withBody(cfg.item ?? null)),
        userProfile: { emailAddress: cfg.email || "" },
        addHandlerAsync(type, fn, cb) {
          handlers[type] = fn;
          cb?.({ status: "succeeded" });
        },
      },
      ui: {
        displayDialogAsync(url, options, cb) {
          log.dialogs.push(url);
          const dh = {};
          const dialog = {
            close: () => (log.dialogClosed += 1),
            addEventHandler: (type, fn) => (dh[type] = fn),
          };
          cb({ status: "succeeded", value: dialog });
          if (cfg.dialog === "refuse") {
            const refusal = { error: { code: "identity_not_mapped", message: "No identity." } };
            setTimeout(() => dh[EventType.DialogMessageReceived]?.({ message: JSON.stringify(refusal) }), 10);
            return;
          }
          if (cfg.dialog === "cancel") {
            setTimeout(() => dh[EventType.DialogEventReceived]?.({ error: 12006 }), 10);
            return;
          }
          if (cfg.dialog === "real") {
            // As Outlook on the web does: the URL in a window of its own, whose page calls
            // Office.context.ui.messageParent (below) once it is done.
            const win = window.open(url, "office-dialog", "popup,width=420,height=640");
            window.addEventListener("message", (ev) => {
              if (ev.source !== win || typeof ev.data?.fakeOfficeMessage !== "string") return;
              log.dialogMessages = (log.dialogMessages || 0) + 1;
              dh[EventType.DialogMessageReceived]?.({ message: ev.data.fakeOfficeMessage, origin: ev.origin });
            });
            dialog.close = () => {
              log.dialogClosed += 1;
              win?.close();
            };
            return;
          }
          // The demo sign-in plays the part of the /auth/login page that calls messageParent.
          fetch("/auth/demo", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ mailbox: cfg.email }),
          })
            .then((r) => r.json())
            .then((s) => dh[EventType.DialogMessageReceived]?.({ message: JSON.stringify(s) }));
        },
        openBrowserWindow: (url) => log.opened.push(url),
        // Inside a dialog window: hand a string to the pane that opened it.
        messageParent: (message) => window.opener?.postMessage({ fakeOfficeMessage: String(message) }, "*"),
      },
    },
  };
  window.Office = Office;
  window.__office = {
    log,
    select(item) {
      Office.context.mailbox.item = withShared(withBody(item));
      handlers[EventType.ItemChanged]?.({ type: EventType.ItemChanged });
    },
  };
})();
