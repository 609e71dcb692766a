// Debounced search that cancels stale requests: only the latest query may answer.

/**
 * @param {object} o
 * @param {(q: string, signal: AbortSignal) => Promise<any>} o.run
 * @param {(state: {q: string, status: "idle"|"short"|"busy"|"done"|"error", data?: any, error?: any}) => void} o.onState
 * @param {number} [o.delay] milliseconds of quiet typing before a request starts
 * @param {number} [o.minLength]
 */
export function createSearch({ run, onState, delay = 250, minLength = 2, timers = globalThis }) {
  let timer = null;
  let controller = null;
  let seq = 0;

  function cancel() {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (controller) controller.abort();
    controller = null;
  }

  function input(raw) {
    const q = String(raw || "").trim();
    cancel();
    const mine = ++seq;
    if (!q) return onState({ q, status: "idle" });
    if (q.length < minLength) return onState({ q, status: "short" });
    timer = timers.setTimeout(async () => {
      timer = null;
      controller = new AbortController();
      const { signal } = controller;
      onState({ q, status: "busy" });
      try {
        const data = await run(q, signal);
        if (mine === seq && !signal.aborted) onState({ q, status: "done", data });
      } catch (error) {
        if (error?.name === "AbortError" || signal.aborted || mine !== seq) return;
        onState({ q, status: "error", error });
      }
    }, delay);
  }

  return { input, cancel };
}
