package io.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.bus.DirectHandler;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.direct.Inbox;

/**
 * Messages addressed to a user's devices wherever they are connected: this instance's devices directly, with
 * no hop, and each other instance holding one of them once, through the instance route (where it registers
 * itself at start to take the direct messages for this instance). A direct message goes to every
 * device of the recipient and the sender's other devices, or into the inbox. Its ack says {@code online} once a
 * recipient device here proved it read it (it answered the ping that follows it), or the queue of an instance
 * holding one confirmed it, and {@code stored} once it is in the inbox; a message is never acked before one of the
 * two. What a device did not prove within {@code direct.proof-timeout}, or before it closed, goes to the inbox,
 * from where the recipient's other devices get it at once and the next one to connect later.
 */
@ApplicationScoped
class DirectMessaging implements DirectHandler {

    static final String ONLINE = "online";
    static final String STORED = "stored";
    private static final Logger LOG = Logger.getLogger(DirectMessaging.class);
    private static final Duration QUOTA_WINDOW = Duration.ofDays(1);
    /** How long a control message that an instance did not take is sent again (membership news, invitations). */
    static final Duration CONTROL_RETRIED_FOR = Duration.ofMinutes(1);
    private static final Duration CONTROL_BACKOFF = Duration.ofMillis(100);

    private final PresenceStore presence;
    private final Inbox inbox;
    private final InstanceRoute route;
    private final LocalDelivery local;
    private final LocalControl control;
    private final ChatMetrics metrics;
    private final String instanceId;
    private final int offlineRecipientsPerDay;
    private final StoredBytes storedBytes;

    DirectMessaging(PresenceStore presence, Inbox inbox, InstanceRoute route, LocalDelivery local, LocalControl control,
            ChatMetrics metrics, InstanceId instanceId, StoredBytes storedBytes, SwitchboardConfig config) {
        this.offlineRecipientsPerDay = config.limits().offlineRecipientsPerDay();
        this.storedBytes = storedBytes;
        this.control = control;
        this.presence = presence;
        this.inbox = inbox;
        this.route = route;
        this.local = local;
        this.metrics = metrics;
        this.instanceId = instanceId.id();
    }

    void onStart(@Observes StartupEvent started) {
        route.handle(this);
    }

    /** Sends and answers how it was delivered: {@link #ONLINE} or {@link #STORED}. */
    Uni<Delivered> send(Session sender, String to, String body) {
        DirectMessage message = new DirectMessage(newId(), sender.user(), to, body, System.currentTimeMillis());
        return presence.sessionsOf(List.of(to, sender.user()))
                .chain(sessions -> deliver(message, sender.id(), instancesOf(sessions.get(to)),
                        instancesOf(sessions.get(sender.user()))))
                .map(how -> new Delivered(message.id(), how));
    }

    /**
     * A direct message the instance route brought here: to the local devices, or the inbox if no recipient device proved
     * it read it (gone, closing, silent, or not reading). Completes once it is one or the other: until then the
     * RabbitMQ message that carries it is not acknowledged, so a crash leaves it to be taken over.
     */
    @Override
    public Uni<Void> receive(Envelope.Direct direct) {
        return local.direct(direct.message(), direct.senderSession()).chain(taken -> taken || !direct.forRecipient()
                ? Uni.createFrom().voidItem()
                : store(direct.message()));
    }

    /**
     * A direct message whose instance was gone ({@code lostInstance}, when known): routed once more to where the
     * recipient is now, else kept in the inbox; a copy for the sender's other devices is dropped (the sender has
     * it). Never back to the lost instance, nor to the instances the sender
     * also gave it to: they deliver or keep it themselves, and when this instance is one of them it already has.
     * A retry that fails again goes to the inbox, so a message never circles.
     */
    @Override
    public Uni<Void> undelivered(Envelope.Direct undelivered, String lostInstance) {
        DirectMessage message = undelivered.message();
        if (!undelivered.forRecipient()) {
            return Uni.createFrom().voidItem();
        }
        if (undelivered.retry()) {
            return store(message);
        }
        boolean handledHere = undelivered.alsoTo().contains(instanceId);
        return presence.sessions(message.to()).chain(sessions -> {
            Set<String> instances = instancesOf(sessions);
            instances.remove(lostInstance);
            instances.removeAll(undelivered.alsoTo());
            if (instances.isEmpty() && handledHere) {
                return Uni.createFrom().voidItem();
            }
            return toRecipient(message, undelivered.senderSession(), instances, true).replaceWithVoid();
        });
    }

    /**
     * Hands a control message (not a direct message) to every instance holding a device of the user. An instance
     * that does not take it at once is sent it again in the background, with backoff, until it does or holds no
     * device of the user any more (it died, or they left), for up to {@link #CONTROL_RETRIED_FOR}: a leave made
     * here must reach the user's devices everywhere.
     */
    Uni<Void> toDevices(String user, Envelope envelope) {
        return presence.sessions(user).chain(sessions -> {
            List<Uni<Void>> sends = instancesOf(sessions).stream()
                    .map(instance -> sendTo(instance, envelope).onFailure().recoverWithUni(failure -> {
                        LOG.debugf("control message for %s not routed to %s, retrying: %s", user, instance,
                                failure.getMessage());
                        untilTaken(user, instance, envelope, CONTROL_RETRIED_FOR).subscribe().with(
                                ok -> LOG.debugf("control message for %s reached %s on a retry", user, instance),
                                lost -> LOG.warnf("control message for %s never reached %s: %s", user, instance,
                                        lost.getMessage()));
                        return Uni.createFrom().voidItem();
                    }))
                    .toList();
            return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
        });
    }

    /**
     * An administrator's kick, to every instance holding a device of the user, each retried for up to
     * {@code within}; answers the instances that still hold one and did not take it (empty: every device is gone).
     */
    Uni<Set<String>> kick(String user, Duration within) {
        Envelope kick = new Envelope.Kick(user);
        return presence.sessions(user).chain(sessions -> {
            List<Uni<Optional<String>>> kicks = instancesOf(sessions).stream()
                    .map(instance -> untilTaken(user, instance, kick, within).replaceWith(Optional.<String> empty())
                            .onFailure().recoverWithItem(Optional.of(instance)))
                    .toList();
            return kicks.isEmpty() ? Uni.createFrom().item(Set.<String> of())
                    : Uni.join().all(kicks).andFailFast().map(missed -> missed.stream().flatMap(Optional::stream)
                            .collect(Collectors.toCollection(TreeSet::new)));
        });
    }

    /**
     * Sends with backoff until the instance takes it, or holds no device of the user any more (asked again before
     * each attempt), for up to {@code within}.
     */
    private Uni<Void> untilTaken(String user, String instance, Envelope envelope, Duration within) {
        return Uni.createFrom().deferred(() -> presence.sessions(user).chain(sessions ->
                instancesOf(sessions).contains(instance) ? sendTo(instance, envelope) : Uni.createFrom().voidItem()))
                .onFailure().retry().withBackOff(CONTROL_BACKOFF, CONTROL_BACKOFF.multipliedBy(20))
                .expireIn(within.toMillis());
    }

    private Uni<String> deliver(DirectMessage message, String senderSession, Set<String> recipientInstances,
            Set<String> senderInstances) {
        for (String instance : senderInstances) {
            if (!recipientInstances.contains(instance)) {
                // the sender's other devices are told on a best-effort basis: the sender already holds the message
                deliverTo(instance, message, senderSession, false, false, Set.of()).subscribe().with(
                        ok -> LOG.tracef("%s copied to %s's devices on %s", message.id(), message.from(), instance),
                        failure -> LOG.debugf("%s not copied to %s's devices on %s: %s", message.id(), message.from(),
                                instance, failure.getMessage()));
            }
        }
        return toRecipient(message, senderSession, recipientInstances, false);
    }

    /**
     * Delivered to at least one instance holding a recipient device ({@link #ONLINE}), else kept ({@link #STORED}).
     * Every instance given the message answers for the recipient's devices there: a remote one keeps it if none
     * of them takes it, and so does this one, even when another instance took it too.
     */
    private Uni<String> toRecipient(DirectMessage message, String senderSession, Set<String> instances, boolean retry) {
        if (instances.isEmpty()) {
            // nobody online: the sender's own request, within the sender's quota; a retry keeps what was acked
            return (retry ? store(message) : storeForSender(message)).replaceWith(STORED);
        }
        boolean localShare = instances.contains(instanceId) && instances.size() > 1;
        List<Uni<Boolean>> attempts = new ArrayList<>();
        for (String instance : instances) {
            Set<String> alsoTo = new LinkedHashSet<>(instances);
            alsoTo.remove(instance);
            Uni<Boolean> attempt = deliverTo(instance, message, senderSession, true, retry, alsoTo);
            if (localShare && instanceId.equals(instance)) {
                attempt = attempt.call(taken -> taken ? Uni.createFrom().voidItem() : store(message));
            }
            attempts.add(attempt);
        }
        return Uni.join().all(attempts).andFailFast().chain(results -> {
            if (results.contains(Boolean.TRUE)) {
                return Uni.createFrom().item(ONLINE);
            }
            return localShare ? Uni.createFrom().item(STORED) : store(message).replaceWith(STORED);
        });
    }

    /**
     * Keeps the message in the inbox, then looks for the recipient once more: a device that connected in the
     * meantime read the inbox before the message was in it, so it is handed the message now.
     */
    private Uni<Void> store(DirectMessage message) {
        return inbox.store(message).chain(() -> stored(message));
    }

    /**
     * Stores a message for a user nobody is connected as, counted against the sender's quotas of stored bytes and
     * of offline recipients ({@code rate_limited} beyond either) and the inbox's caps ({@code inbox_full}): a
     * refused message is not kept.
     */
    private Uni<Void> storeForSender(DirectMessage message) {
        return storedBytes.charge(message.from(), message.body())
                .chain(() -> inbox.storeWithinQuota(message, offlineRecipientsPerDay, QUOTA_WINDOW))
                .chain(verdict -> verdict == Inbox.Verdict.STORED ? stored(message)
                        : Uni.createFrom().failure(refusal(verdict, message.to())));
    }

    private ProtocolException refusal(Inbox.Verdict verdict, String to) {
        return switch (verdict) {
            case TOO_MANY_RECIPIENTS -> new ProtocolException(ErrorCode.RATE_LIMITED, "you left direct messages for "
                    + offlineRecipientsPerDay + " users who are offline in 24 hours, the most one sender may"
                    + " (switchboard.limits.offline-recipients-per-day); the message was not kept");
            case INBOX_FULL -> new ProtocolException(ErrorCode.INBOX_FULL, to + "'s inbox is full"
                    + " (switchboard.inbox.max-per-user); the message was not kept, send it once " + to + " has read");
            case SENDER_SHARE_FULL -> new ProtocolException(ErrorCode.INBOX_FULL, "you have the most direct messages"
                    + " one sender may leave waiting for " + to + " (switchboard.inbox.max-per-sender); the message"
                    + " was not kept, send it once " + to + " has read");
            case STORED -> throw new IllegalArgumentException("a stored message is not refused");
        };
    }

    private Uni<Void> stored(DirectMessage message) {
        metrics.inboxStored();
        return presence.sessions(message.to())
                .chain(sessions -> sessions.isEmpty() ? Uni.createFrom().voidItem()
                        : toDevices(message.to(), new Envelope.Stored(message)))
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("%s is in the inbox; the device that just connected gets it next time: %s",
                            message.id(), failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * True when a recipient device proved it read it (locally) or the queue of the instance holding one confirmed it
     * (remotely: that instance then writes it, or keeps it in the inbox if its device has gone meanwhile).
     */
    private Uni<Boolean> deliverTo(String instance, DirectMessage message, String senderSession, boolean forRecipient,
            boolean retry, Set<String> alsoTo) {
        if (instanceId.equals(instance)) {
            return local.direct(message, senderSession);
        }
        return route.send(instance, new Envelope.Direct(message, senderSession, forRecipient, retry, alsoTo))
                .replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(Boolean.FALSE);
    }

    /** Delivers to one instance: this one directly, others through the instance route. */
    private Uni<Void> sendTo(String instance, Envelope envelope) {
        if (instanceId.equals(instance)) {
            control.apply(envelope);
            return Uni.createFrom().voidItem();
        }
        return route.send(instance, envelope);
    }

    private static Set<String> instancesOf(List<SessionInfo> sessions) {
        Set<String> instances = new LinkedHashSet<>();
        sessions.forEach(s -> instances.add(s.instance()));
        return instances;
    }

    /**
     * Ids sort by time, which is all a direct message needs; the random part keeps instances apart. Padded by hand:
     * String.format cost 3 % of a direct message's CPU in the profile (bench/results/profile.md).
     */
    static String newId() {
        String millis = Long.toString(System.currentTimeMillis());
        String random = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
        return "0".repeat(16 - millis.length()) + millis + '-' + "0".repeat(12 - random.length()) + random;
    }

    record Delivered(String id, String how) {
    }
}
