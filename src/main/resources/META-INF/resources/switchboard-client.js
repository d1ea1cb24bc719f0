// Switchboard protocol v1 client for browsers (docs/protocol.md). No dependencies, no DOM: any page or app can use it.
//
//   const client = new SwitchboardClient({ userId: 'alice' });        // dev mode; or { token: '<jwt>' }
//   client.addEventListener('message', (e) => console.log(e.detail));  // one event per server frame type
//   client.connect();
//   await client.join('lobby');
//   await client.publish('lobby', 'hello');
//
// What it adds to the bare socket:
// - replies are matched to requests by `ref`: every request returns a promise of its reply, rejected with a
//   SwitchboardError for an `error` frame or when the connection drops first;
// - it reconnects with capped exponential backoff and jitter, and after every welcome rejoins the user's rooms
//   with `since` (the last message id seen there), so messages sent meanwhile arrive in `missed`;
// - `message` and `direct` events fire once per message id, whether it came live, in `missed` or in `history`;
//   those from `history` (old news: what was there before this client joined) carry `history: true`.

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 8000;
export const HISTORY_LIMIT = 50; // messages per history request

export class SwitchboardError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The query string that authenticates both /ws and the HTTP API: a token, or a dev-mode user id and teams. */
export function authQuery({ userId, groups = [], token }) {
  const query = new URLSearchParams();
  if (token) {
    query.set('access_token', token);
  } else {
    query.set('user_id', userId);
    if (groups.length) query.set('groups', groups.join(','));
  }
  return query.toString();
}

export class SwitchboardClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string} [options.userId] dev mode: the user id
   * @param {string[]} [options.groups] dev mode: the user's teams
   * @param {string} [options.token] token mode: a JWT
   * @param {string} [options.url] the WebSocket endpoint; by default /ws on this page's host
   */
  constructor({ userId, groups = [], token, url } = {}) {
    super();
    const base = url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    this.url = `${base}?${authQuery({ userId, groups, token })}`;
    this.user = token ? null : userId; // the server names the user in its welcome
    this.status = 'idle'; // idle | connecting | online | reconnecting | closed
    this.lastSeen = new Map(); // room -> id of the newest message seen there
    this.seen = new Map(); // room (or '@' for direct messages) -> ids of the messages already handed out
    this.pending = new Map(); // ref -> { resolve, reject }
    this.nextRef = 1;
    this.attempt = 0;
    this.socket = null;
    this.retryTimer = null;
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.setStatus(this.status === 'reconnecting' ? 'reconnecting' : 'connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = (event) => this.dropped(socket, event);
  }

  /** Ends the connection for good (signing out); no reconnect. */
  close() {
    clearTimeout(this.retryTimer);
    this.setStatus('closed');
    this.socket?.close(1000, 'bye');
    this.failPending('closed');
  }

  join(room) {
    const since = this.lastSeen.get(room);
    return this.request({ type: 'join', room, ...(since ? { since } : {}) }).then(async (joined) => {
      // Without `since` nothing came back to catch up with: the newest history stands in for it.
      if (!since) await this.history(room);
      return joined;
    });
  }

  leave(room) {
    return this.request({ type: 'leave', room });
  }

  publish(room, body) {
    return this.request({ type: 'publish', room, body });
  }

  /** Sends a direct message; the sending connection gets no copy from the server, so it is emitted here. */
  async direct(to, body) {
    const ack = await this.request({ type: 'direct', to, body });
    this.emitMessage({ type: 'direct', id: ack.id, from: this.user, to, body, ts: Date.now(), delivered: ack.delivered });
    return ack;
  }

  typing(room) {
    return this.request({ type: 'typing', room });
  }

  /** The newest messages of the room, or those just older than `before` (a message id). */
  history(room, before) {
    return this.request({ type: 'history', room, limit: HISTORY_LIMIT, ...(before ? { before } : {}) });
  }

  presence(room) {
    return this.request({ type: 'presence', room });
  }

  request(frame) {
    if (this.socket?.readyState !== WebSocket.OPEN || this.status !== 'online') {
      return Promise.reject(new SwitchboardError('offline', 'not connected, try again in a moment'));
    }
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      this.pending.set(ref, { resolve, reject });
      this.socket.send(JSON.stringify({ ...frame, ref }));
    });
  }

  receive(frame) {
    switch (frame.type) {
      case 'welcome':
        this.welcomed(frame);
        break;
      case 'message':
      case 'direct':
        this.emitMessage(frame);
        break;
      case 'joined':
        (frame.missed ?? []).forEach((m) => this.emitMessage(m));
        // No ref: another device of this user joined. This one joins too, for the members and the history.
        if (!frame.ref && this.status === 'online') this.join(frame.room).catch(() => {});
        break;
      case 'left':
        // A later join starts afresh, with the room's history.
        this.lastSeen.delete(frame.room);
        this.seen.delete(frame.room);
        break;
      case 'history':
        frame.messages.forEach((m) => this.emitMessage({ ...m, history: true }));
        break;
    }
    const answered = this.settle(frame);
    // An error that answers a request goes to that request's caller only.
    if (frame.type === 'message' || frame.type === 'direct' || (frame.type === 'error' && answered)) return;
    this.emit(frame.type, frame);
  }

  welcomed(welcome) {
    this.user = welcome.user;
    this.attempt = 0;
    this.setStatus('online');
    for (const room of welcome.rooms) {
      this.join(room).catch((e) => this.emit('error', { type: 'error', code: e.code, message: e.message }));
    }
  }

  /** Resolves or rejects the request a reply answers; false when the frame answers none. */
  settle(frame) {
    const waiting = frame.ref && this.pending.get(frame.ref);
    if (!waiting) return false;
    this.pending.delete(frame.ref);
    if (frame.type === 'error') waiting.reject(new SwitchboardError(frame.code, frame.message));
    else waiting.resolve(frame);
    return true;
  }

  emitMessage(message) {
    const where = message.type === 'direct' ? '@' : message.room;
    if (!this.seen.has(where)) this.seen.set(where, new Set());
    const ids = this.seen.get(where);
    if (ids.has(message.id)) return;
    ids.add(message.id);
    if (message.type === 'message') {
      const last = this.lastSeen.get(message.room);
      // Ids of one room sort, as strings, in the room's order.
      if (!last || message.id > last) this.lastSeen.set(message.room, message.id);
    }
    this.emit(message.type, message);
  }

  dropped(socket, event) {
    if (socket !== this.socket) return;
    this.failPending('connection lost');
    if (this.status === 'closed') return;
    // A first connection that never got its welcome was refused (bad user id or token): retrying will not help.
    if (this.status === 'connecting') {
      this.setStatus('closed');
      this.emit('refused', { code: event.code, reason: event.reason });
      return;
    }
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt++);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // jitter: not every client comes back at once
    this.setStatus('reconnecting', { code: event.code, reason: event.reason, delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  failPending(why) {
    for (const { reject } of this.pending.values()) reject(new SwitchboardError('offline', why));
    this.pending.clear();
  }

  setStatus(status, detail = {}) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', { status, ...detail });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
