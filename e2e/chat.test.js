// The chat page at / in headless Chromium: alice and bob, then carol on a phone-sized screen and dave, use it
// against the packaged server that run.sh started at SWITCHBOARD_URL. The tests run in order and build on each other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.SWITCHBOARD_URL;
assert.ok(BASE, 'SWITCHBOARD_URL is not set: run the tests with e2e/run.sh');
const SCREENSHOTS = fileURLToPath(new URL('../target/e2e/', import.meta.url));
const WAIT_MS = 10_000;
const ROOM = 'e2e';

let browser;
const users = new Map(); // name -> { context, page, frames }
const pageErrors = [];

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // The machine has no network but loopback: nothing of Chromium's own may try to go out.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  for (const [name, { page }] of users) {
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png` }).catch(() => {});
  }
  await browser?.close();
});

// ---- helpers: the page as a person sees it, found by role and label

/** A browser of its own for `name`, on the chat page at `path`. */
async function openPage(name, path = '/', viewport = { width: 1200, height: 760 }) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(WAIT_MS);
  const p = await context.newPage();
  p.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  const frames = []; // what the server sent to this page, to check how a message arrived
  p.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(JSON.parse(payload))));
  await p.goto(`${BASE}${path}`);
  users.set(name, { context, page: p, frames });
  return p;
}

async function signIn(name, viewport) {
  const p = await openPage(name, '/', viewport);
  await p.getByLabel('User id', { exact: true }).fill(name);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await status(p, 'Online').waitFor();
  return p;
}

const signedInAs = (p, name) => p.getByText(`Signed in as ${name}`, { exact: true });

const page = (name) => users.get(name).page;
const status = (p, text) => p.getByRole('status').filter({ hasText: text });
const conversations = (p) => p.getByRole('navigation', { name: 'Conversations' });
const title = (p, text) => p.getByRole('heading', { name: text, exact: true });
const member = (p, text) => p.getByRole('complementary').getByRole('listitem').filter({ hasText: text });
const message = (p, body) => p.getByRole('log').getByRole('listitem')
  .filter({ has: p.locator('.body').getByText(body, { exact: true }) });

async function open(p, name, heading = name) {
  await conversations(p).getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
  await title(p, heading).waitFor();
}

async function send(p, body) {
  await p.getByLabel('Message', { exact: true }).fill(body);
  await p.getByLabel('Message', { exact: true }).press('Enter');
}

/** Repeats `attempt` until it returns true, for what the page learns only when asked (presence). */
async function eventually(p, what, attempt) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await attempt())) {
    assert.ok(Date.now() < deadline, `not within ${WAIT_MS} ms: ${what}`);
    await p.waitForTimeout(250);
  }
}

// ---- the scenario

test('alice and bob join a room and see each other online', async () => {
  const alice = await signIn('alice');
  const bob = await signIn('bob');
  for (const p of [alice, bob]) {
    await p.getByLabel('Join or create a room').fill(ROOM);
    await p.getByLabel('Join or create a room').press('Enter');
    await title(p, `#${ROOM}`).waitFor();
  }
  await member(bob, 'alice (online)').waitFor();
  await member(bob, 'bob (online)').waitFor();
  await member(alice, 'bob (online)').waitFor(); // from member_joined
});

test('room messages reach both, with sender and time', async () => {
  await send(page('alice'), 'Hello bob, welcome to the e2e room');
  const received = message(page('bob'), 'Hello bob, welcome to the e2e room');
  await received.waitFor();
  assert.equal(await received.locator('.from').textContent(), 'alice');
  const sentAt = Date.parse(await received.locator('time').getAttribute('datetime'));
  assert.ok(Math.abs(Date.now() - sentAt) < 60_000, 'the message time is now');

  await send(page('bob'), 'Thanks alice! Glad to be here.');
  await message(page('alice'), 'Thanks alice! Glad to be here.').waitFor();
  assert.equal(await page('bob').getByLabel('Message', { exact: true }).inputValue(), '', 'Enter sent the draft');
});

test('alice sees that bob is typing', async () => {
  const composer = page('bob').getByLabel('Message', { exact: true });
  await composer.pressSequentially('I am wri');
  await page('alice').getByText('bob is typing…').waitFor();
  await composer.fill('');
});

test('a direct message and its reply', async () => {
  const alice = page('alice');
  const bob = page('bob');
  await alice.getByLabel('Message a user').fill('bob');
  await alice.getByRole('button', { name: 'Open' }).click();
  await title(alice, 'bob (direct)').waitFor();
  await send(alice, 'psst, bob: lunch at noon?');
  await message(alice, 'psst, bob: lunch at noon?').waitFor();

  await conversations(bob).getByRole('button', { name: 'alice 1 unread' }).waitFor();
  await open(bob, 'alice', 'alice (direct)');
  await message(bob, 'psst, bob: lunch at noon?').waitFor();
  await send(bob, 'Sounds good!');
  await message(alice, 'Sounds good!').waitFor();

  // dave has never connected: the message waits in his inbox, and alice is told so.
  await alice.getByLabel('Message a user').fill('dave');
  await alice.getByRole('button', { name: 'Open' }).click();
  await send(alice, 'Welcome aboard, dave');
  await message(alice, 'Welcome aboard, dave').getByText('dave is offline: delivered when they are back').waitFor();
});

test('an error frame is shown and the draft is kept', async () => {
  const bob = page('bob');
  await open(bob, '#global');
  await send(bob, 'hello everyone');
  await bob.getByRole('alert').filter({ hasText: /forbidden: only administrators/ }).waitFor();
  assert.equal(await bob.getByLabel('Message', { exact: true }).inputValue(), 'hello everyone');
  await bob.getByRole('button', { name: 'Dismiss error' }).click();
  await bob.getByLabel('Message', { exact: true }).fill('');
});

test('alice is disconnected by the server, reconnects and misses nothing', async () => {
  const alice = page('alice');
  const bob = page('bob');
  await open(alice, `#${ROOM}`);
  // Offline, alice's reconnect attempts fail: bob's next message is certainly sent while she is away.
  await users.get('alice').context.setOffline(true);
  const kick = await fetch(`${BASE}/api/users/alice/sessions?user_id=admin&groups=admin`, { method: 'DELETE' });
  assert.equal(kick.status, 204);
  await status(alice, 'Reconnecting…').waitFor();

  await eventually(bob, 'bob sees alice offline', async () => {
    await open(bob, `#${ROOM}`); // asks for the room's presence
    return member(bob, 'alice (offline)').isVisible();
  });
  await send(bob, 'Sent while alice was away');
  await message(bob, 'Sent while alice was away').waitFor();

  await users.get('alice').context.setOffline(false);
  await status(alice, 'Online').waitFor({ timeout: 20_000 });
  await message(alice, 'Sent while alice was away').waitFor();
  const caughtUp = users.get('alice').frames.some((f) => f.type === 'joined' && f.room === ROOM
    && f.missed?.some((m) => m.body === 'Sent while alice was away'));
  assert.ok(caughtUp, 'the rejoin with since brought the message in missed');
  // Whatever the rejoin brings arrives before a later message: one copy of each means no duplicates.
  await send(bob, 'And this one after she came back');
  await message(alice, 'And this one after she came back').waitFor();
  assert.equal(await message(alice, 'Sent while alice was away').count(), 1);
  assert.equal(await message(alice, 'Hello bob, welcome to the e2e room').count(), 1);

  await eventually(bob, 'bob sees alice online again', async () => {
    await open(bob, `#${ROOM}`);
    return member(bob, 'alice (online)').isVisible();
  });
});

test("the seed's raw WebSocket snippet, run in alice's page, reaches bob's page", async () => {
  const port = new URL(BASE).port;
  const ack = await page('alice').evaluate((port) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://localhost:${port}/ws?user_id=alice`);
    ws.onopen = () => ws.send(JSON.stringify({ to: 'bob', body: 'hi' }));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'ack' || frame.type === 'error') resolve(frame);
    };
    ws.onclose = (event) => reject(new Error(`closed ${event.code}`));
  }), port);
  assert.equal(ack.type, 'ack');
  assert.equal(ack.delivered, 'online');

  const bob = page('bob');
  await conversations(bob).getByRole('button', { name: 'alice 1 unread' }).waitFor();
  await open(bob, 'alice', 'alice (direct)');
  await message(bob, 'hi').waitFor();
  // The snippet's socket is another device of alice's: her page got a copy too.
  await open(page('alice'), 'bob', 'bob (direct)');
  await message(page('alice'), 'hi').waitFor();
});

test('carol chats from a phone-sized screen', async () => {
  const carol = await signIn('carol', { width: 390, height: 760 });
  await carol.getByRole('button', { name: 'Conversations' }).click();
  await carol.getByRole('button', { name: `Join ${ROOM}` }).click(); // from GET /api/rooms
  await title(carol, `#${ROOM}`).waitFor();
  await message(carol, 'Hello bob, welcome to the e2e room').waitFor(); // history
  await send(carol, 'Hi both, typing from my phone');

  const alice = page('alice');
  await open(alice, `#${ROOM}`);
  await message(alice, 'Hi both, typing from my phone').waitFor();
  await member(alice, 'carol (online)').waitFor();
});

test('dave signs in and finds the message that waited for him', async () => {
  const dave = await signIn('dave');
  await conversations(dave).getByRole('button', { name: 'alice 1 unread' }).waitFor();
  await open(dave, 'alice', 'alice (direct)');
  await message(dave, 'Welcome aboard, dave').getByText('sent while you were away').waitFor();
});

test('a newcomer lands in #lobby, where everyone may post, and #global says who posts there', async () => {
  const erin = await signIn('erin');
  await title(erin, '#lobby').waitFor();
  await send(erin, 'Hello lobby, erin here');
  await message(erin, 'Hello lobby, erin here').waitFor();
  assert.equal(await erin.getByRole('alert').filter({ hasText: /\S/ }).count(), 0, 'no error: erin may post here');

  await open(erin, '#global');
  await erin.getByText('only administrators post here').waitFor();
  await open(erin, '#lobby');
  assert.equal(await erin.getByText('only administrators post here').isVisible(), false);
});

test('a reload keeps the user signed in, in the same rooms', async () => {
  const erin = page('erin');
  await erin.reload();
  await status(erin, 'Online').waitFor();
  await signedInAs(erin, 'erin').waitFor();
  await open(erin, '#lobby');
  await message(erin, 'Hello lobby, erin here').waitFor(); // the room's history, after the reload
  assert.equal(await erin.getByLabel('User id', { exact: true }).isVisible(), false, 'no sign-in form');
});

test('?user_id= in the page address signs in; signing out forgets it', async () => {
  const frank = await openPage('frank', '/?user_id=frank');
  await status(frank, 'Online').waitFor();
  await signedInAs(frank, 'frank').waitFor();
  await title(frank, '#lobby').waitFor();
  await message(frank, 'Hello lobby, erin here').waitFor();

  await frank.getByRole('button', { name: 'Sign out' }).click();
  await frank.getByLabel('User id', { exact: true }).waitFor();
  assert.equal(new URL(frank.url()).searchParams.get('user_id'), null, 'the address no longer names frank');
  await frank.reload();
  await frank.getByLabel('User id', { exact: true }).waitFor();
  assert.equal(await signedInAs(frank, 'frank').count(), 0, 'still signed out after a reload');
});

test('the pages raised no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
