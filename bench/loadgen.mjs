#!/usr/bin/env node
// The benchmark's load generator. One scenario, two servers: Switchboard (protocol v1, JSON over a raw WebSocket)
// or the Socket.IO peer in peer/. It measures the connect rate, server memory per connection, deliveries (lost,
// duplicated, out of order), end-to-end latency and the CPU the servers spent while messages flowed.
//
//   node loadgen.mjs --target switchboard|socketio --urls ws://127.0.0.1:18181,ws://127.0.0.1:18182 \
//        --conns 2000 --rooms 20 --senders 20 --rate 200 --seconds 20 [--mode room|direct] [--workers 2] \
//        [--pids PID,PID] [--watch-pids PID,PID] [--json out.json] [--label name]
//
// Layout: connection i is user u<tag>-<i>, one connection per user, on URL i mod #urls, in room
// r<tag>-<floor(i*rooms/conns)>: rooms are blocks of consecutive users, so every room has members on every
// instance and its messages cross instances. Sender j is a connection of block j of conns/senders, shifted by
// j mod #urls so senders sit on every instance. A body starts "<sender>:<seq>:<send time ms>:", so a receiver
// alone finds the latency, duplicates and order. The tag is random, so no run sees another's rooms or users.
// Every phase has a deadline, and a hard limit ends the run whatever happens.
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const HELP = `node loadgen.mjs --target switchboard|socketio [options]
  --urls LIST              server URLs, comma-separated, loopback only (default ws://127.0.0.1:18080)
  --conns N                connections, one user each (default 1000)
  --rooms R                rooms; every user joins one (default 10)
  --senders S              connections that send (default 0: the connections are held idle)
  --rate M                 messages per second, all senders together (default 0)
  --seconds T              sending time, or how long idle connections are held (default 20)
  --mode room|direct       publish to the sender's room, or a direct message to a random other user (default room)
  --body-bytes B           body size, its header included (default 64)
  --workers K              processes sharing the connections: connection i goes to worker i mod K (default 1)
  --pids LIST              the servers' process ids, in the order of --urls: RSS and CPU from /proc
  --watch-pids LIST        more processes whose CPU is reported (bench/run.sh: Redis, RabbitMQ)
  --connect-concurrency C  connection attempts in flight, all workers together (default 200)
  --join-concurrency C     joins in flight, all workers together (default 1000)
  --connect-timeout S      deadline of the connect phase, and of the join phase (default 60)
  --settle S               idle seconds after the joins before memory is read (default 3)
  --drain S                longest wait for deliveries once sending stopped (default 15)
  --quiet S                the wait ends earlier after S seconds without a delivery (default 3)
  --tag X                  prefix of user and room ids (default random)
  --label X                copied into the JSON and the RESULT line
  --json FILE              every figure, as JSON`;

// wall-clock milliseconds with sub-millisecond precision, comparable between the worker processes
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x, digits = 1) => (x == null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

// ------------------------------------------------------------------------------------------- options and layout

function options(argv) {
  const o = {
    target: "", urls: "ws://127.0.0.1:18080", conns: 1000, rooms: 10, senders: 0, rate: 0, seconds: 20, mode: "room",
    bodyBytes: 64, workers: 1, pids: "", watchPids: "", connectConcurrency: 200, joinConcurrency: 1000,
    connectTimeout: 60, settle: 3, drain: 15, quiet: 3, tag: "", label: "", json: "",
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--help" || argv[i] === "-h") { console.log(HELP); process.exit(0); }
    const [, name, inline] = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]) ?? [];
    const key = name?.replace(/-(.)/g, (_, c) => c.toUpperCase());
    if (!key || !(key in o)) throw new Error(`unknown argument ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    o[key] = typeof o[key] === "number" ? Number(value) : value;
    if (Number.isNaN(o[key])) throw new Error(`${argv[i - 1]}: not a number: ${value}`);
  }
  if (!["switchboard", "socketio"].includes(o.target)) throw new Error("--target is switchboard or socketio");
  if (!["room", "direct"].includes(o.mode)) throw new Error("--mode is room or direct");
  o.urls = o.urls.split(",").filter(Boolean);
  for (const url of o.urls) {
    // this machine's loopback only: a load test never leaves it
    const host = new URL(url).hostname;
    if (!(host === "localhost" || host === "[::1]" || /^127\./.test(host))) throw new Error(`not a loopback address: ${url}`);
  }
  const ids = (list) => String(list).split(",").filter(Boolean).map(Number);
  o.pids = ids(o.pids);
  o.watchPids = ids(o.watchPids);
  if (!(o.conns >= 1 && o.conns <= 100000)) throw new Error("--conns is 1..100000");
  if (!(o.seconds >= 0 && o.seconds <= 3600)) throw new Error("--seconds is 0..3600");
  if (!(o.connectTimeout <= 600 && o.drain <= 600 && o.settle <= 600)) throw new Error("waits are at most 600 s");
  o.rooms = Math.max(1, Math.min(o.rooms, o.conns));
  o.senders = Math.max(0, Math.min(o.senders, o.conns));
  o.workers = Math.max(1, Math.min(o.workers, o.conns));
  o.bodyBytes = Math.max(32, Math.min(o.bodyBytes, 4096));
  o.tag ||= Math.random().toString(36).slice(2, 6);
  return o;
}

const userName = (o, i) => `u${o.tag}-${i}`;
const roomIndex = (o, i) => Math.floor((i * o.rooms) / o.conns);
const roomName = (o, r) => `r${o.tag}-${r}`;
const urlIndex = (o, i) => i % o.urls.length;

// connection index -> sender number
function senders(o) {
  const chosen = new Map();
  for (let j = 0; j < o.senders; j++) {
    const first = Math.floor((j * o.conns) / o.senders);
    const next = Math.floor(((j + 1) * o.conns) / o.senders);
    const shifted = first + (j % o.urls.length);
    chosen.set(shifted < next && !chosen.has(shifted) ? shifted : first, j);
  }
  return chosen;
}

// ------------------------------------------------------------------------ latency histogram: 1 % wide buckets

const FLOOR_MS = 0.01;
const GROWTH = Math.log(1.01);
const BUCKETS = 2200; // up to about 9 hours
const histogram = () => new Array(BUCKETS).fill(0);
const record = (h, ms) => { h[ms <= FLOOR_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / FLOOR_MS) / GROWTH))]++; };
const merge = (into, h) => { h.forEach((n, b) => { into[b] += n; }); return into; };
function percentile(h, p) {
  const total = h.reduce((a, n) => a + n, 0);
  if (total === 0) return null;
  let left = Math.ceil(total * p);
  for (let b = 0; b < BUCKETS; b++) if ((left -= h[b]) <= 0) return FLOOR_MS * Math.exp(b * GROWTH);
  return null;
}

// ------------------------------------------------------------------------------- the two servers' clients

// Each client: open() resolves on the welcome, join() on the server's yes; send() hands every outcome to the
// callbacks: delivery(kind, room, id, body), answered(token, refusalCode | null), gone(reason).
function switchboardClient(WebSocket, o, url, user, on) {
  let socket;
  let welcomed;
  let joined;
  const endpoint = new URL(url);
  if (endpoint.pathname === "/") endpoint.pathname = "/ws";
  endpoint.searchParams.set("user_id", user);
  return {
    open: () => new Promise((resolve, reject) => {
      welcomed = { resolve, reject };
      socket = new WebSocket(endpoint, { perMessageDeflate: false, handshakeTimeout: o.connectTimeout * 1000 });
      socket.on("unexpected-response", (_, response) => { reject(new Error(`HTTP ${response.statusCode}`)); socket.terminate(); });
      socket.on("error", (e) => reject(e));
      socket.on("close", (code) => { reject(new Error(`closed ${code}`)); on.gone(`close ${code}`); });
      socket.on("message", (data) => {
        let frame;
        try { frame = JSON.parse(data); } catch { return on.delivery("unreadable"); }
        switch (frame.type) {
          case "message": return on.delivery("room", frame.room, frame.id, frame.body);
          case "direct": return on.delivery("direct", null, frame.id, frame.body);
          case "ack": return on.answered(frame.ref, null);
          case "joined": return joined?.resolve();
          case "welcome": return welcomed.resolve();
          case "error": return frame.ref === "join" ? joined?.reject(new Error(frame.code)) : on.answered(frame.ref, frame.code);
          default: // member_joined, member_left, typing: not what is measured
        }
      });
    }),
    join: (room) => new Promise((resolve, reject) => {
      joined = { resolve, reject };
      socket.send(JSON.stringify({ type: "join", room, ref: "join" }));
    }),
    publish: (room, body, token) => socket.send(JSON.stringify({ type: "publish", room, body, ref: token })),
    direct: (to, body, token) => socket.send(JSON.stringify({ type: "direct", to, body, ref: token })),
    close: () => socket?.terminate(),
  };
}

function socketIoClient(io, o, url, user, on) {
  let socket;
  const answer = (token) => (reply) => on.answered(token, reply?.ok ? null : reply?.code ?? "error");
  return {
    open: () => new Promise((resolve, reject) => {
      socket = io(url, {
        transports: ["websocket"], query: { user_id: user }, reconnection: false, forceNew: true,
        timeout: o.connectTimeout * 1000,
      });
      socket.on("welcome", resolve);
      socket.on("connect_error", reject);
      socket.on("disconnect", (reason) => on.gone(reason));
      socket.on("message", (m) => on.delivery("room", m?.room, m?.id, m?.body));
      socket.on("direct", (m) => on.delivery("direct", null, m?.id, m?.body));
    }),
    join: (room) => new Promise((resolve, reject) => {
      socket.emit("join", room, (reply) => (reply?.ok ? resolve() : reject(new Error(reply?.code ?? "join"))));
    }),
    publish: (room, body, token) => socket.emit("publish", { room, body }, answer(token)),
    direct: (to, body, token) => socket.emit("direct", { to, body }, answer(token)),
    close: () => socket?.disconnect(),
  };
}

// ------------------------------------------------------------------ worker: a share of the connections

async function worker() {
  const o = await new Promise((resolve) => process.once("message", resolve));
  const me = Number(process.env.LOADGEN_WORKER);
  const client = o.target === "switchboard"
    ? switchboardClient.bind(null, (await import("ws")).default, o)
    : socketIoClient.bind(null, (await import("socket.io-client")).io, o);
  const chosen = senders(o);
  // a message's key says who should get it: its room in room mode, its recipient in direct mode
  const keys = o.mode === "room" ? o.rooms : o.conns;
  const tally = {
    sentBy: new Array(keys).fill(0), refusedBy: new Array(keys).fill(0), acked: 0, errors: {}, received: 0,
    duplicates: 0, outOfOrder: 0, outOfOrderIds: 0, foreign: 0, latency: histogram(), maxLatency: 0, ack: histogram(),
    connectLatency: histogram(), connectErrors: {}, joinFailed: 0, disconnects: {}, firstSent: null, lastSent: null,
    lastReceived: null,
  };
  const count = (map, key) => { map[key] = (map[key] ?? 0) + 1; };
  let closing = false;

  const connections = [];
  for (let i = me; i < o.conns; i += o.workers) {
    const c = { i, room: roomIndex(o, i), sender: chosen.get(i), open: false, joined: false, seq: 0, inFlight: new Map(),
      // per sender: the highest seq seen and a bitmap of every seq seen
      heard: new Map(), lastId: "" };
    c.client = client(o.urls[urlIndex(o, i)], userName(o, i), {
      delivery: (kind, room, id, body) => delivered(c, kind, room, id, body),
      answered: (token, refusal) => {
        const pending = c.inFlight.get(token);
        if (!pending) { if (refusal) count(tally.errors, refusal); return; }
        c.inFlight.delete(token);
        if (refusal) { count(tally.errors, refusal); tally.refusedBy[pending.key]++; }
        else { tally.acked++; record(tally.ack, now() - pending.at); }
      },
      gone: (reason) => { if (c.open && !closing) count(tally.disconnects, reason); c.open = false; },
    });
    connections.push(c);
  }

  function delivered(c, kind, room, id, body) {
    const at = now();
    const [sender, seq, sentAt] = typeof body === "string" ? body.split(":", 3).map(Number) : [];
    const ours = kind === "room" ? o.mode === "room" && room === roomName(o, c.room) : o.mode === "direct";
    if (!ours || !Number.isInteger(sender) || !Number.isInteger(seq) || !Number.isFinite(sentAt)) { tally.foreign++; return; }
    let heard = c.heard.get(sender);
    if (!heard) c.heard.set(sender, (heard = { highest: -1, seen: new Uint8Array(64) }));
    if (seq >> 3 >= heard.seen.length) {
      const wider = new Uint8Array(Math.max(heard.seen.length * 2, (seq >> 3) + 1));
      wider.set(heard.seen);
      heard.seen = wider;
    }
    const bit = 1 << (seq & 7);
    if (heard.seen[seq >> 3] & bit) { tally.duplicates++; return; }
    heard.seen[seq >> 3] |= bit;
    tally.received++;
    tally.lastReceived = at;
    const latency = Math.max(0, at - sentAt);
    record(tally.latency, latency);
    tally.maxLatency = Math.max(tally.maxLatency, latency);
    if (seq < heard.highest) tally.outOfOrder++;
    else heard.highest = seq;
    // protocol v1 §4: within a room, ids sort in the order every member gets the messages
    if (o.target === "switchboard" && kind === "room" && typeof id === "string") {
      if (id < c.lastId) tally.outOfOrderIds++;
      else c.lastId = id;
    }
  }

  // run work(item) over items, at most `limit` at a time; an item the deadline overtakes goes to late(item)
  async function bounded(items, limit, deadline, work, late) {
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const item = items[next++];
        if (now() >= deadline) { late(item); continue; }
        let timer;
        const overtaken = new Promise((resolve) => { timer = setTimeout(() => resolve(true), deadline - now()); });
        if (await Promise.race([work(item).then(() => false), overtaken])) late(item);
        clearTimeout(timer);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  }
  const share = (total) => Math.max(1, Math.ceil(total / o.workers));

  // who should get what is sent: a room's members, or (direct messages) every connected user, joined or not
  const listens = (c) => c.open && (c.joined || o.mode === "direct");

  const lag = monitorEventLoopDelay({ resolution: 5 });
  let expected = Infinity;
  const steps = {
    async connect() {
      const start = now();
      await bounded(connections, share(o.connectConcurrency), start + o.connectTimeout * 1000, async (c) => {
        const at = now();
        try {
          await c.client.open();
          // a welcome the deadline overtook was already counted as a failure
          if (now() >= start + o.connectTimeout * 1000) return;
          c.open = true;
          record(tally.connectLatency, now() - at);
        } catch (e) {
          count(tally.connectErrors, String(e?.message ?? e).slice(0, 40));
        }
      }, () => count(tally.connectErrors, "deadline"));
      for (const c of connections) if (!c.open) c.client.close();
      return { start, end: now(), connected: connections.filter((c) => c.open).length };
    },
    async join() {
      const start = now();
      const open = connections.filter((c) => c.open);
      await bounded(open, share(o.joinConcurrency), start + o.connectTimeout * 1000, async (c) => {
        try {
          await c.client.join(roomName(o, c.room));
          c.joined = true;
        } catch (e) {
          count(tally.errors, `join ${String(e?.message ?? e).slice(0, 30)}`);
        }
      }, () => count(tally.errors, "join deadline"));
      tally.joinFailed = open.filter((c) => !c.joined).length;
      return { start, end: now(), joined: connections.filter((c) => c.joined).length };
    },
    async send({ startAt, endAt }) {
      const mine = connections.filter((c) => c.sender !== undefined && c.joined);
      const rate = (o.rate * connections.filter((c) => c.sender !== undefined).length) / Math.max(1, o.senders);
      const padding = "x".repeat(o.bodyBytes);
      await sleep(startAt - now());
      lag.enable();
      const cpu = process.cpuUsage();
      let sent = 0;
      let turn = 0;
      while (mine.length > 0 && rate > 0) {
        // open loop: what the schedule says is due goes out, answered or not
        const t = now();
        const due = Math.floor(((Math.min(t, endAt) - startAt) / 1000) * rate);
        for (; sent < due; sent++) {
          const c = mine[turn++ % mine.length];
          const seq = c.seq++;
          let to;
          if (o.mode === "direct") {
            to = Math.floor(Math.random() * (o.conns - 1));
            if (to >= c.i) to++;
          }
          const key = o.mode === "room" ? c.room : to;
          tally.sentBy[key]++;
          if (!c.open) { count(tally.errors, "sender closed"); tally.refusedBy[key]++; continue; }
          const head = `${c.sender}:${seq}:${now().toFixed(3)}:`;
          const body = head + padding.slice(head.length);
          const token = `s${seq}`;
          c.inFlight.set(token, { at: now(), key });
          if (o.mode === "room") c.client.publish(roomName(o, c.room), body, token);
          else c.client.direct(userName(o, to), body, token);
          tally.firstSent ??= now();
        }
        tally.lastSent = now();
        if (t >= endAt) break;
        await sleep(2);
      }
      await sleep(endAt - now());
      const used = process.cpuUsage(cpu);
      tally.cpuMs = (used.user + used.system) / 1000;
      tally.wallMs = now() - startAt;
      return { sentBy: tally.sentBy };
    },
    // everyone's sends are known now: wait for what this worker's connections should get
    async drain({ sentBy, drainMs, quietMs }) {
      const start = now();
      expected = 0;
      for (const c of connections) {
        if (listens(c)) expected += sentBy[o.mode === "room" ? c.room : c.i];
      }
      let lastCount = tally.received;
      let lastChange = start;
      while (tally.received < expected && now() - start < drainMs) {
        await sleep(20);
        if (tally.received !== lastCount) { lastCount = tally.received; lastChange = now(); }
        if (now() - lastChange >= quietMs) break;
      }
      return { ms: now() - start };
    },
    async report() {
      lag.disable();
      // the timer fires once per 5 ms period: only the delay beyond it is lag
      const beyond = (ns) => (lag.count ? Math.max(0, ns / 1e6 - 5) : 0);
      const noReply = connections.reduce((a, c) => a + c.inFlight.size, 0);
      const members = new Array(o.rooms).fill(0);
      const listening = new Array(o.conns).fill(0);
      for (const c of connections) {
        if (c.open && c.joined) members[c.room]++;
        if (listens(c)) listening[c.i] = 1;
      }
      const openOn = o.urls.map((_, k) => connections.filter((c) => c.open && urlIndex(o, c.i) === k).length);
      return { ...tally, noReply, members, listening, openOn, open: connections.filter((c) => c.open).length,
        lagP99: beyond(lag.percentile(99)), lagMax: beyond(lag.max), rss: process.memoryUsage().rss };
    },
    async close() {
      closing = true;
      for (const c of connections) c.client.close();
      setTimeout(() => process.exit(0), 300);
      return {};
    },
  };
  process.on("message", ({ step, ...args }) => {
    steps[step](args).then((result) => process.send({ step, result }),
      (e) => { process.send({ step, failed: String(e?.stack ?? e) }); process.exit(1); });
  });
  process.on("disconnect", () => process.exit(0)); // never outlive the coordinator
  process.send({ step: "ready" });
}

// ------------------------------------------------------------------- coordinator: phases, /proc, report

// VmRSS and CPU ticks (user + system) of a process; null figures when it is gone
function sample(pid) {
  try {
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { at: now(), rssKb: rss ? Number(rss[1]) : null, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return { at: now(), rssKb: null, ticks: null };
  }
}
const TICKS_PER_S = 100; // Linux USER_HZ
const cpuPercent = (a, b) => (a.ticks == null || b.ticks == null ? null : (100 * 1000 * (b.ticks - a.ticks)) / TICKS_PER_S / (b.at - a.at));

async function coordinator() {
  let o;
  try { o = options(process.argv.slice(2)); } catch (e) { console.error(`${e.message}\n\n${HELP}`); process.exit(2); }
  const say = (line) => console.log(`[loadgen] ${line}`);
  const children = [];
  const limitS = 2 * o.connectTimeout + o.settle + o.seconds + o.drain + 60;
  setTimeout(() => {
    console.error(`[loadgen] stopped by the hard limit of ${limitS} s`);
    for (const child of children) child.kill("SIGKILL");
    process.exit(3);
  }, limitS * 1000).unref();

  const replies = [];
  const wake = [];
  for (let w = 0; w < o.workers; w++) {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, LOADGEN_WORKER: String(w) } });
    child.on("message", (m) => {
      if (m.failed) { console.error(`[loadgen] worker ${w}: ${m.failed}`); for (const c of children) c.kill("SIGKILL"); process.exit(1); }
      replies.push({ ...m, w });
      wake.splice(0).forEach((f) => f());
    });
    child.send(o);
    children.push(child);
  }
  // every worker's answer to one step, in worker order
  async function answers(step, seconds) {
    const deadline = now() + seconds * 1000;
    for (;;) {
      const got = replies.filter((m) => m.step === step);
      if (got.length === children.length) {
        for (const m of got) replies.splice(replies.indexOf(m), 1);
        return got.sort((a, b) => a.w - b.w).map((m) => m.result);
      }
      if (now() > deadline) throw new Error(`workers did not finish ${step} in ${seconds} s`);
      await new Promise((resolve) => { wake.push(resolve); setTimeout(resolve, 500); });
    }
  }
  const all = (step, args, seconds) => { for (const c of children) c.send({ step, ...args }); return answers(step, seconds); };
  const everyPid = [...o.pids, ...o.watchPids];
  const snapshot = () => Object.fromEntries(everyPid.map((pid) => [pid, sample(pid)]));

  await answers("ready", 30);
  say(`${o.target} ${o.mode}: ${o.conns} connections, ${o.rooms} rooms, ${o.senders} senders, ${o.rate} msg/s, ${o.seconds} s, ${o.workers} workers, tag ${o.tag}`);
  const before = snapshot();
  const connected = await all("connect", {}, o.connectTimeout + 30);
  const connectS = (Math.max(...connected.map((r) => r.end)) - Math.min(...connected.map((r) => r.start))) / 1000;
  const connectedCount = connected.reduce((a, r) => a + r.connected, 0);
  say(`connected ${connectedCount}/${o.conns} in ${connectS.toFixed(2)} s`);
  const joins = await all("join", {}, o.connectTimeout + 30);
  const joinS = (Math.max(...joins.map((r) => r.end)) - Math.min(...joins.map((r) => r.start))) / 1000;
  say(`joined ${joins.reduce((a, r) => a + r.joined, 0)} in ${joinS.toFixed(2)} s; settling ${o.settle} s`);
  await sleep(o.settle * 1000);
  const idle = snapshot();

  const sending = o.senders > 0 && o.rate > 0;
  const startAt = now() + 500;
  const endAt = startAt + o.seconds * 1000;
  const sendReplies = all("send", { startAt, endAt }, o.seconds + 60);
  await sleep(startAt - now());
  const sendStart = snapshot();
  const sends = await sendReplies;
  const sendEnd = snapshot();
  const sentBy = sends[0].sentBy.map((_, k) => sends.reduce((a, r) => a + r.sentBy[k], 0));
  let drainS = 0;
  if (sending) {
    const drains = await all("drain", { sentBy, drainMs: o.drain * 1000, quietMs: o.quiet * 1000 }, o.drain + 30);
    drainS = Math.max(...drains.map((r) => r.ms)) / 1000;
  }
  const end = snapshot();
  const parts = await all("report", {}, 30);
  await all("close", {}, 10).catch(() => {});

  // ---- one tally out of the workers'
  const sum = (f) => parts.reduce((a, p) => a + (f(p) ?? 0), 0);
  const combine = (f) => parts.reduce((into, p) => merge(into, f(p)), histogram());
  const counts = (f) => parts.reduce((into, p) => { for (const [k, n] of Object.entries(f(p))) into[k] = (into[k] ?? 0) + n; return into; }, {});
  const refusedBy = sentBy.map((_, k) => parts.reduce((a, p) => a + p.refusedBy[k], 0));
  const members = new Array(o.rooms).fill(0).map((_, r) => parts.reduce((a, p) => a + p.members[r], 0));
  const listening = new Array(o.conns).fill(0).map((_, i) => parts.reduce((a, p) => a + p.listening[i], 0));
  // refused messages are answered, not lost: they are not expected
  const accepted = sentBy.map((n, k) => n - refusedBy[k]);
  const expected = !sending ? 0 : o.mode === "room"
    ? accepted.reduce((a, n, r) => a + n * members[r], 0)
    : accepted.reduce((a, n, i) => a + n * listening[i], 0);
  const received = sum((p) => p.received);
  const lost = Math.max(0, expected - received);
  const latency = combine((p) => p.latency);
  const ack = combine((p) => p.ack);
  const connectLatency = combine((p) => p.connectLatency);
  const firstSent = Math.min(...parts.map((p) => p.firstSent ?? Infinity));
  const lastSent = Math.max(...parts.map((p) => p.lastSent ?? -Infinity));
  const lastReceived = Math.max(...parts.map((p) => p.lastReceived ?? -Infinity));
  const published = sentBy.reduce((a, n) => a + n, 0);
  const refused = refusedBy.reduce((a, n) => a + n, 0);
  const lgCpuMs = sum((p) => p.cpuMs);
  const lgWallMs = Math.max(...parts.map((p) => p.wallMs ?? 0));

  // memory per connection: the connections each instance holds, whether or not their join went through
  const openOn = o.urls.map((_, k) => sum((p) => p.openOn[k]));
  const instances = o.pids.map((pid, k) => {
    const conns = o.pids.length === o.urls.length ? openOn[k] : openOn.reduce((a, n) => a + n, 0);
    const [b, i, e] = [before[pid].rssKb, idle[pid].rssKb, end[pid].rssKb];
    return {
      pid, url: o.pids.length === o.urls.length ? o.urls[k] : null, conns, rssBeforeKb: b, rssIdleKb: i, rssEndKb: e,
      rssPerConnKb: b != null && i != null && conns > 0 ? round((i - b) / conns, 3) : null,
      cpuPublishPct: cpuPercent(sendStart[pid], sendEnd[pid]),
    };
  });
  const watched = o.watchPids.map((pid) => ({ pid, rssEndKb: end[pid].rssKb, cpuPublishPct: cpuPercent(sendStart[pid], sendEnd[pid]) }));
  const rssGrowthKb = instances.reduce((a, p) => a + (p.rssIdleKb ?? 0) - (p.rssBeforeKb ?? 0), 0);
  const result = {
    date: new Date().toISOString(), label: o.label, target: o.target, mode: o.mode, urls: o.urls, conns: o.conns,
    rooms: o.rooms, senders: o.senders, rate: o.rate, seconds: o.seconds, bodyBytes: o.bodyBytes, workers: o.workers,
    tag: o.tag, connected: connectedCount, connectFailed: o.conns - connectedCount, connectErrors: counts((p) => p.connectErrors),
    connectS: round(connectS, 2), connsPerS: round(connectedCount / connectS), connectP50Ms: round(percentile(connectLatency, 0.5), 2),
    connectP99Ms: round(percentile(connectLatency, 0.99), 2), joined: members.reduce((a, n) => a + n, 0),
    joinFailed: sum((p) => p.joinFailed), joinS: round(joinS, 2),
    rssPerConnKb: instances.length ? round(rssGrowthKb / Math.max(1, connectedCount), 2) : null, instances, watched,
    published, publishRatePerS: sending ? round(published / ((lastSent - firstSent) / 1000)) : null, acked: sum((p) => p.acked),
    rejected: refused, noReply: sum((p) => p.noReply), errors: counts((p) => p.errors), expected, received, lost,
    lossPct: expected ? round((100 * lost) / expected, 2) : 0, dups: sum((p) => p.duplicates), foreign: sum((p) => p.foreign),
    outOfOrder: sum((p) => p.outOfOrder), outOfOrderIds: o.target === "switchboard" ? sum((p) => p.outOfOrderIds) : null,
    deliveredPerS: received ? round(received / ((lastReceived - firstSent) / 1000)) : null,
    latencyMs: {
      p50: round(percentile(latency, 0.5), 2), p95: round(percentile(latency, 0.95), 2),
      p99: round(percentile(latency, 0.99), 2), max: round(Math.max(...parts.map((p) => p.maxLatency)), 2),
    },
    ackMs: { p50: round(percentile(ack, 0.5), 2), p99: round(percentile(ack, 0.99), 2) },
    drainS: round(drainS, 2), drainReached: received >= expected, disconnects: counts((p) => p.disconnects),
    openAtEnd: sum((p) => p.open),
    loadgen: {
      cpuPct: lgWallMs ? round((100 * lgCpuMs) / lgWallMs) : null, eventLoopLagP99Ms: round(Math.max(...parts.map((p) => p.lagP99))),
      eventLoopLagMaxMs: round(Math.max(...parts.map((p) => p.lagMax))), rssMb: round(sum((p) => p.rss) / 1048576),
    },
  };
  if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2) + "\n");

  const serverCpu = instances.reduce((a, p) => a + (p.cpuPublishPct ?? 0), 0);
  for (const p of instances) {
    say(`server ${p.pid}: ${p.conns} connections, RSS ${p.rssBeforeKb} → ${p.rssIdleKb} → ${p.rssEndKb} KB, CPU ${round(p.cpuPublishPct)} %`);
  }
  if (sending) {
    say(`sent ${published}, acked ${result.acked}, refused ${refused} ${JSON.stringify(result.errors)}; expected ${expected}, received ${received}, duplicates ${result.dups}, out of order ${result.outOfOrder}`);
  }
  if (result.connectFailed) say(`WARN ${result.connectFailed} connections failed: ${JSON.stringify(result.connectErrors)}`);
  if (result.joinFailed) say(`WARN ${result.joinFailed} joins failed`);
  if (result.loadgen.eventLoopLagP99Ms > 50) say("WARN the load generator was saturated (event-loop lag p99 over 50 ms): its own delay is in the latencies");
  const line = {
    target: o.target, mode: o.mode, conns: o.conns, rooms: o.rooms, senders: o.senders, rate: o.rate, seconds: o.seconds,
    connected: connectedCount, connect_failed: result.connectFailed, conns_per_s: result.connsPerS, rss_kb_per_conn: result.rssPerConnKb,
    published, acked: result.acked, refused, expected, received, lost, dups: result.dups, ooo: result.outOfOrder,
    ...(result.outOfOrderIds != null ? { ooo_ids: result.outOfOrderIds } : {}), delivered_per_s: result.deliveredPerS,
    p50_ms: result.latencyMs.p50, p99_ms: result.latencyMs.p99, max_ms: result.latencyMs.max, server_cpu_pct: round(serverCpu),
    lg_cpu_pct: result.loadgen.cpuPct, lg_lag_p99_ms: result.loadgen.eventLoopLagP99Ms, ...(o.label ? { label: o.label } : {}),
  };
  console.log(`RESULT ${Object.entries(line).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  process.exit(0);
}

if (process.env.LOADGEN_WORKER !== undefined) worker();
else coordinator().catch((e) => { console.error(e?.stack ?? e); process.exit(1); });
