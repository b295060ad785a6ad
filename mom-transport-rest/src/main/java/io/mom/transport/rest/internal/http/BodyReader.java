package io.mom.transport.rest.internal.http;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.undertow.server.HttpServerExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body with a bound enforced while reading: a body larger than the bound is never
 * held in memory. The rest of an oversized body is read and discarded up to one more bound's worth so
 * that the client can still read the 413 answer; beyond that the connection is closed. Blocking: call
 * on a worker thread.
 */
final class BodyReader {
    private static final int CHUNK = 16 * 1024;

    private BodyReader() {
    }

    static byte[] read(HttpServerExchange exchange, long maxBytes) {
        if (!exchange.isBlocking()) {
            exchange.startBlocking();
        }
        long declared = exchange.getRequestContentLength();
        int initial = declared > 0 && declared <= maxBytes ? (int) declared : CHUNK;
        ByteArrayOutputStream out = new ByteArrayOutputStream(initial);
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        try {
            InputStream in = exchange.getInputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    exchange.setPersistent(false);
                    discard(in, buffer, maxBytes);
                    throw new MomException(ErrorCode.PAYLOAD_TOO_LARGE,
                            "the request body exceeds " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            exchange.setPersistent(false);
            throw MomException.invalid("the request body could not be read");
        }
        return out.toByteArray();
    }

    private static void discard(InputStream in, byte[] buffer, long budget) throws IOException {
        long left = budget;
        int n;
        while (left > 0 && (n = in.read(buffer)) != -1) {
            left -= n;
        }
    }
}
