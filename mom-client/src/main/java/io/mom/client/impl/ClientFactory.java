package io.mom.client.impl;

import io.mom.client.ClientOptions;
import io.mom.client.MomClient;
import io.mom.client.impl.rest.RestTransport;

import java.util.Locale;

/**
 * Creates clients: the URL scheme of the options picks the {@link Transport}. {@code http} and
 * {@code https} use {@link RestTransport}; {@code grpc} and {@code grpcs} are reserved for the gRPC
 * transport and refused until it exists.
 */
public final class ClientFactory {
    private ClientFactory() {
    }

    /** A client for validated options. */
    public static MomClient create(ClientOptions options) {
        return new RemoteMomClient(options, transportFor(options));
    }

    /** The transport for the options' URL scheme. */
    static Transport transportFor(ClientOptions options) {
        String scheme = options.url().getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http":
            case "https":
                return new RestTransport(options);
            case "grpc":
            case "grpcs":
                throw new IllegalArgumentException("the gRPC transport is not available in this client version: "
                        + options.url());
            default:
                throw new IllegalArgumentException("unsupported url scheme: " + options.url());
        }
    }
}
