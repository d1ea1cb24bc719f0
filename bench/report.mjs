// Turns the load generator's JSON files in a results folder into RESULTS.md (stdout) and the .dat files plots.gp
// draws. Usage: node report.mjs <results dir> <machine description> <Switchboard JVM options> <event loops per instance>
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, machine, javaOpts, eventLoops] = process.argv.slice(2);
const runs = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  runs[file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, file), "utf8"));
}
const servers = ["switchboard", "peer"];
const cpu = (r) => r.instances.reduce((sum, i) => sum + i.cpuPublishPct, 0);
const fmt = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? "–" : Number(x).toFixed(digits));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? "–" : `${fmt(a / b, 2)}×`);
const out = [];
const say = (line = "") => out.push(line);

// fan-out at 200 msg/s (the targets' 20,000 deliveries/s) and 400: the run with the median CPU of each server
const fanoutRuns = (rate, s) => Object.keys(runs).filter((n) => n.startsWith(`fanout-${rate}-`) && n.endsWith(`-${s}`)).map((n) => runs[n]);
const fanoutAt = {};
for (const rate of [200, 400]) {
  fanoutAt[rate] = {};
  for (const s of servers) {
    const list = fanoutRuns(rate, s);
    if (list.length) fanoutAt[rate][s] = { median: list.find((r) => cpu(r) === median(list.map(cpu))), all: list };
  }
}
const fanout = fanoutAt[200].switchboard ? fanoutAt[200] : fanoutAt[400];
const ceiling = {};
for (const s of servers) {
  const steps = Object.keys(runs).filter((n) => n.startsWith(`ceiling-${s}-`)).map((n) => runs[n]).sort((a, b) => a.rate - b.rate);
  const ok = steps.filter((r) => r.lost === 0 && r.latencyMs.p99 < 250);
  const fast = steps.filter((r) => r.lost === 0 && r.latencyMs.p99 < 50);
  ceiling[s] = { steps, ok: ok.at(-1), fast: fast.at(-1) };
}
const get = (name) => runs[name];

say("# Benchmark results");
say();
say(`Machine: ${machine}. Loopback only; Redis and RabbitMQ on the same machine; the load generator, both servers and`);
say(`Redis share its cores. Switchboard: two instances, distributed engine, ${eventLoops} event loop(s) each`);
say(`(\`QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE\`), JVM options \`${javaOpts}\`.`);
say("Peer: two instances of `bench/peer` (Socket.IO 4 + @socket.io/redis-adapter) on the same Redis.");
say("Every publishing run follows an unmeasured 10 s warm-up at the same load, for both servers alike.");
say("Reproduce: `bench/run.sh` (all scenarios, about 40 minutes) or `bench/run.sh <scenario>`. Profiles: [profile.md](profile.md).");
say();
say("## Targets");
say();
say("| target | Switchboard | peer | ratio | met |");
say("|---|---|---|---|---|");
const clean = (r) => r.lost === 0 && r.outOfOrder === 0 && (r.outOfOrderIds ?? 0) === 0;
for (const [rate, at] of Object.entries(fanoutAt)) {
  if (!at.switchboard || !at.peer) continue;
  const [a, b] = [at.switchboard.median, at.peer.median];
  const label = `fan-out ${rate} msg/s × 100 members (${rate * 100} deliveries/s)`;
  say(`| ${label}: server CPU ≤ 0.5× peer (median of ${at.switchboard.all.length}) | ${fmt(cpu(a))} % | ${fmt(cpu(b))} % | ${ratio(cpu(a), cpu(b))} | ${cpu(a) <= 0.5 * cpu(b) ? "yes" : "no"} |`);
  say(`| fan-out ${rate}: p99 ≤ 50 ms | ${fmt(a.latencyMs.p99)} ms | ${fmt(b.latencyMs.p99)} ms | | ${a.latencyMs.p99 <= 50 ? "yes" : "no"} |`);
  say(`| fan-out ${rate}: 0 lost, 0 out of order (all runs) | ${at.switchboard.all.every(clean) ? "0 / 0" : "see runs"} | ${at.peer.all.every(clean) ? "0 / 0" : "see runs"} | | ${at.switchboard.all.every(clean) ? "yes" : "no"} |`);
}
const idle = { switchboard: get("idle-switchboard"), peer: get("idle-peer") };
if (idle.switchboard && idle.peer) {
  const [a, b] = [idle.switchboard, idle.peer];
  say(`| idle: RSS per connection ≤ 8 KB and ≤ 0.5× peer | ${fmt(a.rssPerConnKb)} KB | ${fmt(b.rssPerConnKb)} KB | ${ratio(a.rssPerConnKb, b.rssPerConnKb)} | ${a.rssPerConnKb <= 8 && a.rssPerConnKb <= 0.5 * b.rssPerConnKb ? "yes" : "no"} |`);
  say(`| idle: 10,000 connections on one instance | ${a.connected} | ${b.connected} | | ${a.connected >= 10000 ? "yes" : "no"} |`);
  say(`| connect rate ≥ peer (10,000 connections) | ${fmt(a.connsPerS, 0)} /s | ${fmt(b.connsPerS, 0)} /s | ${ratio(a.connsPerS, b.connsPerS)} | ${a.connsPerS >= b.connsPerS ? "yes" : "no"} |`);
}
const joins = { switchboard: get("joins-switchboard"), peer: get("joins-peer") };
if (joins.switchboard && joins.peer) {
  const [a, b] = [joins.switchboard, joins.peer];
  say(`| join burst (10,000 joins into 100 rooms of 100, 1,000 in flight): refused / time | ${a.joinFailed} / ${fmt(a.joinS)} s | ${b.joinFailed} / ${fmt(b.joinS)} s | | ${a.joinFailed === 0 ? "yes" : "no"} |`);
}
const direct = { switchboard: get("direct-switchboard"), peer: get("direct-peer") };
if (direct.switchboard && direct.peer) {
  const [a, b] = [direct.switchboard, direct.peer];
  say(`| direct 1,000 msg/s across instances: p99 ≤ peer | ${fmt(a.latencyMs.p99)} ms | ${fmt(b.latencyMs.p99)} ms | ${ratio(a.latencyMs.p99, b.latencyMs.p99)} | ${a.latencyMs.p99 <= b.latencyMs.p99 ? "yes" : "no"} |`);
  say(`| direct: server CPU ≤ peer | ${fmt(cpu(a))} % | ${fmt(cpu(b))} % | ${ratio(cpu(a), cpu(b))} | ${cpu(a) <= cpu(b) ? "yes" : "no"} |`);
  // what the machine spends, not only the servers: Switchboard's direct messages also cost RabbitMQ
  const machine = (r) => (r.watched?.length >= 2 ? cpu(r) + r.watched[0].cpuPublishPct + r.watched[1].cpuPublishPct : undefined);
  say(`| direct: server + Redis + RabbitMQ CPU (no target) | ${fmt(machine(a))} % | ${fmt(machine(b))} % | ${ratio(machine(a), machine(b))} | |`);
  say(`| direct: 0 lost | ${a.lost} | ${b.lost} | | ${a.lost === 0 ? "yes" : "no"} |`);
}
const direct3000 = { switchboard: get("direct-3000-switchboard"), peer: get("direct-3000-peer") };
if (direct3000.switchboard && direct3000.peer) {
  const [a, b] = [direct3000.switchboard, direct3000.peer];
  say(`| direct 3,000 msg/s (no target): p99 / server CPU / lost | ${fmt(a.latencyMs.p99)} ms / ${fmt(cpu(a))} % / ${a.lost} | ${fmt(b.latencyMs.p99)} ms / ${fmt(cpu(b))} % / ${b.lost} | ${ratio(a.latencyMs.p99, b.latencyMs.p99)} | |`);
}
if (ceiling.switchboard.steps.length && ceiling.peer.steps.length) {
  const rate = (c) => (c.ok ? c.ok.rate : 0);
  say(`| fan-out ceiling (p99 < 250 ms, 0 lost) ≥ peer: publish rate | ${rate(ceiling.switchboard)} msg/s | ${rate(ceiling.peer)} msg/s | ${ratio(rate(ceiling.switchboard), rate(ceiling.peer))} | ${rate(ceiling.switchboard) >= rate(ceiling.peer) ? "yes" : "no"} |`);
  const fast = (c) => (c.fast ? c.fast.deliveredPerS : 0);
  say(`| sustained deliveries/s at p99 < 50 ms | ${fmt(fast(ceiling.switchboard), 0)} | ${fmt(fast(ceiling.peer), 0)} | ${ratio(fast(ceiling.switchboard), fast(ceiling.peer))} | |`);
}
const memory = { switchboard: get("memory-switchboard"), peer: get("memory-peer") };
if (memory.switchboard && memory.peer) {
  const [a, b] = [memory.switchboard, memory.peer];
  say(`| single process (memory engine vs one peer), fan-out 400: server CPU | ${fmt(cpu(a))} % (p99 ${fmt(a.latencyMs.p99)} ms) | ${fmt(cpu(b))} % (p99 ${fmt(b.latencyMs.p99)} ms) | ${ratio(cpu(a), cpu(b))} | |`);
}
say();
say("![fan-out ceiling](ceiling.png)");
say();
say("![side by side](summary.png)");
say();

say("## Every run");
say();
say("| run | server | conns | rate/s | connected | conn/s | RSS KB/conn | delivered/s | p50 ms | p99 ms | max ms | lost | ooo | joins refused | server CPU % | Redis CPU % | RabbitMQ CPU % | loadgen CPU % | loadgen lag p99 ms |");
say("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const [name, r] of Object.entries(runs).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))) {
  const publishing = r.senders > 0;
  say(`| ${name} | ${r.target} | ${r.conns} | ${r.rate} | ${r.connected} | ${fmt(r.connsPerS, 0)} | ${fmt(r.rssPerConnKb)} | ${publishing ? fmt(r.deliveredPerS, 0) : ""} | ${publishing ? fmt(r.latencyMs.p50) : ""} | ${publishing ? fmt(r.latencyMs.p99) : ""} | ${publishing ? fmt(r.latencyMs.max) : ""} | ${publishing ? r.lost : ""} | ${publishing ? `${r.outOfOrder}/${r.outOfOrderIds ?? "–"}` : ""} | ${r.joinFailed ?? "–"} | ${publishing ? fmt(cpu(r)) : ""} | ${publishing ? fmt(r.watched?.[0]?.cpuPublishPct) : ""} | ${publishing ? fmt(r.watched?.[1]?.cpuPublishPct) : ""} | ${fmt(r.loadgen.cpuPct)} | ${fmt(r.loadgen.eventLoopLagP99Ms)} |`);
}
say();
if (existsSync(join(dir, "flags.sets"))) {
  say("## JVM options (Switchboard only)");
  say();
  say("| options | idle RSS KB/conn (5,000 on one instance) | RSS after idle MiB | connect rate /s | fan-out 400 CPU % | fan-out p99 ms |");
  say("|---|---|---|---|---|---|");
  for (const line of readFileSync(join(dir, "flags.sets"), "utf8").trim().split("\n")) {
    const [name, opts] = line.split(/: (.*)/s);
    const i = get(`flags-${name}-idle`), f = get(`flags-${name}-fanout`);
    if (!i || !f) continue;
    say(`| \`${opts}\` (${name}) | ${fmt(i.rssPerConnKb)} | ${fmt(i.instances[0].rssIdleKb / 1024, 0)} | ${fmt(i.connsPerS, 0)} | ${fmt(cpu(f))} | ${fmt(f.latencyMs.p99)} |`);
  }
  say();
}
if (existsSync(join(dir, "versus.baseline"))) {
  // this build against an earlier one, alternating runs: the median of each side's runs
  const side = (kind, label) => Object.keys(runs).filter((n) => n.startsWith(`versus-${kind}-${label}-`)).map((n) => runs[n]);
  const med = (list, f) => (list.length ? median(list.map(f)) : undefined);
  const rows = [
    ["fan-out 200 msg/s: server CPU %", "fanout", cpu],
    ["fan-out 200 msg/s: p99 ms", "fanout", (r) => r.latencyMs.p99],
    ["idle: connect rate /s (10,000 on one instance)", "idle", (r) => r.connsPerS],
    ["idle: RSS KB per connection", "idle", (r) => r.rssPerConnKb],
  ];
  say(`## This build against ${readFileSync(join(dir, "versus.baseline"), "utf8").trim()}`);
  say();
  say("Switchboard only, same options, runs alternating between the two builds; medians of each side's runs.");
  say();
  say("| measure | baseline | this build | ratio |");
  say("|---|---|---|---|");
  for (const [label, kind, f] of rows) {
    const [a, b] = [med(side(kind, "baseline"), f), med(side(kind, "current"), f)];
    say(`| ${label} (${side(kind, "current").length} runs) | ${fmt(a)} | ${fmt(b)} | ${ratio(b, a)} |`);
  }
  say();
}
process.stdout.write(out.join("\n") + "\n");

// plot data: one row per publish rate, and one row per side-by-side measure
const rates = [...new Set(servers.flatMap((s) => ceiling[s].steps.map((r) => r.rate)))].sort((a, b) => a - b);
const at = (s, rate) => ceiling[s].steps.find((r) => r.rate === rate);
writeFileSync(join(dir, "ceiling.dat"), "# rate sb_p99 sb_cpu sb_delivered peer_p99 peer_cpu peer_delivered\n" + rates.map((rate) =>
  [rate, ...servers.flatMap((s) => { const r = at(s, rate); return r ? [r.latencyMs.p99, cpu(r), r.deliveredPerS] : ["NaN", "NaN", "NaN"]; })].join(" ") + "\n").join(""));
const bars = [];
if (fanout.switchboard && fanout.peer) bars.push([`"fan-out ${fanout.switchboard.median.rate}/s\\nserver CPU %"`, cpu(fanout.switchboard.median), cpu(fanout.peer.median)]);
if (fanout.switchboard && fanout.peer) bars.push([`"fan-out ${fanout.switchboard.median.rate}/s\\np99 ms"`, fanout.switchboard.median.latencyMs.p99, fanout.peer.median.latencyMs.p99]);
if (idle.switchboard && idle.peer) bars.push(["\"idle\\nRSS KB/conn\"", idle.switchboard.rssPerConnKb, idle.peer.rssPerConnKb]);
if (idle.switchboard && idle.peer) bars.push(["\"connect\\n100 conn/s\"", idle.switchboard.connsPerS / 100, idle.peer.connsPerS / 100]);
if (direct.switchboard && direct.peer) bars.push(["\"direct 1000/s\\np99 ms\"", direct.switchboard.latencyMs.p99, direct.peer.latencyMs.p99]);
if (direct.switchboard && direct.peer) bars.push(["\"direct 1000/s\\nserver CPU %\"", cpu(direct.switchboard), cpu(direct.peer)]);
writeFileSync(join(dir, "summary.dat"), "# measure switchboard peer\n" + bars.map((b) => b.join(" ") + "\n").join(""));
