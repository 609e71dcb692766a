// The session token the backend issued ({token, mailbox, expiresAt}), kept in a Web Storage.

export const SESSION_KEY = "onoffice.session";

export function createSessionStore(storage, key = SESSION_KEY, now = () => Date.now()) {
  function read() {
    try {
      const s = JSON.parse(storage.getItem(key) || "null");
      if (!s?.token) return null;
      if (s.expiresAt && Date.parse(s.expiresAt) <= now()) {
        storage.removeItem(key);
        return null;
      }
      return s;
    } catch {
      return null;
    }
  }
  return {
    read,
    token: () => read()?.token || null,
    save(session) {
      if (!session?.token) throw new Error("no token in session");
      storage.setItem(key, JSON.stringify({ token: session.token, mailbox: session.mailbox, expiresAt: session.expiresAt }));
    },
    clear: () => storage.removeItem(key),
  };
}
