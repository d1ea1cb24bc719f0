package io.switchboard.api;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.switchboard.protocol.ProtocolException;

/** Refusals from the use-case layer, as HTTP statuses with the same error codes as the WebSocket. */
class ApiErrors {

    static Map<String, String> body(String code, String message) {
        return Map.of("code", code, "message", message);
    }

    @ServerExceptionMapper
    Response refused(ProtocolException e) {
        int status = switch (e.code()) {
            case FORBIDDEN -> 403;
            case TOO_LARGE -> 413;
            case RATE_LIMITED, INBOX_FULL -> 429;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case BAD_REQUEST -> 400;
        };
        return Response.status(status).entity(body(e.code().wireName(), e.getMessage())).build();
    }
}
