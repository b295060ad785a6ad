package io.mom.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts. Every key sorts bytewise (RocksDB's default comparator) in the order recovery needs.
 *
 * <ul>
 *   <li>message and pending marks: {@code destination UTF-8, 0x00, partition (int, sign bit flipped, big-endian),
 *       sequence (long, sign bit flipped, big-endian)}: all messages of a destination are one range, ordered by
 *       partition then sequence. Names never contain 0x00 (see {@code io.mom.core.Names}).</li>
 *   <li>catalog: {@code 'D' name} for a destination, {@code 'S' topic 0x00 name} for a subscription, so every
 *       destination sorts before every subscription.</li>
 *   <li>users, revoked tokens: the UTF-8 name or token id; settings: {@code 0x01 key} (0x00 is the store's own).</li>
 * </ul>
 */
final class Keys {
    static final byte DESTINATION = 'D';
    static final byte SUBSCRIPTION = 'S';
    static final byte[] FORMAT_VERSION = {0x00, 'f', 'o', 'r', 'm', 'a', 't'};
    private static final byte SETTING = 0x01;
    private static final int POSITION_BYTES = 12;

    private Keys() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] message(String destination, int partition, long sequence) {
        byte[] name = utf8(destination);
        byte[] key = new byte[name.length + 1 + POSITION_BYTES];
        System.arraycopy(name, 0, key, 0, name.length);
        int at = name.length + 1;
        putInt(key, at, partition ^ Integer.MIN_VALUE);
        putLong(key, at + 4, sequence ^ Long.MIN_VALUE);
        return key;
    }

    /** First key of a destination's messages (inclusive). */
    static byte[] destinationStart(String destination) {
        byte[] name = utf8(destination);
        return Arrays.copyOf(name, name.length + 1);
    }

    /** End of a destination's messages (exclusive). */
    static byte[] destinationEnd(String destination) {
        byte[] end = destinationStart(destination);
        end[end.length - 1] = 0x01;
        return end;
    }

    /** Length of the destination name in a message key, i.e. the index of its 0x00 separator. */
    static int nameLength(byte[] messageKey) {
        return messageKey.length - 1 - POSITION_BYTES;
    }

    static int partition(byte[] messageKey) {
        return getInt(messageKey, nameLength(messageKey) + 1) ^ Integer.MIN_VALUE;
    }

    static long sequence(byte[] messageKey) {
        return getLong(messageKey, nameLength(messageKey) + 5) ^ Long.MIN_VALUE;
    }

    static String destination(byte[] messageKey) {
        return new String(messageKey, 0, nameLength(messageKey), StandardCharsets.UTF_8);
    }

    static byte[] destinationRecord(String name) {
        return tagged(DESTINATION, utf8(name));
    }

    static byte[] subscriptionRecord(String topic, String name) {
        byte[] t = utf8(topic);
        byte[] n = utf8(name);
        byte[] key = new byte[1 + t.length + 1 + n.length];
        key[0] = SUBSCRIPTION;
        System.arraycopy(t, 0, key, 1, t.length);
        System.arraycopy(n, 0, key, t.length + 2, n.length);
        return key;
    }

    /** Start (inclusive) of the subscriptions of a topic in the catalog. */
    static byte[] subscriptionsStart(String topic) {
        byte[] t = utf8(topic);
        byte[] key = new byte[t.length + 2];
        key[0] = SUBSCRIPTION;
        System.arraycopy(t, 0, key, 1, t.length);
        return key;
    }

    /** End (exclusive) of the subscriptions of a topic in the catalog. */
    static byte[] subscriptionsEnd(String topic) {
        byte[] key = subscriptionsStart(topic);
        key[key.length - 1] = 0x01;
        return key;
    }

    /** The name after the tag of a destination key. */
    static String destinationName(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    /** {topic, name} of a subscription key. */
    static String[] subscriptionName(byte[] key) {
        int sep = 1;
        while (key[sep] != 0) {
            sep++;
        }
        return new String[] {new String(key, 1, sep - 1, StandardCharsets.UTF_8),
                new String(key, sep + 1, key.length - sep - 1, StandardCharsets.UTF_8)};
    }

    static byte[] setting(String key) {
        return tagged(SETTING, utf8(key));
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] tagged(byte tag, byte[] rest) {
        byte[] key = new byte[rest.length + 1];
        key[0] = tag;
        System.arraycopy(rest, 0, key, 1, rest.length);
        return key;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static long getLong(byte[] b, int at) {
        return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xffffffffL);
    }
}
