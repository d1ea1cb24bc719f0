package io.switchboard.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;


/** Opens clients against one server and closes them all after each test; ids are unique per test. */
public final class Clients implements AutoCloseable {

    private final URI ws;
    private final List<ChatClient> open = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    public Clients(URI ws) {
        this.ws = ws;
    }

    /** A user or room id unique to this test: {@code name-<random>}. */
    public String id(String name) {
        return name + "-" + suffix;
    }

    /** Connects as {@code user} (already unique, see {@link #id}) and waits for the welcome. */
    public ChatClient user(String user) {
        return query("user_id=" + user);
    }

    public ChatClient query(String query) {
        ChatClient client = ChatClient.welcomed(ws, query);
        open.add(client);
        return client;
    }

    @Override
    public void close() {
        open.forEach(ChatClient::close);
        open.clear();
    }
}
