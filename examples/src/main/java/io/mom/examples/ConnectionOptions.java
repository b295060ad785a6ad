package io.mom.examples;

import io.mom.client.MomClient;
import picocli.CommandLine.Option;

/**
 * The connection flags shared by the client apps ({@code --url --username --password}), with the
 * environment variables {@code MOM_URL}, {@code MOM_USERNAME} and {@code MOM_PASSWORD} as defaults.
 */
final class ConnectionOptions {
    @Option(names = "--url", defaultValue = "${env:MOM_URL:-http://127.0.0.1:8080}",
            description = "server URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--username", defaultValue = "${env:MOM_USERNAME:-admin}",
            description = "user name (default: ${DEFAULT-VALUE})")
    String username;

    @Option(names = "--password", defaultValue = "${env:MOM_PASSWORD}",
            description = "password (default: $MOM_PASSWORD)")
    String password;

    /** A client for these flags; it logs in on first use. */
    MomClient connect() {
        if (password == null) {
            throw new IllegalArgumentException("--password (or MOM_PASSWORD) is required");
        }
        return MomClient.builder().url(url).credentials(username, password).build();
    }
}
