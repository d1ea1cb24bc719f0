package io.switchboard.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (the jar here; the native executable with -Dnative). */
@QuarkusIntegrationTest
class HttpApiIT extends HttpApiTest {
}
