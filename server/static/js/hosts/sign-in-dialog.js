// Outlook's sign-in without SSO: /auth/login in an Office dialog. Loads only when a user signs in,
// so the pane's first load does not carry it.

/** Opens /auth/login in an Office dialog; resolves with {token, mailbox, expiresAt}. */
export function dialogSignIn(Office, url) {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (res) => {
      if (res.status !== Office.AsyncResultStatus.Succeeded) {
        reject(new Error(res.error?.message || "dialog failed"));
        return;
      }
      const dialog = res.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        try {
          const s = JSON.parse(arg.message);
          // The sign-in page sends {"error": {code, message}} when it refused.
          if (s?.error) throw Object.assign(new Error(s.error.message || s.error.code), { code: s.error.code });
          if (!s?.token) throw new Error("no token");
          resolve(s);
        } catch (err) {
          reject(err);
        }
      });
      // 12006: the user closed the dialog.
      dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) =>
        reject(new Error(`dialog closed (${arg?.error})`)),
      );
    });
  });
}
