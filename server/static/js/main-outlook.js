// Start-up of taskpane.html: Outlook when Office.js finds a host, the browser demo otherwise.
import { createApi } from "./core/api.js";
import { mountPane } from "./core/pane.js";
import { createDemoHost } from "./hosts/demo.js";
import { detectOfficeHost } from "./hosts/office-ready.js";
import { createOutlookHost } from "./hosts/outlook.js";

const root = document.getElementById("pane");
const Office = globalThis.Office;
const officeHost = await detectOfficeHost(Office);
let host;
const api = createApi({ baseUrl: "", getToken: () => host.getToken() });
if (officeHost === "Outlook") {
  host = createOutlookHost({ Office, storage: localStorage, publicUrl: location.origin });
} else {
  const lang = new URL(location.href).searchParams.get("lang") || navigator.language;
  host = createDemoHost({ api, storage: localStorage, language: lang });
}
root.dataset.host = host.name;
mountPane(root, { host, api }).load();
