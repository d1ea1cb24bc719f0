// The chat page: sign-in, conversations (rooms and direct messages), members and typing. All protocol work is
// in switchboard-client.js; this file only keeps what the page shows in step with the client's events.
import { HISTORY_LIMIT, SwitchboardClient, authQuery } from './switchboard-client.js';

const LOBBY = 'lobby'; // where a user in no room but global lands: everyone may post there, unlike in global
const SIGNED_IN_KEY = 'switchboard.credentials'; // this tab's sign-in, so a reload does not sign out
const TYPING_SEND_EVERY_MS = 3000; // the server stores nothing for typing: a frame now and then is enough
const TYPING_SHOWN_MS = 5000;
const PRESENCE_EVERY_MS = 15000; // nothing is pushed when a member goes offline: the open room's presence is polled

const $ = (id) => document.getElementById(id);
const narrow = matchMedia('(max-width: 760px)');

let client = null;
let credentials = null;
let conversations = new Map(); // '#room' or '@user' -> conversation
let active = null; // key of the conversation on screen
let presenceTimer = null;

// ---- sign-in and sign-out

$('sign-in-form').addEventListener('change', () => {
  const token = $('sign-in-form').elements.mode.value === 'token';
  $('dev-fields').hidden = token;
  $('token-fields').hidden = !token;
  $('user-id').disabled = token;
  $('token').disabled = !token;
});

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target.elements;
  credentials = form.mode.value === 'token'
    ? { token: form.token.value.trim() }
    : { userId: form.userId.value.trim(), groups: teams(form.groups.value) };
  signIn();
});

$('sign-out').addEventListener('click', () => {
  client.close();
  forget();
  showSignIn('');
});

const teams = (text) => text.split(',').map((g) => g.trim()).filter(Boolean);

/** Who this page signs in as without asking: ?user_id= (and &groups=) or ?access_token= in its URL, else this tab's last sign-in. */
function rememberedCredentials() {
  const query = new URLSearchParams(location.search);
  if (query.get('access_token')) {
    const token = query.get('access_token');
    forget(); // a token stays out of the address bar and the browser's history; this tab remembers it
    return { token };
  }
  if (query.get('user_id')) return { userId: query.get('user_id'), groups: teams(query.get('groups') ?? '') };
  try {
    return JSON.parse(sessionStorage.getItem(SIGNED_IN_KEY));
  } catch {
    return null;
  }
}

/** Signing out (or being refused) forgets the sign-in, the URL's included, so a reload asks again. */
function forget() {
  sessionStorage.removeItem(SIGNED_IN_KEY);
  const url = new URL(location.href);
  ['user_id', 'groups', 'access_token'].forEach((name) => url.searchParams.delete(name));
  history.replaceState(null, '', url);
}

function signIn() {
  sessionStorage.setItem(SIGNED_IN_KEY, JSON.stringify(credentials));
  client = new SwitchboardClient(credentials);
  for (const [type, handler] of Object.entries(handlers)) {
    client.addEventListener(type, (event) => handler(event.detail));
  }
  conversations = new Map();
  active = null;
  $('sign-in').hidden = true;
  $('chat').hidden = false;
  $('sign-out').hidden = false;
  $('sign-in-error').textContent = '';
  renderLists();
  renderConversation();
  client.connect();
  clearInterval(presenceTimer);
  presenceTimer = setInterval(refreshPresence, PRESENCE_EVERY_MS);
}

function showSignIn(error) {
  clearInterval(presenceTimer);
  $('chat').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('whoami').textContent = '';
  $('status').textContent = '';
  $('sign-in-error').textContent = error;
  $('sign-in-form').querySelector('#user-id:not([disabled]), #token:not([disabled])').focus();
}

// ---- what the client reports

const STATUS_TEXT = { connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting…', closed: '' };

const handlers = {
  status({ status }) {
    document.body.dataset.status = status;
    $('status').textContent = STATUS_TEXT[status];
  },

  refused() {
    forget();
    showSignIn('The server refused the connection: check the user id or token (or the server is down).');
  },

  welcome({ user, rooms }) {
    $('whoami').textContent = `Signed in as ${user}`;
    for (const room of rooms) conversation(`#${room}`);
    // Rooms this user left on another device while this one was away.
    for (const c of [...conversations.values()]) {
      if (c.kind === 'room' && !rooms.includes(c.name)) removeConversation(c.key);
    }
    if (!conversations.has(active)) select(defaultConversation(), false);
    if (rooms.every((room) => room === 'global')) joinLobby();
    refreshRoomDirectory();
  },

  joined({ room, members, complete }) {
    const c = conversation(`#${room}`);
    if (members) c.members = new Map(members.map((m) => [m.user, m.online]));
    if (c.key === active) renderMembers();
    if (complete === false) showAlert(`Some messages of #${room} from while you were away are no longer kept.`);
  },

  left({ room }) {
    removeConversation(`#${room}`);
    refreshRoomDirectory();
  },

  member_joined({ room, user }) {
    updateMembers(room, (members) => members.set(user, true));
  },

  member_left({ room, user }) {
    updateMembers(room, (members) => members.delete(user));
  },

  presence({ room, online }) {
    updateMembers(room, (members) => {
      for (const user of members.keys()) members.set(user, online.includes(user));
      for (const user of online) members.set(user, true);
    });
  },

  history({ room, messages }) {
    const c = conversations.get(`#${room}`);
    if (!c || messages.length === HISTORY_LIMIT) return; // a full page: there may be older ones
    c.allLoaded = true;
    if (c.key === active) $('older').hidden = true;
  },

  typing({ room, from }) {
    const c = conversations.get(`#${room}`);
    if (!c) return;
    c.typing.set(from, Date.now() + TYPING_SHOWN_MS);
    renderTyping();
    setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
  },

  message(m) {
    addMessage(conversation(`#${m.room}`), m);
  },

  direct(m) {
    addMessage(conversation(`@${m.from === client.user ? m.to : m.from}`), m);
  },

  error({ code, message }) {
    showAlert(`${code}: ${message}`);
  },
};

// ---- conversations

function conversation(key) {
  let c = conversations.get(key);
  if (!c) {
    c = {
      key,
      kind: key.startsWith('#') ? 'room' : 'dm',
      name: key.slice(1),
      messages: new Map(), // id -> message
      members: new Map(), // user -> online
      typing: new Map(), // user -> when their indicator goes away
      unread: 0,
      typingSentAt: 0,
      allLoaded: false, // the oldest message the server keeps is on screen
    };
    conversations.set(key, c);
    renderLists();
  }
  return c;
}

function removeConversation(key) {
  conversations.delete(key);
  if (active === key) select(defaultConversation(), false);
  renderLists();
}

function defaultConversation() {
  const rooms = [...conversations.values()].filter((c) => c.kind === 'room');
  return (rooms.find((c) => c.name !== 'global') ?? rooms[0] ?? conversations.values().next().value)?.key ?? null;
}

function select(key, focusComposer = true) {
  show(key);
  if (narrow.matches) toggleSidebar(false);
  if (focusComposer && conversations.has(key)) $('message-input').focus();
}

/** Puts a conversation on screen, leaving the sidebar and the focus where the user has them. */
function show(key) {
  active = key;
  const c = conversations.get(key);
  if (c) c.unread = 0;
  renderLists();
  renderConversation();
  refreshPresence();
}

function addMessage(c, m) {
  c.messages.set(m.id, m);
  if (c.typing.delete(m.from)) renderTyping();
  if (c.key !== active) {
    if (m.from !== client.user && !m.history) {
      c.unread++;
      renderLists();
    }
    return;
  }
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  insertSorted(list, messageItem(m));
  if (atBottom || m.from === client.user) list.scrollTop = list.scrollHeight;
}

function updateMembers(room, change) {
  const c = conversations.get(`#${room}`);
  if (!c) return;
  change(c.members);
  if (c.key === active) renderMembers();
}

function refreshPresence() {
  const c = conversations.get(active);
  if (c?.kind === 'room' && client?.status === 'online') client.presence(c.name).catch(showError);
}

async function refreshRoomDirectory() {
  const list = $('browse-list');
  try {
    const response = await fetch(`/api/rooms?${authQuery(credentials)}`);
    if (!response.ok) throw new Error(`the room list answered HTTP ${response.status}`);
    const rooms = (await response.json()).filter((r) => !conversations.has(`#${r.room}`));
    list.replaceChildren(...rooms.sort((a, b) => a.room.localeCompare(b.room)).map(directoryItem));
    if (!rooms.length) list.append(el('li', 'hint', 'No other rooms yet.'));
  } catch (e) {
    showError(e);
  }
}

// ---- the user's actions

$('room-list').addEventListener('click', selectClicked);
$('dm-list').addEventListener('click', selectClicked);

function selectClicked(event) {
  const button = event.target.closest('button[data-key]');
  if (button) select(button.dataset.key);
}

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const room = $('join-room').value.trim();
  if (await join(room)) $('join-room').value = '';
});

$('browse-list').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-room]');
  if (button) join(button.dataset.room);
});

$('browse-refresh').addEventListener('click', refreshRoomDirectory);

/** A user in no room but global, where only administrators post, is put in the lobby to have somewhere to talk. */
async function joinLobby() {
  try {
    await client.join(LOBBY);
    if (active === null || active === '#global') show(`#${LOBBY}`); // unless the user went elsewhere meanwhile
    refreshRoomDirectory();
  } catch (e) {
    showError(e);
  }
}

async function join(room) {
  try {
    await client.join(room);
    select(`#${room}`);
    refreshRoomDirectory();
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

$('leave').addEventListener('click', () => {
  const c = conversations.get(active);
  client.leave(c.name).catch(showError);
});

$('dm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('dm-user').value.trim();
  conversation(`@${user}`);
  select(`@${user}`);
  $('dm-user').value = '';
});

$('message-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});

$('message-input').addEventListener('input', () => {
  const c = conversations.get(active);
  if (c?.kind !== 'room' || Date.now() - c.typingSentAt < TYPING_SEND_EVERY_MS || client.status !== 'online') return;
  c.typingSentAt = Date.now();
  client.typing(c.name).catch(() => {}); // an indicator that did not go out is not worth an error
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('message-input');
  const c = conversations.get(active);
  const body = input.value;
  if (!c || !body.trim()) return;
  input.value = '';
  try {
    await (c.kind === 'room' ? client.publish(c.name, body) : client.direct(c.name, body));
    c.typingSentAt = 0; // the next message's typing is news again
    hideAlert();
  } catch (e) {
    if (!input.value) input.value = body; // nothing typed is lost
    showError(e);
  }
});

$('older').addEventListener('click', () => {
  const c = conversations.get(active);
  const oldest = [...c.messages.keys()].sort()[0];
  client.history(c.name, oldest).catch(showError);
});

$('alert-dismiss').addEventListener('click', hideAlert);

$('menu-toggle').addEventListener('click', () => toggleSidebar(!$('chat').classList.contains('show-sidebar')));

function toggleSidebar(open) {
  $('chat').classList.toggle('show-sidebar', open);
  $('menu-toggle').setAttribute('aria-expanded', String(open));
}

narrow.addEventListener('change', followWidth);
followWidth();

function followWidth() {
  $('menu-toggle').hidden = !narrow.matches;
  if (!narrow.matches) toggleSidebar(false);
}

credentials = rememberedCredentials();
if (credentials) signIn();

function showError(e) {
  showAlert(e.code ? `${e.code}: ${e.message}` : e.message);
}

function showAlert(text) {
  $('alert-text').textContent = text;
  $('alert').hidden = false;
}

function hideAlert() {
  $('alert').hidden = true;
}

// ---- rendering

function renderLists() {
  const items = (kind) => [...conversations.values()]
    .filter((c) => c.kind === kind)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(conversationItem);
  $('room-list').replaceChildren(...items('room'));
  $('dm-list').replaceChildren(...items('dm'));
}

function conversationItem(c) {
  const button = el('button', 'conversation-link', c.kind === 'room' ? `#${c.name}` : c.name);
  button.type = 'button';
  button.dataset.key = c.key;
  if (c.key === active) button.setAttribute('aria-current', 'true');
  if (c.unread) button.append(el('span', 'badge', String(c.unread)), el('span', 'visually-hidden', ' unread'));
  const li = el('li');
  li.append(button);
  return li;
}

function directoryItem(room) {
  const li = el('li');
  li.append(el('span', 'room-name', room.room), el('span', 'hint', ` ${room.online}/${room.members} online `));
  const button = li.appendChild(el('button', 'small', 'Join'));
  button.type = 'button';
  button.dataset.room = room.room;
  button.setAttribute('aria-label', `Join ${room.room}`);
  return li;
}

function renderConversation() {
  const c = conversations.get(active);
  $('conversation-title').textContent = !c ? 'No conversation' : c.kind === 'room' ? `#${c.name}` : `${c.name} (direct)`;
  $('leave').hidden = c?.kind !== 'room' || c.name === 'global';
  $('global-note').hidden = c?.name !== 'global' || c.kind !== 'room';
  $('members-pane').hidden = c?.kind !== 'room';
  $('older').hidden = c?.kind !== 'room' || c.allLoaded;
  const list = $('messages');
  list.replaceChildren(...[...(c?.messages.values() ?? [])].map(messageItem).sort(compare));
  list.scrollTop = list.scrollHeight;
  renderMembers();
  renderTyping();
}

function renderMembers() {
  const c = conversations.get(active);
  if (c?.kind !== 'room') return;
  const members = [...c.members].sort(([a, aOn], [b, bOn]) => (bOn - aOn) || a.localeCompare(b));
  const online = members.filter(([, on]) => on).length;
  $('members-title').textContent = `Members (${online} online)`;
  $('members').replaceChildren(...members.map(([user, on]) => {
    const li = el('li', on ? 'online' : 'offline', user);
    li.append(el('span', 'visually-hidden', on ? ' (online)' : ' (offline)'));
    return li;
  }));
}

function renderTyping() {
  const c = conversations.get(active);
  const now = Date.now();
  const typing = c ? [...c.typing].filter(([, until]) => until > now).map(([user]) => user) : [];
  $('typing').textContent = typing.length === 0 ? ''
    : typing.length === 1 ? `${typing[0]} is typing…`
    : typing.length <= 3 ? `${typing.join(', ')} are typing…`
    : 'Several people are typing…';
}

function messageItem(m) {
  const li = el('li', m.from === client.user ? 'message mine' : 'message');
  // Room ids sort in the room's order; direct messages have no such order, so their time leads.
  li.dataset.sort = m.type === 'message' ? m.id : `${String(m.ts).padStart(16, '0')}-${m.id}`;
  const meta = li.appendChild(el('div', 'meta'));
  const time = el('time', '', new Date(m.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  time.dateTime = new Date(m.ts).toISOString();
  time.title = new Date(m.ts).toLocaleString();
  meta.append(el('span', 'from', m.from), ' ', time);
  if (m.offline) meta.append(el('span', 'note', 'sent while you were away'));
  if (m.delivered === 'stored') meta.append(el('span', 'note', `${m.to} is offline: delivered when they are back`));
  li.append(el('p', 'body', m.body));
  return li;
}

function insertSorted(list, item) {
  let next = null;
  for (let n = list.lastElementChild; n && compare(n, item) > 0; n = n.previousElementSibling) next = n;
  list.insertBefore(item, next);
}

function compare(a, b) {
  return a.dataset.sort < b.dataset.sort ? -1 : a.dataset.sort > b.dataset.sort ? 1 : 0;
}

function el(tag, className = '', text = '') {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
