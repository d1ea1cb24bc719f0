package io.switchboard.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.switchboard.config.SwitchboardConfig;

/** Picks how clients are identified ({@code switchboard.auth.mode}); the other authenticator is never created. */
@ApplicationScoped
class AuthenticatorProducer {

    @Produces
    @ApplicationScoped
    Authenticator authenticator(SwitchboardConfig config, Instance<DevAuthenticator> dev,
            Instance<TokenAuthenticator> token) {
        return switch (config.auth().mode()) {
            case DEV -> dev.get();
            case TOKEN -> token.get();
        };
    }
}
