// The seed's browser snippet, run as a newcomer would against the quick start (node --experimental-websocket):
// alice sends bob a typeless {to, body} while bob is offline, then bob connects and gets it with offline:true.
// Exits 0 when every step happened within its bound, 1 with the step that failed otherwise.
const base = process.argv[2] ?? "ws://localhost:8080";
const STEP_MS = 10_000;

function fail(step, detail) {
    console.error(`seed snippet FAILED at "${step}": ${detail}`);
    process.exit(1);
}

/** Opens a socket and returns a function that waits for the next frame matching a predicate. */
function connect(user) {
    const ws = new WebSocket(`${base}/ws?user_id=${user}`);
    const frames = [];
    const waiters = [];
    ws.onmessage = (e) => {
        const frame = JSON.parse(e.data);
        console.log(`${user} <`, e.data);
        frames.push(frame);
        waiters.splice(0).forEach((wake) => wake());
    };
    ws.onerror = () => fail(`${user} connects`, "the WebSocket failed");
    const next = (step, matches) => new Promise((resolve) => {
        const timer = setTimeout(() => fail(step, `nothing within ${STEP_MS} ms; got ${JSON.stringify(frames)}`), STEP_MS);
        const look = () => {
            const at = frames.findIndex(matches);
            if (at < 0) {
                waiters.push(look);
                return;
            }
            clearTimeout(timer);
            resolve(frames.splice(0, at + 1)[at]);
        };
        look();
    });
    return { ws, next };
}

const alice = connect("alice");
await alice.next("alice is welcomed", (f) => f.type === "welcome" && f.user === "alice");
alice.ws.send(JSON.stringify({ to: "bob", body: "hi" }));
const ack = await alice.next("alice's message is acked", (f) => f.type === "ack" || f.type === "error");
if (ack.type !== "ack" || ack.delivered !== "stored") {
    fail("alice's message is kept for offline bob", JSON.stringify(ack));
}

const bob = connect("bob");
const welcome = await bob.next("bob is welcomed", () => true);
if (welcome.type !== "welcome") {
    fail("bob's first frame is the welcome", JSON.stringify(welcome));
}
const dm = await bob.next("bob gets alice's message", (f) => f.type === "direct");
if (dm.from !== "alice" || dm.body !== "hi" || dm.offline !== true || dm.id !== ack.id) {
    fail("bob's message is alice's, from the inbox", JSON.stringify(dm));
}
console.log("seed snippet OK: alice's message waited for bob and reached him with offline:true");
alice.ws.close();
bob.ws.close();
process.exit(0);
