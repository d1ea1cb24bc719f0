package io.switchboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * The browser client's files (index.html, app.js, ...) are served {@code no-cache}: revalidated on every load,
 * a 304 while unchanged. Vert.x's static handler marks them {@code immutable} for a day, so a deploy's new page
 * could be missed, or meet yesterday's script; none of these file names carries a content hash that would make
 * {@code immutable} safe. Replaced as the headers are written, after the static handler set its own.
 */
@ApplicationScoped
class StaticRevalidation {

    private static final int ORDER = 100;

    void register(@Observes Filters filters) {
        filters.register(context -> {
            context.addHeadersEndHandler(ended -> {
                String cacheControl = context.response().headers().get(HttpHeaders.CACHE_CONTROL);
                if (cacheControl != null && cacheControl.contains("immutable")) {
                    context.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache");
                }
            });
            context.next();
        }, ORDER);
    }
}
