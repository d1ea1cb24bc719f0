package io.switchboard.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/** This instance's id: {@code SERVER_ID}, or the host name (a pod's name on Kubernetes). */
@ApplicationScoped
public class InstanceId {

    private final String id;

    InstanceId(SwitchboardConfig config) {
        this.id = config.instanceId().filter(s -> !s.isBlank()).orElseGet(InstanceId::hostName);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "switchboard";
        }
    }
}
