// The benchmark's peer: the chat server a team would write instead of Switchboard, Socket.IO 4 rooms shared
// between instances by @socket.io/redis-adapter (Redis Pub/Sub). It speaks the same chat as Switchboard where
// Socket.IO has a way of its own to say it, and nothing more: no history, inbox, presence, lasting membership
// or order across instances, so its cost is the floor Switchboard's extra work is measured against.
//
//   identity   handshake query user_id, checked before the connection is accepted (Switchboard's dev mode)
//   welcome    event {user, session, server} once connected
//   join       emit("join", room, ack)             ack {ok, room}
//   publish    emit("publish", {room, body}, ack)  "message" {id, room, from, body, ts} to every member
//                                                  connection on every instance, the sender's included
//   direct     emit("direct", {to, body}, ack)     "direct" {id, from, to, body, ts} to every connection of
//                                                  `to` and the sender's other connections
//
// Settings from the environment: PORT (18080), HOST (127.0.0.1), SERVER_ID (peer-<port>),
// REDIS_URL (redis://127.0.0.1:6379). GET /health answers 200 once Redis is connected and the port is open.
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const port = Number(process.env.PORT || 18080);
const host = process.env.HOST || "127.0.0.1";
const instance = process.env.SERVER_ID || `peer-${port}`;
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";

// the same id rules and body bound as Switchboard's protocol
const userIdPattern = /^[A-Za-z0-9_.@-]{1,64}$/;
const roomIdPattern = /^[A-Za-z0-9_.:-]{1,64}$/;
const maxBodyBytes = 4096;
// each user's connections share this room, so a direct message is one emit whatever instance holds them
const personalRoom = (user) => `user:${user}`;

let serving = false;
let sent = 0;
// unique across instances; like Socket.IO itself it promises no order between instances
const messageId = () => `${instance}-${(++sent).toString(36)}`;

const httpServer = http.createServer((request, response) => {
  if (request.url !== "/health") return response.writeHead(404).end();
  response.writeHead(serving ? 200 : 503, { "content-type": "text/plain" }).end(serving ? "ok\n" : "starting\n");
});

// Socket.IO's defaults otherwise: no per-message compression, its own keep-alive
const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024 });

io.use((socket, next) => {
  const user = socket.handshake.query.user_id;
  if (typeof user !== "string" || !userIdPattern.test(user)) return next(new Error("unauthorized"));
  socket.data.user = user;
  next();
});

const answer = (ack, reply) => typeof ack === "function" && ack(reply);
const refuse = (ack, code, message) => answer(ack, { ok: false, code, message });
const isBody = (body) => typeof body === "string" && Buffer.byteLength(body) <= maxBodyBytes;
const isChatRoom = (room) => typeof room === "string" && roomIdPattern.test(room) && !room.startsWith("user:");
const roomOf = (arg) => (arg !== null && typeof arg === "object" ? arg.room : arg);

io.on("connection", (socket) => {
  const user = socket.data.user;
  // the Socket.IO docs' memory advice: the upgrade request is not needed once the handshake was read
  socket.conn.request = null;
  socket.join(personalRoom(user));
  socket.emit("welcome", { user, session: socket.id, server: instance });

  socket.on("join", (arg, ack) => {
    const room = roomOf(arg);
    if (!isChatRoom(room)) return refuse(ack, "bad_request", "invalid room");
    socket.join(room);
    answer(ack, { ok: true, room });
  });

  socket.on("leave", (arg, ack) => {
    const room = roomOf(arg);
    if (!isChatRoom(room) || !socket.rooms.has(room)) return refuse(ack, "bad_request", "not a member");
    socket.leave(room);
    answer(ack, { ok: true, room });
  });

  socket.on("publish", (frame, ack) => {
    const { room, body } = frame || {};
    if (!isChatRoom(room) || !isBody(body)) return refuse(ack, "bad_request", "room and body required");
    if (!socket.rooms.has(room)) return refuse(ack, "forbidden", "not a member");
    const id = messageId();
    io.to(room).emit("message", { id, room, from: user, body, ts: Date.now() });
    answer(ack, { ok: true, id });
  });

  socket.on("direct", (frame, ack) => {
    const { to, body } = frame || {};
    if (typeof to !== "string" || !userIdPattern.test(to) || !isBody(body)) {
      return refuse(ack, "bad_request", "to and body required");
    }
    const id = messageId();
    // socket.to leaves this connection out: the recipient's connections and the sender's other ones
    socket.to(personalRoom(to)).to(personalRoom(user)).emit("direct", { id, from: user, to, body, ts: Date.now() });
    answer(ack, { ok: true, id });
  });
});

async function start() {
  const publisher = createClient({ url: redisUrl });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) client.on("error", (e) => console.error(`[${instance}] redis: ${e.message}`));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  io.adapter(createAdapter(publisher, subscriber));
  httpServer.listen(port, host, () => {
    serving = true;
    console.log(`[${instance}] listening on ${host}:${port}, pid ${process.pid}, Redis ${redisUrl}`);
  });

  const stop = () => {
    serving = false;
    // bench/run.sh waits 15 s for a stopped process before SIGKILL: never come close to that
    setTimeout(() => process.exit(0), 5000).unref();
    io.close(() => Promise.allSettled([publisher.quit(), subscriber.quit()]).finally(() => process.exit(0)));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

start().catch((e) => {
  console.error(`[${instance}] could not start: ${e.stack || e}`);
  process.exit(1);
});
