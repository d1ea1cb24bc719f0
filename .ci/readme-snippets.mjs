// Runs every fenced snippet of README.md as written, so a snippet edited into something that does not work fails CI.
// Each snippet carries a marker on the line before its fence, saying how it is run:
//   <!-- snippet: console expects `text` … -->  JavaScript for a browser console: each `// tab N` part runs in a tab of
//                                               its own (a fresh global scope), against the app; every `text` must be
//                                               logged, and no error frame nor exception may happen
//   <!-- snippet: serve PORT… [token] -->       shell that starts instances; they must be ready on every PORT and carry
//                                               a direct message (and a room message across two), then they are stopped
//                                               by the next snippet if it is marked `stop`, else by Ctrl+C (SIGINT);
//                                               `token`: a client connects with the token the last `token` snippet printed
//   <!-- snippet: run [then `command`] -->       shell that must succeed, and `command` after it in the same shell
//   <!-- snippet: token -->                      shell that must succeed and print a token (kept for `serve … token`)
//   <!-- snippet: output of `command` [exits N] -->  what `command` prints: every piece between `…` must appear, in order
//   <!-- snippet: ci -->                         a command .ci/run runs itself (dev mode, verify, e2e): shell syntax only
//   <!-- snippet: example -->                    values to replace, or a run too long for CI: shell syntax only
// A fence without a marker, or with an unknown one, fails the run.
//
//   node --experimental-websocket .ci/readme-snippets.mjs console [ws://localhost:8080]   the console snippets, against
//        a running app (CI: ./mvnw quarkus:dev); another address replaces ws://localhost:8080 in them
//   node --experimental-websocket .ci/readme-snippets.mjs shell    the shell snippets, after ./mvnw package (the jar in
//        target/), in a scratch directory whose target/ is the repository's; it needs ports 8080-8082 free
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const README_BASE = 'ws://localhost:8080';
const STEP_MS = 10_000;
const READY_MS = 120_000; // a cold JVM on two busy cores, distributed engine included
const STOP_MS = 30_000;

const [mode, base = README_BASE] = process.argv.slice(2);
if (!['console', 'shell'].includes(mode)) {
    console.error('usage: node --experimental-websocket .ci/readme-snippets.mjs console [ws://host:port] | shell');
    process.exit(2);
}
if (typeof WebSocket === 'undefined') {
    console.error('no WebSocket in this Node: run it with node --experimental-websocket (Node 20+)');
    process.exit(2);
}

class SnippetFailure extends Error {}
const fail = (snippet, detail) => {
    throw new SnippetFailure(`README.md:${snippet.line} (${snippet.kind}): ${detail}`);
};

/** Every fenced block of README.md, with the marker before it and the line its fence opens on. */
function snippets() {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
    const found = [];
    for (let i = 0; i < lines.length; i++) {
        const open = lines[i].match(/^```(\S*)\s*$/);
        if (!open) continue;
        const start = i;
        const code = [];
        while (++i < lines.length && !lines[i].startsWith('```')) code.push(lines[i]);
        const marker = lines[start - 1]?.match(/^<!-- snippet: (.*) -->$/)?.[1];
        const snippet = { line: start + 1, language: open[1], code: code.join('\n'), marker: marker ?? '' };
        const [kind = 'unmarked', ...words] = snippet.marker.split(/\s+/).filter(Boolean);
        Object.assign(snippet, {
            kind,
            words,
            quoted: [...snippet.marker.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
        });
        found.push(snippet);
    }
    return found;
}

// ---- console: browser-console JavaScript, one global scope per tab

async function runConsole(snippet) {
    const code = base === README_BASE ? snippet.code : snippet.code.replaceAll(README_BASE, base);
    const logged = [];
    const sockets = [];
    class TabWebSocket extends WebSocket {
        constructor(...args) {
            super(...args);
            sockets.push(this);
        }
    }
    const log = (...args) => {
        const line = args.map(String).join(' ');
        logged.push(line);
        console.log(`    | ${line}`);
    };
    try {
        for (const tab of code.split(/^(?=\/\/ tab \d)/m)) {
            const page = vm.createContext({ WebSocket: TabWebSocket, JSON, console: { log, info: log, warn: log, error: log } });
            const before = logged.length;
            try {
                vm.runInContext(tab, page, { filename: `README.md:${snippet.line}` });
            } catch (e) {
                fail(snippet, `throws when pasted: ${e.name}: ${e.message}`);
            }
            // a person reads what a tab printed before going on to the next one
            await until(snippet, 'the tab to print something and settle', () => logged.length > before, quiet(logged));
        }
        const missing = () => snippet.quoted.filter((text) => !logged.some((line) => line.includes(text)));
        await until(snippet, `it to log ${JSON.stringify(snippet.quoted)}`, () => missing().length === 0);
        const refused = logged.find((line) => line.includes('"type":"error"'));
        if (refused) fail(snippet, `the server refused a frame: ${refused}`);
    } finally {
        sockets.forEach((s) => s.close());
    }
}

/** A wait that is over once `done` holds and, with `settled`, nothing more was logged for 300 ms. */
async function until(snippet, what, done, settled = () => true) {
    const deadline = Date.now() + STEP_MS;
    while (!(done() && settled())) {
        if (thrown) fail(snippet, `an event handler threw: ${thrown.name}: ${thrown.message}`);
        if (Date.now() > deadline) fail(snippet, `waited ${STEP_MS} ms for ${what}`);
        await sleep(100);
    }
}

function quiet(logged) {
    let count = -1;
    let since = Date.now();
    return () => {
        if (logged.length !== count) {
            count = logged.length;
            since = Date.now();
        }
        return Date.now() - since >= 300;
    };
}

let thrown = null; // an exception in a snippet's event handler surfaces here, not where the snippet ran
process.on('uncaughtException', (e) => {
    thrown = e;
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- shell

/** A scratch directory for the shell snippets (they may write key files), whose target/ is the repository's. */
function scratch() {
    const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
    symlinkSync(join(ROOT, 'target'), join(dir, 'target'));
    return dir;
}

/** The environment of a fresh shell: none of this machine's Switchboard settings leak into a snippet. */
function freshEnv() {
    const env = { ...process.env };
    for (const name of Object.keys(env)) {
        if (/^(SWITCHBOARD_|QUARKUS_|MP_JWT_|RABBITMQ_)/.test(name) || ['SERVER_ID', 'PORT', 'JAVA_OPTS'].includes(name)) {
            delete env[name];
        }
    }
    return env;
}

function checkSyntax(snippet) {
    if (snippet.language === 'js') {
        try {
            new vm.Script(snippet.code);
        } catch (e) {
            fail(snippet, `not valid JavaScript: ${e.message}`);
        }
        return;
    }
    const result = spawnSync('bash', ['-n'], { input: snippet.code, encoding: 'utf8' });
    if (result.status !== 0) fail(snippet, `not valid shell: ${result.stderr.trim()}`);
}

function runShell(snippet, dir, then = '') {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', `${snippet.code}\n${then}`], {
        cwd: dir, env: freshEnv(), encoding: 'utf8', timeout: 60_000,
    });
    if (result.status !== 0) {
        fail(snippet, `exited ${result.status ?? result.signal}: ${result.stderr.trim() || result.stdout.trim()}`);
    }
    return result.stdout;
}

function runOutput(snippet, dir) {
    const [command] = snippet.quoted;
    const exits = snippet.words.includes('exits') ? Number(snippet.words[snippet.words.indexOf('exits') + 1]) : null;
    const result = spawnSync('bash', ['-c', command], { cwd: dir, env: freshEnv(), encoding: 'utf8', timeout: 60_000 });
    const printed = `${result.stdout}${result.stderr}`;
    if (result.error) fail(snippet, `\`${command}\` did not end within 60 s`);
    if (exits !== null && result.status !== exits) fail(snippet, `\`${command}\` exited ${result.status}, not ${exits}`);
    let from = 0;
    for (const piece of snippet.code.split('…').map((p) => p.trim()).filter(Boolean)) {
        const at = printed.indexOf(piece, from);
        if (at < 0) fail(snippet, `\`${command}\` did not print ${JSON.stringify(piece)}; it printed:\n${printed}`);
        from = at + piece.length;
    }
}

async function serve(snippet, stop, dir, token) {
    const ports = snippet.words.filter((w) => /^\d+$/.test(w)).map(Number);
    for (const port of ports) {
        if (await answers(port)) fail(snippet, `port ${port} is taken before the snippet runs`);
    }
    // the stop snippet runs in the same shell, as a person types it, once the checks are done (a line on stdin)
    const script = stop ? `${snippet.code}\nread -r _\n${stop.code}\nwait` : snippet.code;
    const shell = spawn('bash', ['-c', script], { cwd: dir, env: freshEnv(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    shell.stdout.on('data', (d) => (output += d));
    shell.stderr.on('data', (d) => (output += d));
    const ended = new Promise((resolve) => shell.on('exit', (code, signal) => resolve(code ?? signal)));
    let exited = null;
    ended.then((how) => (exited = how));
    try {
        for (const port of ports) {
            const deadline = Date.now() + READY_MS;
            while (!(await ready(port))) {
                if (exited !== null) fail(snippet, `the shell ended (${exited}) before port ${port} was ready:\n${tail(output)}`);
                if (Date.now() > deadline) fail(snippet, `port ${port} not ready within ${READY_MS / 1000} s:\n${tail(output)}`);
                await sleep(500);
            }
        }
        await (token ? signsIn(snippet, ports[0], token) : carries(snippet, ports));
    } catch (e) {
        process.kill(-shell.pid, 'SIGKILL');
        throw e;
    }
    if (stop) {
        shell.stdin.end('\n');
    } else {
        process.kill(-shell.pid, 'SIGINT'); // Ctrl+C
    }
    const how = await Promise.race([ended, sleep(STOP_MS).then(() => 'still running')]);
    if (how === 'still running') {
        process.kill(-shell.pid, 'SIGKILL');
        fail(stop ?? snippet, `the instances did not stop within ${STOP_MS / 1000} s:\n${tail(output)}`);
    }
    for (const port of ports) {
        if (await answers(port)) fail(stop ?? snippet, `port ${port} still answers after the stop`);
    }
}

const tail = (text) => text.split('\n').slice(-30).join('\n');

async function ready(port) {
    try {
        return (await fetch(`http://localhost:${port}/q/health/ready`)).ok;
    } catch {
        return false;
    }
}

async function answers(port) {
    try {
        await fetch(`http://localhost:${port}/q/health/live`);
        return true;
    } catch {
        return false;
    }
}

/** One user on the first port, another on the last: a direct message between them, and a room message. */
async function carries(snippet, ports) {
    const tag = Math.random().toString(36).slice(2, 8); // names of its own: the shared Redis may know alice and bob
    const [one, two] = [`alice-${tag}`, `bob-${tag}`];
    const room = `readme-${tag}`;
    const sender = await client(snippet, `ws://localhost:${ports[0]}/ws?user_id=${one}`);
    const receiver = await client(snippet, `ws://localhost:${ports.at(-1)}/ws?user_id=${two}`);
    try {
        await sender.ask({ type: 'join', room, ref: 'j' }, 'joined');
        await receiver.ask({ type: 'join', room, ref: 'j' }, 'joined');
        await sender.ask({ type: 'publish', room, body: 'hello room', ref: 'p' }, 'ack');
        await receiver.next((f) => f.type === 'message' && f.body === 'hello room', 'the room message');
        await sender.ask({ type: 'direct', to: two, body: 'hello you', ref: 'd' }, 'ack');
        await receiver.next((f) => f.type === 'direct' && f.body === 'hello you' && f.from === one, 'the direct message');
    } finally {
        sender.close();
        receiver.close();
    }
}

async function signsIn(snippet, port, token) {
    const user = await client(snippet, `ws://localhost:${port}/ws?access_token=${token}`);
    user.close();
    if (user.welcome.user !== 'alice') fail(snippet, `the token signed in ${user.welcome.user}, not alice`);
}

/** A socket that waits for its welcome; `next` waits for a frame, `ask` sends one and waits for its reply. */
async function client(snippet, url) {
    const ws = new WebSocket(url);
    const frames = [];
    let wake = () => {};
    ws.onmessage = (e) => {
        frames.push(JSON.parse(e.data));
        wake();
    };
    const next = async (matches, what) => {
        const deadline = Date.now() + STEP_MS;
        for (;;) {
            const at = frames.findIndex(matches);
            if (at >= 0) return frames.splice(0, at + 1).at(-1);
            if (Date.now() > deadline || ws.readyState > WebSocket.OPEN) {
                fail(snippet, `${url}: no ${what} within ${STEP_MS} ms; got ${JSON.stringify(frames)}`);
            }
            await Promise.race([new Promise((resolve) => (wake = resolve)), sleep(200)]);
        }
    };
    const ask = async (frame, reply) => {
        ws.send(JSON.stringify(frame));
        const answer = await next((f) => f.ref === frame.ref, `reply to ${frame.type}`);
        if (answer.type !== reply) fail(snippet, `${url}: ${frame.type} answered ${JSON.stringify(answer)}`);
        return answer;
    };
    const welcome = await next((f) => f.type === 'welcome', 'welcome');
    return { welcome, next, ask, close: () => ws.close() };
}

// ---- the run

const KINDS = ['console', 'serve', 'stop', 'run', 'token', 'output', 'ci', 'example'];

async function main() {
    const all = snippets();
    for (const s of all) {
        if (!KINDS.includes(s.kind)) fail(s, `no known marker before this fence (<!-- snippet: ${KINDS.join('|')} … -->)`);
        if (s.kind === 'console' && s.language !== 'js') fail(s, 'a console snippet is ```js');
        if (s.kind === 'output' && s.quoted.length !== 1) fail(s, 'say whose output: output of `command`');
        if (s.kind === 'serve' && !s.words.some((w) => /^\d+$/.test(w))) fail(s, 'say the ports it serves on');
    }
    let ran = 0;
    if (mode === 'console') {
        for (const s of all.filter((s) => s.kind === 'console')) {
            console.log(`README.md:${s.line}: console snippet, against ${base}`);
            await runConsole(s);
            ran++;
        }
    } else {
        const dir = scratch();
        let token = null;
        try {
            for (let i = 0; i < all.length; i++) {
                const s = all[i];
                console.log(`README.md:${s.line}: ${s.kind}`);
                if (s.kind !== 'output') checkSyntax(s);
                if (s.kind === 'run') runShell(s, dir, s.quoted[0] ?? '');
                if (s.kind === 'token') token = runShell(s, dir).trim().split('\n').at(-1);
                if (s.kind === 'output') runOutput(s, dir);
                if (s.kind === 'serve') {
                    const stop = all[i + 1]?.kind === 'stop' ? all[++i] : null;
                    if (s.words.includes('token') && !token) fail(s, 'no `token` snippet printed a token before it');
                    await serve(s, stop, dir, s.words.includes('token') ? token : null);
                }
                if (s.kind === 'stop' && all[i - 1]?.kind !== 'serve') fail(s, 'a stop snippet follows the serve snippet it stops');
                ran++;
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    console.log(`README snippets OK: ${ran} ${mode === 'console' ? 'console snippets ran' : 'snippets checked or ran'}`);
}

try {
    await main();
    process.exit(0);
} catch (e) {
    console.error(e instanceof SnippetFailure ? `README snippet FAILED at ${e.message}` : e);
    process.exit(1);
}
