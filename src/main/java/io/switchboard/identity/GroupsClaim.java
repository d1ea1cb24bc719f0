package io.switchboard.identity;

import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A verified token's {@code groups}, read from its payload as sent: an array of strings, or absent. SmallRye
 * would split a string on spaces ({@code "eng admin"} made an administrator) and fail on an object or a number
 * with an exception answered 500; any such claim refuses the token instead.
 */
final class GroupsClaim {

    private GroupsClaim() {
    }

    /** The groups; empty when the claim is there but not an array of strings. */
    static Optional<Set<String>> of(String verifiedToken, ObjectMapper mapper) {
        String[] parts = verifiedToken.split("\\.", 3);
        if (parts.length < 2) {
            return Optional.empty();
        }
        JsonNode groups;
        try {
            groups = mapper.readTree(Base64.getUrlDecoder().decode(parts[1])).get("groups");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (groups == null || groups.isNull()) {
            return Optional.of(Set.of());
        }
        if (!groups.isArray()) {
            return Optional.empty();
        }
        Set<String> names = new HashSet<>();
        for (JsonNode group : groups) {
            if (!group.isTextual()) {
                return Optional.empty();
            }
            names.add(group.asText());
        }
        return Optional.of(Set.copyOf(names));
    }
}
