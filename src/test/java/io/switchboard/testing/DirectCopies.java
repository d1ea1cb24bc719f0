package io.switchboard.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a user's devices received of direct messages: how many copies of each id, and which acked ids none got. */
public final class DirectCopies {

    private DirectCopies() {
    }

    /** Direct message id to the number of copies the devices received together. */
    public static Map<String, Integer> copies(List<ChatClient> devices) {
        Map<String, Integer> copies = new HashMap<>();
        for (ChatClient device : devices) {
            device.all(f -> "direct".equals(f.getString("type")))
                    .forEach(dm -> copies.merge(dm.getString("id"), 1, Integer::sum));
        }
        return copies;
    }

    /** The acked ids no device received. */
    public static List<String> notDelivered(Collection<String> acked, List<ChatClient> devices) {
        List<String> lost = new ArrayList<>(acked);
        lost.removeAll(copies(devices).keySet());
        return lost;
    }
}
