package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;

/** What every {@link RoomRegistry} must do; one subclass per engine. */
public abstract class RoomRegistryContract {

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
        assertThat(registry.addMember(room, "alice").await().indefinitely()).isTrue();
        assertThat(registry.addMember(room, "alice").await().indefinitely()).isFalse();
        assertThat(registry.addMember(room, "bob").await().indefinitely()).isTrue();

        RoomInfo info = registry.find(room).await().indefinitely().orElseThrow();
        assertThat(info.owner()).isEqualTo("alice");
        assertThat(info.members()).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void createTellsWhetherThisCallCreatedTheRoom() {
        assertThat(registry.create(room, "alice").await().indefinitely()).isTrue();
        assertThat(registry.create(room, "bob").await().indefinitely()).isFalse();
        assertThat(registry.find(room).await().indefinitely().orElseThrow().owner()).isEqualTo("alice");
    }

    @Test
    void theLastMemberLeavingDeletesTheRoom() {
        registry.addMember(room, "alice").await().indefinitely();
        registry.addMember(room, "bob").await().indefinitely();

        assertThat(registry.removeMember(room, "alice").await().indefinitely()).isTrue();
        assertThat(registry.removeMember(room, "alice").await().indefinitely()).isFalse();
        assertThat(registry.find(room).await().indefinitely()).isPresent();
        registry.removeMember(room, "bob").await().indefinitely();

        assertThat(registry.find(room).await().indefinitely()).isEmpty();
        assertThat(registry.list().await().indefinitely()).extracting(RoomInfo::room).doesNotContain(room);
    }

    @Test
    void roomsOfAUserFollowTheirMemberships() {
        String other = room + "-b";
        registry.addMember(room, "carol").await().indefinitely();
        registry.addMember(other, "carol").await().indefinitely();

        assertThat(registry.roomsOf("carol").await().indefinitely()).containsExactly(room, other);
        registry.removeMember(room, "carol").await().indefinitely();
        assertThat(registry.roomsOf("carol").await().indefinitely()).containsExactly(other);
        registry.removeMember(other, "carol").await().indefinitely();
    }

    @Test
    void invitationsAreRemembered() {
        registry.addMember(room, "alice").await().indefinitely();

        registry.invite(room, "bob").await().indefinitely();

        RoomInfo info = registry.find(room).await().indefinitely().orElseThrow();
        assertThat(info.isInvited("bob")).isTrue();
        assertThat(info.isInvited("eve")).isFalse();
    }

    @Test
    void listShowsRoomsSortedById() {
        registry.addMember(room + "-b", "alice").await().indefinitely();
        registry.addMember(room + "-a", "alice").await().indefinitely();

        assertThat(registry.list().await().indefinitely()).extracting(RoomInfo::room)
                .containsSubsequence(room + "-a", room + "-b");
    }
}
