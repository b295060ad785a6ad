package io.mom.server.cluster;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replication encoding writes exactly the bytes of DataOutputStream and reads them back. */
class OpBytesTest {
    private static final List<String> STRINGS = List.of("", "orders", "h\u00e9llo", "nul\u0000inside",
            "\uD83D\uDE00 emoji", "x".repeat(70_000 / 2));

    @Test
    void writesTheBytesOfDataOutputStream() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        OpBytes.Out out = new OpBytes.Out(4);
        try (DataOutputStream data = new DataOutputStream(expected)) {
            data.writeByte(-3);
            out.writeByte(-3);
            data.writeBoolean(true);
            out.writeBoolean(true);
            data.writeInt(-123_456_789);
            out.writeInt(-123_456_789);
            data.writeLong(Long.MIN_VALUE + 7);
            out.writeLong(Long.MIN_VALUE + 7);
            data.write(new byte[] {1, 2, 3});
            out.write(new byte[] {1, 2, 3});
            for (String s : STRINGS) {
                data.writeUTF(s);
                out.writeUTF(s);
            }
        }
        assertThat(Arrays.copyOf(out.buffer(), out.size())).isEqualTo(expected.toByteArray());

        OpBytes.In in = new OpBytes.In(ByteBuffer.wrap(expected.toByteArray()).asReadOnlyBuffer());
        assertThat(in.readByte()).isEqualTo((byte) -3);
        assertThat(in.readBoolean()).isTrue();
        assertThat(in.readInt()).isEqualTo(-123_456_789);
        assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE + 7);
        assertThat(in.readBytes(3)).containsExactly(1, 2, 3);
        for (String s : STRINGS) {
            assertThat(in.readUTF()).isEqualTo(s);
        }
        assertThatThrownBy(in::readByte).isInstanceOf(IOException.class);
    }

    @Test
    void aLengthBeyondTheDataFailsWithoutAllocatingIt() {
        OpBytes.In in = new OpBytes.In(ByteBuffer.wrap(new byte[] {1, 2}));
        assertThatThrownBy(() -> in.readBytes(Integer.MAX_VALUE)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> in.readBytes(-1)).isInstanceOf(IOException.class);
    }
}
