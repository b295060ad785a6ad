package io.mom.transport.rest.internal.http;

import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs client connections: {@code event=connection_opened} when a connection carries its first request,
 * {@code event=connection_closed} with its request count and lifetime when it closes. One line each, no
 * request content. Thread-safe: the requests of one HTTP/1.1 connection are handled one after another,
 * and the counter is atomic anyway.
 */
final class ConnectionLog {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);
    private static final AttachmentKey<AtomicLong> REQUESTS = AttachmentKey.create(AtomicLong.class);

    private ConnectionLog() {
    }

    /** Called for each request: logs the connection the first time it is seen. */
    static void seen(ServerConnection connection) {
        AtomicLong requests = connection.getAttachment(REQUESTS);
        if (requests != null) {
            requests.incrementAndGet();
            return;
        }
        AtomicLong counter = new AtomicLong(1);
        connection.putAttachment(REQUESTS, counter);
        long opened = System.nanoTime();
        String remote = address(connection.getPeerAddress());
        boolean tls = connection.getSslSessionInfo() != null;
        log.info("event=connection_opened transport=http remote={} tls={}", remote, tls);
        connection.addCloseListener(c -> log.info("event=connection_closed transport=http remote={} requests={} ms={}",
                remote, counter.get(), (System.nanoTime() - opened) / 1_000_000));
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }
}
