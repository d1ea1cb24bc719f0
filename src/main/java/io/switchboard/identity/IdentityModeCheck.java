package io.switchboard.identity;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.switchboard.config.SwitchboardConfig;

/**
 * Says at start-up what the identity mode means, before the first client finds out. Token mode with no key
 * to verify tokens would refuse every upgrade with a bare 401, so the instance does not start and says which
 * settings to give. Dev mode in the {@code prod} profile trusts whatever {@code user_id} a client claims (an
 * administrator included): it starts, with a warning, since trials and trusted networks use it on purpose.
 */
@ApplicationScoped
public class IdentityModeCheck {

    static final int EXIT_MISCONFIGURED = 2;
    static final String NO_KEY = "switchboard.auth.mode=token but no key verifies tokens: set "
            + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM public key or JWKS: file, classpath resource or URL) for "
            + "production, or SWITCHBOARD_AUTH_MODE=dev for a trial (trusts ?user_id=); not starting";
    static final String DEV_IN_PROD = "switchboard.auth.mode=dev in the prod profile: any client may claim any "
            + "?user_id= and &groups=admin; set SWITCHBOARD_AUTH_MODE=token and MP_JWT_VERIFY_PUBLICKEY_LOCATION "
            + "unless this is a trial on a trusted network";
    private static final String[] KEY_SETTINGS = { "mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey",
            "smallrye.jwt.verify.key.location" };
    private static final Logger LOG = Logger.getLogger(IdentityModeCheck.class);

    void onStart(@Observes StartupEvent started, SwitchboardConfig config, Config settings) {
        if (config.auth().mode() == SwitchboardConfig.AuthMode.TOKEN && !hasVerificationKey(settings)) {
            LOG.error(NO_KEY);
            Quarkus.asyncExit(EXIT_MISCONFIGURED);
        } else if (trustsAnyone(config)) {
            LOG.warn(DEV_IN_PROD);
        }
    }

    /** Dev identity where production runs: whatever {@code user_id} a client claims is believed. */
    public static boolean trustsAnyone(SwitchboardConfig config) {
        return config.auth().mode() == SwitchboardConfig.AuthMode.DEV && LaunchMode.current() == LaunchMode.NORMAL
                && ConfigUtils.getProfiles().contains("prod");
    }

    private static boolean hasVerificationKey(Config settings) {
        for (String name : KEY_SETTINGS) {
            Optional<String> value = settings.getOptionalValue(name, String.class);
            if (value.isPresent() && !value.get().isBlank()) {
                return true;
            }
        }
        return false;
    }
}
