// Start-up of taskpane.html: Outlook when Office.js finds a host, a plain browser otherwise.
import { createApi } from "./core/api.js";
import { mountPane } from "./core/pane.js";
import { detectOfficeHost } from "./hosts/office-ready.js";
import { createOutlookHost } from "./hosts/outlook.js";

const root = document.getElementById("pane");
const Office = globalThis.Office;
let host;
const api = createApi({ baseUrl: "", getToken: () => host.getToken() });
if ((await detectOfficeHost(Office)) === "Outlook") {
  host = createOutlookHost({ Office, storage: localStorage, publicUrl: location.origin });
} else {
  host = await (await import("./hosts/browser.js")).browserHost(root, api);
}
if (host) {
  root.dataset.host = host.name;
  (await mountPane(root, { host, api })).load();
}
