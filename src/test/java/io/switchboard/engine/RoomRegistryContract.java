package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.RoomRegistry.Creation;
import io.switchboard.room.RoomRegistry.Joining;
import io.switchboard.room.RoomRegistry.Membership;
import io.switchboard.room.RoomRegistry.RoomQuota;

/** What every {@link RoomRegistry} must do; one subclass per engine. */
public abstract class RoomRegistryContract {

    private static final RoomQuota ANY = RoomQuota.NONE;

    protected abstract RoomRegistry registry();

    private RoomRegistry registry;
    private String room;

    @BeforeEach
    void setUp() {
        registry = registry();
        room = "room-" + UUID.randomUUID();
    }

    @Test
    void theFirstMemberCreatesTheRoomAndOwnsIt() {
        assertThat(registry.addMember(room, "alice", ANY).await().indefinitely()).isEqualTo(Joining.ADDED);
        assertThat(registry.addMember(room, "alice", ANY).await().indefinitely()).isEqualTo(Joining.ALREADY_MEMBER);
        assertThat(registry.addMember(room, "bob", ANY).await().indefinitely()).isEqualTo(Joining.ADDED);

        RoomInfo info = registry.find(room).await().indefinitely().orElseThrow();
        assertThat(info.owner()).isEqualTo("alice");
        assertThat(info.members()).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aPrivateRoomIsMadeOnlyByCreateAndRestoredAsItsOwnerHadIt() {
        String vault = "private:" + room;
        assertThat(registry.addMember(vault, "mallory", ANY).await().indefinitely()).isEqualTo(Joining.NO_SUCH_ROOM);
        assertThat(registry.find(vault).await().indefinitely()).isEmpty();

        assertThat(registry.restore(vault, "alice", Set.of("bob")).await().indefinitely()).isEqualTo("alice");
        assertThat(registry.restore(vault, "mallory", Set.of("eve")).await().indefinitely()).isEqualTo("alice");
        assertThat(registry.restore(vault, "alice", Set.of("carol")).await().indefinitely()).isEqualTo("alice");
        assertThat(registry.addMember(vault, "alice", ANY).await().indefinitely()).isEqualTo(Joining.ADDED);

        RoomInfo info = registry.find(vault).await().indefinitely().orElseThrow();
        assertThat(info.owner()).isEqualTo("alice");
        assertThat(registry.invitations(vault).await().indefinitely()).containsExactlyInAnyOrder("bob", "carol");
        assertThat(registry.membership(vault, "alice").await().indefinitely()).isEqualTo(Membership.MEMBER);
        assertThat(registry.membership(vault, "mallory").await().indefinitely()).isEqualTo(Membership.NOT_MEMBER);
        assertThat(registry.membership(vault + "-gone", "alice").await().indefinitely()).isEqualTo(Membership.NO_ROOM);
    }

    @Test
    void createTellsWhetherThisCallCreatedTheRoom() {
        assertThat(registry.create(room, "alice", ANY).await().indefinitely()).isEqualTo(Creation.CREATED);
        assertThat(registry.create(room, "bob", ANY).await().indefinitely()).isEqualTo(Creation.EXISTS);
        assertThat(registry.find(room).await().indefinitely().orElseThrow().owner()).isEqualTo("alice");
    }

    @Test
    void theLastMemberLeavingDeletesTheRoom() {
        registry.addMember(room, "alice", ANY).await().indefinitely();
        registry.addMember(room, "bob", ANY).await().indefinitely();

        assertThat(registry.removeMember(room, "alice").await().indefinitely()).isTrue();
        assertThat(registry.removeMember(room, "alice").await().indefinitely()).isFalse();
        assertThat(registry.find(room).await().indefinitely()).isPresent();
        registry.removeMember(room, "bob").await().indefinitely();

        assertThat(registry.find(room).await().indefinitely()).isEmpty();
        assertThat(registry.list(null, Integer.MAX_VALUE).await().indefinitely()).extracting(RoomInfo::room)
                .doesNotContain(room);
    }

    @Test
    void roomsOfAUserFollowTheirMemberships() {
        String other = room + "-b";
        registry.addMember(room, "carol", ANY).await().indefinitely();
        registry.addMember(other, "carol", ANY).await().indefinitely();

        assertThat(registry.roomsOf("carol").await().indefinitely()).containsExactly(room, other);
        registry.removeMember(room, "carol").await().indefinitely();
        assertThat(registry.roomsOf("carol").await().indefinitely()).containsExactly(other);
        registry.removeMember(other, "carol").await().indefinitely();
    }

    @Test
    void invitationsAreRemembered() {
        registry.addMember(room, "alice", ANY).await().indefinitely();

        assertThat(registry.invite(room, "bob", 10).await().indefinitely()).isTrue();

        assertThat(registry.isInvited(room, "bob").await().indefinitely()).isTrue();
        assertThat(registry.isInvited(room, "eve").await().indefinitely()).isFalse();
        assertThat(registry.isInvited(room + "-nowhere", "bob").await().indefinitely()).isFalse();
    }

    @Test
    void aRoomHoldsAtMostTheAllowedInvitationsAndRepeatingOneCountsNothing() {
        registry.addMember(room, "alice", ANY).await().indefinitely();
        assertThat(registry.invite(room, "bob", 2).await().indefinitely()).isTrue();
        assertThat(registry.invite(room, "bob", 2).await().indefinitely()).isTrue();
        assertThat(registry.invite(room, "carol", 2).await().indefinitely()).isTrue();

        assertThat(registry.invite(room, "dave", 2).await().indefinitely()).isFalse();
        assertThat(registry.invite(room, "carol", 2).await().indefinitely()).isTrue();

        assertThat(registry.isInvited(room, "dave").await().indefinitely()).isFalse();
        assertThat(registry.isInvited(room, "carol").await().indefinitely()).isTrue();
    }

    @Test
    void invitationsGoWithTheRoom() {
        registry.addMember(room, "alice", ANY).await().indefinitely();
        registry.invite(room, "bob", 1).await().indefinitely();
        registry.removeMember(room, "alice").await().indefinitely();

        registry.addMember(room, "carol", ANY).await().indefinitely();

        assertThat(registry.isInvited(room, "bob").await().indefinitely()).isFalse();
        assertThat(registry.invite(room, "dave", 1).await().indefinitely()).isTrue();
    }

    @Test
    void listShowsRoomsSortedById() {
        registry.addMember(room + "-b", "alice", ANY).await().indefinitely();
        registry.addMember(room + "-a", "alice", ANY).await().indefinitely();

        assertThat(registry.list(null, Integer.MAX_VALUE).await().indefinitely()).extracting(RoomInfo::room)
                .containsSubsequence(room + "-a", room + "-b");
    }

    @Test
    void listIsPagedByIdAfterACursor() {
        for (String suffix : List.of("-c", "-a", "-b")) {
            registry.addMember(room + suffix, "alice", ANY).await().indefinitely();
        }

        // nothing else sorts between this test's random room and its suffixes
        assertThat(registry.list(room, 2).await().indefinitely()).extracting(RoomInfo::room)
                .containsExactly(room + "-a", room + "-b");
        assertThat(registry.list(room + "-b", 1).await().indefinitely()).extracting(RoomInfo::room)
                .containsExactly(room + "-c");
    }

    @Test
    void joinsRacingEachOtherCannotPassTheRoomLimit() {
        String user = "racer-" + UUID.randomUUID();
        RoomQuota three = new RoomQuota(3, 100, Duration.ofDays(1));
        List<Joining> outcomes = Uni.join().all(IntStream.range(0, 10)
                .mapToObj(i -> registry.addMember(room + "-" + i, user, three)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .toList()).andFailFast().await().indefinitely();

        assertThat(outcomes).filteredOn(Joining.ADDED::equals).hasSize(3);
        assertThat(outcomes).filteredOn(Joining.TOO_MANY_ROOMS::equals).hasSize(7);
        assertThat(registry.roomsOf(user).await().indefinitely()).hasSize(3);
    }

    @Test
    void aUserCreatesNoMoreRoomsThanTheQuotaButMayStillJoinExistingOnes() {
        String user = "creator-" + UUID.randomUUID();
        RoomQuota two = new RoomQuota(100, 2, Duration.ofDays(1));
        registry.addMember(room + "-existing", "someone", ANY).await().indefinitely();

        assertThat(registry.addMember(room + "-1", user, two).await().indefinitely()).isEqualTo(Joining.ADDED);
        assertThat(registry.create(room + "-2", user, two).await().indefinitely()).isEqualTo(Creation.CREATED);
        assertThat(registry.addMember(room + "-3", user, two).await().indefinitely()).isEqualTo(Joining.OVER_QUOTA);
        assertThat(registry.create(room + "-4", user, two).await().indefinitely()).isEqualTo(Creation.OVER_QUOTA);
        assertThat(registry.find(room + "-3").await().indefinitely()).isEmpty();
        assertThat(registry.addMember(room + "-existing", user, two).await().indefinitely()).isEqualTo(Joining.ADDED);
    }

    @Test
    void aRoomDeletedWithItsLastMemberGivesItsCreationBackToItsOwner() {
        String user = "creator-" + UUID.randomUUID();
        RoomQuota one = new RoomQuota(100, 1, Duration.ofDays(1));
        assertThat(registry.addMember(room + "-1", user, one).await().indefinitely()).isEqualTo(Joining.ADDED);
        registry.addMember(room + "-1", "guest", ANY).await().indefinitely();
        registry.removeMember(room + "-1", user).await().indefinitely();

        assertThat(registry.addMember(room + "-2", user, one).await().indefinitely()).isEqualTo(Joining.OVER_QUOTA);
        registry.removeMember(room + "-1", "guest").await().indefinitely();
        assertThat(registry.addMember(room + "-2", user, one).await().indefinitely()).isEqualTo(Joining.ADDED);
    }
}
