// Start-up of the Thunderbird popup: same core as the Outlook pane, Thunderbird host adapter.
import { createApi } from "../js/core/api.js";
import { mountPane } from "../js/core/pane.js";
import { backendUrl, createThunderbirdHost } from "../js/hosts/thunderbird.js";

const root = document.getElementById("pane");
const params = new URL(location.href).searchParams;
const tabParam = params.get("tabId"); // lets tests and a tab-opened popup name the mail tab
const baked = await (await fetch(new URL("../config.json", import.meta.url))).json();
const base = await backendUrl(messenger, baked.backendUrl);
const host = createThunderbirdHost({ messenger, tabId: tabParam ? Number(tabParam) : undefined });
const api = createApi({ baseUrl: base, getToken: () => host.getToken() });
root.dataset.host = host.name;
(await mountPane(root, { host, api })).load();
