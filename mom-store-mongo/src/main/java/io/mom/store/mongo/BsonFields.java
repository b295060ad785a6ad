package io.mom.store.mongo;

import org.bson.Document;

import java.time.Instant;
import java.util.Date;

/**
 * Encodings shared by the codecs: instants as BSON dates (readable in the shell) with the
 * sub-millisecond rest kept beside them, and names made safe to use as field names. Stateless.
 */
final class BsonFields {
    private static final String NANOS_SUFFIX = "Nanos";

    private BsonFields() {
    }

    /** Stores {@code instant} under {@code field}, exactly: a date, plus nanoseconds below the millisecond if any. */
    static void putInstant(Document doc, String field, Instant instant) {
        doc.append(field, new Date(instant.toEpochMilli()));
        int subMillis = instant.getNano() % 1_000_000;
        if (subMillis != 0) {
            doc.append(field + NANOS_SUFFIX, subMillis);
        }
    }

    static Instant getInstant(Document doc, String field) {
        Instant millis = Instant.ofEpochMilli(doc.getDate(field).getTime());
        Integer subMillis = doc.getInteger(field + NANOS_SUFFIX);
        return subMillis == null ? millis : millis.plusNanos(subMillis);
    }

    /**
     * A name usable as a field name in update paths: {@code %}, {@code .} and {@code $} (path separator
     * and operator prefix, as in the queue subscription {@code $queue}) are percent-encoded.
     */
    static String fieldName(String name) {
        if (name.indexOf('%') < 0 && name.indexOf('.') < 0 && name.indexOf('$') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                out.append("%25");
            } else if (c == '.') {
                out.append("%2E");
            } else if (c == '$') {
                out.append("%24");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The inverse of {@link #fieldName(String)}. */
    static String nameOf(String fieldName) {
        if (fieldName.indexOf('%') < 0) {
            return fieldName;
        }
        StringBuilder out = new StringBuilder(fieldName.length());
        for (int i = 0; i < fieldName.length(); i++) {
            char c = fieldName.charAt(i);
            if (c == '%' && i + 2 < fieldName.length()) {
                out.append((char) Integer.parseInt(fieldName.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
