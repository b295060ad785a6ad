package io.mom.server.logging;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs gRPC client connections (HTTP/2 transports): {@code event=connection_opened transport=grpc} and
 * {@code event=connection_closed transport=grpc}, one line each. Thread-safe and stateless.
 */
public final class GrpcConnectionLog extends ServerTransportFilter {
    private static final Logger log = LoggerFactory.getLogger(GrpcConnectionLog.class);

    @Override
    public Attributes transportReady(Attributes transport) {
        log.info("event=connection_opened transport=grpc remote={} tls={}",
                GrpcCallLog.address(transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION) != null);
        return transport;
    }

    @Override
    public void transportTerminated(Attributes transport) {
        log.info("event=connection_closed transport=grpc remote={}",
                GrpcCallLog.address(transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
    }
}
