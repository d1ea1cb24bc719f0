// Summarises async-profiler collapsed stacks ("thread;frame;...;frame count" per line): where the CPU went, by
// thread group, by method on top of the stack (self) and by method anywhere on it (total).
// Usage: node hot.mjs <file.collapsed> [substring a stack must contain] [rows]
import { readFileSync } from "node:fs";

const [file, filter = "", rowsArg = "25"] = process.argv.slice(2);
const rows = Number(rowsArg);
const threads = new Map(), self = new Map(), total = new Map();
const add = (map, key, n) => map.set(key, (map.get(key) ?? 0) + n);
let samples = 0;
for (const line of readFileSync(file, "utf8").split("\n")) {
  const at = line.lastIndexOf(" ");
  if (at < 0) continue;
  const frames = line.slice(0, at).split(";");
  const n = Number(line.slice(at + 1));
  if (filter && !frames.some((f) => f.includes(filter))) continue;
  samples += n;
  add(threads, frames[0].replace(/\d+/g, "N"), n);
  add(self, frames.at(-1), n);
  for (const f of new Set(frames.slice(1))) add(total, f, n);
}
const print = (title, map, limit) => {
  console.log(`\n${title}\n`);
  console.log("| share | frame |\n|---|---|");
  [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)
    .forEach(([k, v]) => console.log(`| ${((100 * v) / samples).toFixed(1)} % | \`${k.slice(0, 140)}\` |`));
};
console.log(`${samples} samples${filter ? ` of stacks through ${filter}` : ""}`);
print("By thread", threads, 8);
print("Self (top of stack)", self, rows);
print("Total (anywhere on the stack)", total, rows * 2);
