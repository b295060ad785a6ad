package io.mom.transport.rest.internal.http;

import io.mom.core.MomException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Percent-decoding of raw path segments and query strings (UTF-8, strict). Stateless. */
public final class UrlText {
    private UrlText() {
    }

    /** Decoded segments of a raw path ({@code %2F} stays inside its segment). */
    public static List<String> segments(String rawPath) {
        List<String> raw = Router.split(rawPath);
        List<String> out = new ArrayList<>(raw.size());
        for (String s : raw) {
            out.add(decode(s, false));
        }
        return out;
    }

    /** Query parameters; a repeated name is rejected. {@code +} means a space, as in forms. */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            if (out.put(name, value) != null) {
                throw MomException.invalid("query parameter " + io.mom.transport.rest.internal.json.Fields.quote(name)
                        + " given more than once");
            }
        }
        return out;
    }

    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw MomException.invalid("malformed percent-encoding in the URL");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw MomException.invalid("malformed percent-encoding in the URL");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw MomException.invalid("the URL is not valid UTF-8");
        }
    }
}
