package io.switchboard.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Envelope;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.presence.PresenceStore;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.room.Inbox;

/**
 * Direct messages: delivered to every device of the recipient and the sender's other devices, or kept in the
 * inbox. The ack says {@code online} once an instance holding a recipient device took the message, and
 * {@code stored} once it is in the inbox; a message is never acked before one of the two.
 */
@ApplicationScoped
class DirectMessaging {

    static final String ONLINE = "online";
    static final String STORED = "stored";

    private final PresenceStore presence;
    private final Inbox inbox;
    private final DeviceRouter router;
    private final LocalDelivery local;
    private final ChatMetrics metrics;

    DirectMessaging(PresenceStore presence, Inbox inbox, DeviceRouter router, LocalDelivery local,
            ChatMetrics metrics) {
        this.metrics = metrics;
        this.presence = presence;
        this.inbox = inbox;
        this.router = router;
        this.local = local;
    }

    /**
     * A direct message whose instance was gone: routed once more to where the recipient is now, else kept in
     * the inbox. A retry that fails again goes to the inbox, so a message never circles.
     */
    Uni<Void> retry(Envelope.Direct undelivered) {
        DirectMessage message = undelivered.message();
        if (undelivered.retry()) {
            return store(message);
        }
        return presence.sessions(message.to()).map(DeviceRouter::serversOf)
                .chain(servers -> toRecipient(message, undelivered.senderSession(), servers, true))
                .replaceWithVoid();
    }

    /** Sends and answers how it was delivered: {@link #ONLINE} or {@link #STORED}. */
    Uni<Delivered> send(Session sender, String to, String body) {
        DirectMessage message = new DirectMessage(newId(), sender.user(), to, body, System.currentTimeMillis());
        return presence.sessionsOf(List.of(to, sender.user()))
                .chain(sessions -> deliver(message, sender.id(), DeviceRouter.serversOf(sessions.get(to)),
                        DeviceRouter.serversOf(sessions.get(sender.user()))))
                .map(how -> new Delivered(message.id(), how));
    }

    private Uni<String> deliver(DirectMessage message, String senderSession, Set<String> recipientServers,
            Set<String> senderServers) {
        for (String server : senderServers) {
            if (!recipientServers.contains(server)) {
                // the sender's other devices are told on a best-effort basis: the sender already holds the message
                deliverTo(server, message, senderSession, false, false).subscribe().with(ok -> {
                }, failure -> {
                });
            }
        }
        return toRecipient(message, senderSession, recipientServers, false);
    }

    /** Delivered to at least one instance holding a recipient device ({@link #ONLINE}), else kept ({@link #STORED}). */
    private Uni<String> toRecipient(DirectMessage message, String senderSession, Set<String> servers, boolean retry) {
        List<Uni<Boolean>> attempts = new ArrayList<>();
        for (String server : servers) {
            attempts.add(deliverTo(server, message, senderSession, true, retry));
        }
        if (attempts.isEmpty()) {
            return store(message).replaceWith(STORED);
        }
        return Uni.join().all(attempts).andFailFast().chain(results -> results.contains(Boolean.TRUE)
                ? Uni.createFrom().item(ONLINE)
                : store(message).replaceWith(STORED));
    }

    private Uni<Void> store(DirectMessage message) {
        return inbox.store(message).invoke(metrics::inboxStored);
    }

    /** True when a recipient device took it (locally) or its instance accepted it (remotely). */
    private Uni<Boolean> deliverTo(String server, DirectMessage message, String senderSession, boolean forRecipient,
            boolean retry) {
        if (router.isLocal(server)) {
            return Uni.createFrom().item(() -> local.deliverDirect(message, senderSession, false));
        }
        return router.send(server, new Envelope.Direct(message, senderSession, forRecipient, retry))
                .replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(Boolean.FALSE);
    }

    /** Ids sort by time, which is all a direct message needs; the random part keeps instances apart. */
    private static String newId() {
        return String.format("%016d-%012x", System.currentTimeMillis(),
                ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    record Delivered(String id, String how) {
    }
}
