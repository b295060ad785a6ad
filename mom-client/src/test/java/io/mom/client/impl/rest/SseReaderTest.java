package io.mom.client.impl.rest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SseReaderTest {

    private static List<SseReader.Event> read(String raw) throws IOException {
        SseReader r = new SseReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        List<SseReader.Event> out = new ArrayList<>();
        for (Optional<SseReader.Event> e = r.next(); e.isPresent(); e = r.next()) {
            out.add(e.get());
        }
        return out;
    }

    @Test
    void readsTypedEventsInOrder() throws IOException {
        assertThat(read("event: message\ndata: {\"id\":\"1\"}\n\nevent: deleted\ndata: {\"destination\":\"q\"}\n\n"))
                .containsExactly(new SseReader.Event("message", "{\"id\":\"1\"}"),
                        new SseReader.Event("deleted", "{\"destination\":\"q\"}"));
    }

    @Test
    void anEventWithoutTypeIsAMessageAndDataLinesJoinWithNewlines() throws IOException {
        assertThat(read("data: a\ndata: b\ndata:c\n\n"))
                .containsExactly(new SseReader.Event("message", "a\nb\nc"));
    }

    @Test
    void skipsCommentsIdsAndRetriesAndAcceptsCrLfAndCrLineEnds() throws IOException {
        assertThat(read(": keep-alive\r\nid: 7\r\nretry: 100\r\nevent: message\r\ndata: x\r\n\r\n:\rdata: y\r\r"))
                .containsExactly(new SseReader.Event("message", "x"), new SseReader.Event("message", "y"));
    }

    @Test
    void blankLinesWithoutDataDispatchNothingAndResetTheType() throws IOException {
        assertThat(read("event: deleted\n\n\ndata: z\n\n")).containsExactly(new SseReader.Event("message", "z"));
    }

    @Test
    void anUnterminatedLastEventIsDiscardedAndALeadingBomIgnored() throws IOException {
        assertThat(read("\uFEFFdata: whole\n\ndata: half")).containsExactly(new SseReader.Event("message", "whole"));
    }

    @Test
    void keepsMultibyteUtf8Intact() throws IOException {
        assertThat(read("data: h\u00e9llo \u4e16\u754c \uD83D\uDE00\n\n"))
                .containsExactly(new SseReader.Event("message", "h\u00e9llo \u4e16\u754c \uD83D\uDE00"));
    }
}
