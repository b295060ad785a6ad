package io.mom.server.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little ASN.1 DER needed to rewrap PKCS#1 and SEC1 private keys as PKCS#8: reading a
 * tag-length-value and writing sequences, integers, octet strings and object identifiers. Stateless.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** Context-specific, constructed, tag 0 ({@code [0] EXPLICIT}). */
    static final int CONTEXT_0 = 0xa0;

    /** One element: its tag, and its content bytes. */
    record Element(int tag, byte[] content) {
        /** The elements inside a constructed element. */
        List<Element> children() {
            List<Element> out = new ArrayList<>();
            int[] pos = {0};
            while (pos[0] < content.length) {
                out.add(read(content, pos));
            }
            return out;
        }

        byte[] encoded() {
            return Der.encode(tag, content);
        }
    }

    private Der() {
    }

    /** Reads the one element that makes up {@code der}. */
    static Element parse(byte[] der) {
        int[] pos = {0};
        Element e = read(der, pos);
        if (pos[0] != der.length) {
            throw new IllegalArgumentException("trailing bytes after the DER structure");
        }
        return e;
    }

    private static Element read(byte[] der, int[] pos) {
        int p = pos[0];
        if (p + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[p++] & 0xff;
        int length = der[p++] & 0xff;
        if (length > 0x7f) {
            int bytes = length & 0x7f;
            if (bytes < 1 || bytes > 3 || p + bytes > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | der[p++] & 0xff;
            }
        }
        if (p + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        pos[0] = p + length;
        return new Element(tag, Arrays.copyOfRange(der, p, p + length));
    }

    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        return encode(SEQUENCE, content.toByteArray());
    }

    static byte[] integer(int small) {
        return encode(INTEGER, new byte[]{(byte) small});
    }

    static byte[] octetString(byte[] content) {
        return encode(OCTET_STRING, content);
    }

    static byte[] nullValue() {
        return new byte[]{NULL, 0};
    }

    /** An object identifier written in dotted form, such as {@code 1.2.840.113549.1.1.1}. */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long value = Long.parseLong(parts[i]);
            byte[] base128 = new byte[10];
            int n = 0;
            do {
                base128[n++] = (byte) (value & 0x7f);
                value >>>= 7;
            } while (value != 0);
            for (int j = n - 1; j >= 0; j--) {
                content.write(base128[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return encode(OID, content.toByteArray());
    }
}
