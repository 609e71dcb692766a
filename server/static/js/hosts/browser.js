// The pane in a plain browser (no Office around it): the demo backend offers demo mails to pick;
// a real deployment has none (404) and gets a page that says where the pane runs instead.
// Loaded only outside Outlook, so Outlook's first load does not carry it.
import { createDemoHost } from "./demo.js";

/** @returns {Promise<object|null>} the demo host, or null when the outside page was shown */
export async function browserHost(root, api) {
  const first = api.demoMessages();
  if (await first.then(() => false, (err) => err?.status === 404)) {
    (await import("../outside-office.js")).mountOutside(root, navigator.language);
    return null;
  }
  // The first answer is reused once; a retry after a failure asks again.
  let pending = first;
  const demoMessages = () => pending?.finally(() => (pending = null)) ?? api.demoMessages();
  return createDemoHost({ api: { ...api, demoMessages }, storage: localStorage, language: navigator.language });
}
