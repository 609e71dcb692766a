// Finds out whether the pane runs inside Outlook: Office.onReady resolves with host null in a
// plain browser, and office.js may be missing entirely (blocked, offline).

/** @returns {Promise<string|null>} e.g. "Outlook", or null for "no Office host" */
export async function detectOfficeHost(Office, timeoutMs = 4000, timers = globalThis) {
  if (!Office?.onReady) return null;
  let timer;
  const timeout = new Promise((resolve) => {
    timer = timers.setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const info = await Promise.race([Office.onReady(), timeout]);
    return info?.host || null;
  } catch {
    return null;
  } finally {
    timers.clearTimeout(timer);
  }
}
