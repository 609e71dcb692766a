import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { createSearch } from "../../server/static/js/core/search.js";

function setup(run) {
  mock.timers.enable({ apis: ["setTimeout"] });
  const states = [];
  const s = createSearch({ run, onState: (st) => states.push(st), delay: 250 });
  return { s, states };
}

const flush = () => new Promise((r) => setImmediate(r));

test("typing fast sends one request, for the last text, after 250 ms of quiet", async (t) => {
  t.after(() => mock.timers.reset());
  const asked = [];
  const { s, states } = setup(async (q) => (asked.push(q), [q]));
  s.input("Mü");
  mock.timers.tick(100);
  s.input("Müll");
  mock.timers.tick(249);
  assert.deepEqual(asked, []);
  mock.timers.tick(1);
  await flush();
  assert.deepEqual(asked, ["Müll"]);
  assert.deepEqual(states.at(-1), { q: "Müll", status: "done", data: ["Müll"] });
});

test("a newer query aborts the running request and its late answer is dropped", async (t) => {
  t.after(() => mock.timers.reset());
  const pending = [];
  const { s, states } = setup(
    (q, signal) =>
      new Promise((resolve) => {
        pending.push({ q, signal, resolve });
      }),
  );
  s.input("Haus");
  mock.timers.tick(250);
  assert.equal(pending.length, 1);
  s.input("Hausb");
  assert.equal(pending[0].signal.aborted, true);
  mock.timers.tick(250);
  pending[0].resolve(["stale"]);
  pending[1].resolve(["fresh"]);
  await flush();
  const done = states.filter((x) => x.status === "done");
  assert.deepEqual(done, [{ q: "Hausb", status: "done", data: ["fresh"] }]);
});

test("short and empty input send nothing; errors are reported, aborts are not", async (t) => {
  t.after(() => mock.timers.reset());
  let n = 0;
  const { s, states } = setup(async () => {
    n += 1;
    throw Object.assign(new Error("down"), { code: "onoffice_unreachable" });
  });
  s.input("a");
  s.input("   ");
  mock.timers.tick(1000);
  assert.equal(n, 0);
  assert.deepEqual(states.map((x) => x.status), ["short", "idle"]);
  s.input("abc");
  mock.timers.tick(250);
  await flush();
  assert.equal(states.at(-1).status, "error");
  assert.equal(states.at(-1).error.code, "onoffice_unreachable");
});
