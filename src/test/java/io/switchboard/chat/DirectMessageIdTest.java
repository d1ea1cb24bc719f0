package io.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A direct message's id: 16 digits of epoch milliseconds, a dash, 12 hex digits; ids of later messages sort after. */
class DirectMessageIdTest {

    @Test
    void anIdIsZeroPaddedMillisecondsAndRandomHex() {
        for (int i = 0; i < 1000; i++) {
            assertThat(DirectMessaging.newId()).matches("\\d{16}-[0-9a-f]{12}");
        }
    }

    @Test
    void idsOfLaterMessagesSortAfterEarlierOnes() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(DirectMessaging.newId());
            Thread.sleep(2);
        }
        assertThat(ids).isSorted();
    }

    @Test
    void theTimeInAnIdIsWhenItWasMade() {
        long before = System.currentTimeMillis();
        long millis = Long.parseLong(DirectMessaging.newId().substring(0, 16));
        assertThat(millis).isBetween(before, System.currentTimeMillis());
    }
}
