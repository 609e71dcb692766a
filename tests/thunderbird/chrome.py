"""Chrome-context scripts for ``Thunderbird.js``: each is an async function body that gets
``args`` (the Python arguments) and ends by calling ``resolve``."""


ADD_LOGIN_AND_DISCOVER = """
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const [origin, user, password] = args;
const info = Cc["@mozilla.org/login-manager/loginInfo;1"].createInstance(Ci.nsILoginInfo);
info.init(origin, null, origin, user, password, "", "");
await Services.logins.addLoginAsync(info);
const root = MailServices.accounts.getAccount("account1").incomingServer.rootFolder;
const win = Services.wm.getMostRecentWindow("mail:3pane");
await new Promise((done) => MailServices.imap.discoverAllFolders(
  root, { OnStartRunningUrl() {}, OnStopRunningUrl: () => done() }, win.msgWindow));
resolve(root.descendants.map((f) => f.URI));
"""

ADDON_STATE = """
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
const addon = await AddonManager.getAddonByID(args[0]);
const ext = ExtensionParent.GlobalManager.getExtension(args[0]);
resolve({ active: !!addon?.isActive, version: addon?.version || null,
          background: ext?.backgroundState || null,
          views: [...(ext?.views || [])].map((v) => `${v.viewType} ${v.uri?.spec}`) });
"""

# Select the mail with this Message-ID in the first (three-pane) tab, or open it in a message
# tab; resolves once Thunderbird displays it. Focus stays where it is: an open popup stays open
# when the selection moves within its folder, as it does when a user presses "n".
SHOW_MAIL = """
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const [uri, mid, inTab] = args;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const win = Services.wm.getMostRecentWindow("mail:3pane");
const tabmail = win.document.getElementById("tabmail");
if (tabmail.currentTabInfo !== tabmail.tabInfo[0]) tabmail.switchToTab(0);
const about3Pane = tabmail.currentAbout3Pane;
const folder = MailServices.folderLookup.getFolderForURL(uri);
if (about3Pane.gFolder !== folder) {
  about3Pane.restoreState({ folderURI: uri, messagePaneVisible: true, folderPaneVisible: true });
}
let hdr = null;
for (let i = 0; i < 300 && !hdr; i++) {
  try { hdr = folder.msgDatabase.getMsgHdrForMessageID(mid); } catch {}
  if (!hdr) { if (i % 10 === 0) folder.updateFolder(win.msgWindow); await sleep(100); }
}
if (!hdr) throw new Error(`${mid} did not arrive in ${uri}`);
let aboutMessage;
if (inTab) {
  tabmail.openTab("mailMessageTab", { messageURI: folder.getUriForMsg(hdr), background: false });
  aboutMessage = tabmail.currentAboutMessage;
} else {
  about3Pane.threadTree.selectedIndex = about3Pane.gDBView.findIndexOfMsgHdr(hdr, true);
  aboutMessage = about3Pane.messageBrowser.contentWindow;
}
for (let i = 0; i < 300 && aboutMessage.gMessage?.messageId !== mid; i++) await sleep(100);
if (aboutMessage.gMessage?.messageId !== mid) throw new Error(`${mid} is not displayed`);
resolve(hdr.messageKey);
"""

CLOSE_MESSAGE_TABS = """
const tabmail = Services.wm.getMostRecentWindow("mail:3pane").document.getElementById("tabmail");
for (const tab of [...tabmail.tabInfo]) if (tab.mode.name === "mailMessageTab") tabmail.closeTab(tab);
tabmail.switchToTab(0);
resolve(tabmail.tabInfo.length);
"""

# Screen position of the add-on's message_display_action button in the current tab.
ACTION_BUTTON = """
const tabmail = Services.wm.getMostRecentWindow("mail:3pane").document.getElementById("tabmail");
const aboutMessage = tabmail.currentAboutMessage;
const button = aboutMessage?.document.getElementById(args[0]);
if (!button) return resolve(null);
const r = button.getBoundingClientRect();
resolve([aboutMessage.mozInnerScreenX + r.left + r.width / 2,
         aboutMessage.mozInnerScreenY + r.top + r.height / 2]);
"""

# Run ``code`` (an async function body with ``content``, ``document`` and ``args``) inside the
# first extension/web page whose URL contains ``where``. The page lives in another process: a
# frame script reaches it and posts the result back.
IN_PAGE = """
const [where, code, pageArgs] = args;
let browser = null;
for (const w of Services.wm.getEnumerator(null)) {
  for (const b of w.document.querySelectorAll("browser")) {
    if ((b.currentURI?.spec || "").includes(where)) browser = b;
  }
}
if (!browser) return resolve({ absent: true });
const mm = browser.messageManager;
const name = `tb-test:${Math.random()}`;
const answer = new Promise((done) => mm.addMessageListener(name, function once(m) {
  mm.removeMessageListener(name, once);
  done(m.data);
}));
const send = `sendAsyncMessage(${JSON.stringify(name)}, `;
mm.loadFrameScript("data:," + encodeURIComponent(`(async () => {
  try {
    const value = await (async (content, document, args) => { ${code} })(
      content, content.document, ${pageArgs});
    ${send}{ value });
  } catch (e) { ${send}{ error: String(e) }); }
})();`), false);
const timeout = new Promise((done) => setTimeout(() => done({ error: "no answer from the page" }), 10000));
const r = browser.getBoundingClientRect();
const panel = browser.closest("panel");
resolve({ ...(await Promise.race([answer, timeout])), size: [r.width, r.height],
          panel: panel ? panel.state : null });
"""

# Errors and warnings in Thunderbird's consoles (the error console and console.* calls), newest
# last, from index ``args[0]`` on; ``length`` to start from later.
CONSOLE = """
const [from] = args;
const errors = (Services.console.getMessageArray() || []).map((m) => {
  if (!(m instanceof Ci.nsIScriptError)) return { text: m.message, kind: "message" };
  return { text: m.errorMessage, source: m.sourceName, line: m.lineNumber,
           kind: m.flags & Ci.nsIScriptError.warningFlag ? "warning" : "error", category: m.category };
});
const api = Cc["@mozilla.org/consoleAPI-storage;1"].getService(Ci.nsIConsoleAPIStorage).getEvents()
  .filter((e) => ["error", "warn"].includes(e.level))
  .map((e) => ({ text: (e.arguments || []).map(String).join(" "), source: e.filename, line: e.lineNumber,
                 kind: `console.${e.level}` }));
resolve({ messages: [...errors.slice(from.console), ...api.slice(from.api)],
          length: { console: errors.length, api: api.length } });
"""

TRUST_CA = """
const db = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
db.addCertFromBase64(args[0], "C,,");
resolve(true);
"""

# A PNG of the whole main window with the open popup drawn where it is on screen.
SCREENSHOT = """
const win = Services.wm.getMostRecentWindow("mail:3pane");
const scale = win.devicePixelRatio;
const shot = await win.browsingContext.currentWindowGlobal.drawSnapshot(null, scale, "white");
const canvas = win.document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
canvas.width = shot.width; canvas.height = shot.height;
const ctx = canvas.getContext("2d");
ctx.drawImage(shot, 0, 0);
for (const b of win.document.querySelectorAll("browser")) {
  if (!(b.currentURI?.spec || "").endsWith(args[0]) || b.closest("panel")?.state !== "open") continue;
  const panel = b.closest("panel");
  const p = await b.browsingContext.currentWindowGlobal.drawSnapshot(null, scale, "white");
  const x = (b.screenX - win.mozInnerScreenX) * scale, y = (b.screenY - win.mozInnerScreenY) * scale;
  ctx.drawImage(p, x, y);
  ctx.strokeStyle = "#888"; ctx.strokeRect(x - 0.5, y - 0.5, p.width + 1, p.height + 1);
}
resolve(canvas.toDataURL("image/png"));
"""

# Every open window: its type and the pages in it.
WINDOWS = """
const out = [];
for (const w of Services.wm.getEnumerator(null)) {
  out.push({ type: w.document.documentElement.getAttribute("windowtype"),
             pages: [...w.document.querySelectorAll("browser")].map((b) => b.currentURI?.spec || "") });
}
resolve(out);
"""

# Close the windows showing a page whose URL contains args[0], as a user closing them would.
CLOSE_WINDOWS_WITH = """
let n = 0;
for (const w of Services.wm.getEnumerator(null)) {
  if ([...w.document.querySelectorAll("browser")].some((b) => (b.currentURI?.spec || "").includes(args[0]))) {
    w.close();
    n += 1;
  }
}
resolve(n);
"""

ROOT_FOLDER_URI = """
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
resolve(MailServices.accounts.getAccount("account1").incomingServer.rootFolder.URI);
"""
