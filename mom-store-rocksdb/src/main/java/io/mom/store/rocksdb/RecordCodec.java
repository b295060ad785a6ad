package io.mom.store.rocksdb;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.MomException;
import io.mom.core.Overflow;
import io.mom.core.Role;
import io.mom.core.SubscriptionOptions;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.StoreException;
import io.mom.core.spi.SubscriptionRecord;
import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore.RevokedToken;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Binary values of catalog and user records, each starting with a format version byte. Names that are
 * in the key are not repeated in the value. Enums are stored by name. Stateless.
 */
final class RecordCodec {
    static final int VERSION = 1;
    private static final int FIRST = 1;
    private static final int SECOND = 2;

    private RecordCodec() {
    }

    static byte[] destination(DestinationRecord d) {
        DestinationOptions o = d.options();
        ByteWriter w = new ByteWriter(64).writeByte(VERSION).writeString(d.type().name()).writeString(d.owner())
                .writeInstant(d.createdAt()).writeVarInt(o.partitions()).writeDuration(o.ackTimeout())
                .writeVarInt(o.maxDeliveries()).writeString(o.overflow().name());
        w.writeByte((o.ttl().isPresent() ? FIRST : 0) | (o.maxLength().isPresent() ? SECOND : 0));
        o.ttl().ifPresent(w::writeDuration);
        o.maxLength().ifPresent(w::writeLong);
        return w.toByteArray();
    }

    static DestinationRecord destination(String name, byte[] value) {
        ByteReader r = new ByteReader(value, "destination " + name);
        return decoding(r, () -> {
            r.expectVersion(VERSION);
            DestinationType type = DestinationType.valueOf(r.readString());
            String owner = r.readString();
            Instant createdAt = r.readInstant();
            DestinationOptions.Builder b = DestinationOptions.builder().partitions(r.readVarInt())
                    .ackTimeout(r.readDuration()).maxDeliveries(r.readVarInt())
                    .overflow(Overflow.valueOf(r.readString()));
            int flags = r.readByte();
            b.ttl((flags & FIRST) != 0 ? r.readDuration() : null);
            b.maxLength((flags & SECOND) != 0 ? r.readLong() : null);
            return new DestinationRecord(type, name, owner, b.build(), createdAt);
        });
    }

    static byte[] subscription(SubscriptionRecord s) {
        SubscriptionOptions o = s.options();
        ByteWriter w = new ByteWriter(48).writeByte(VERSION).writeString(s.owner()).writeInstant(s.createdAt());
        w.writeByte((o.ackTimeout().isPresent() ? FIRST : 0) | (o.maxDeliveries().isPresent() ? SECOND : 0));
        o.ackTimeout().ifPresent(w::writeDuration);
        o.maxDeliveries().ifPresent(w::writeVarInt);
        return w.toByteArray();
    }

    static SubscriptionRecord subscription(String topic, String name, byte[] value) {
        ByteReader r = new ByteReader(value, "subscription " + topic + "/" + name);
        return decoding(r, () -> {
            r.expectVersion(VERSION);
            String owner = r.readString();
            Instant createdAt = r.readInstant();
            int flags = r.readByte();
            Optional<Duration> ackTimeout = (flags & FIRST) != 0 ? Optional.of(r.readDuration()) : Optional.empty();
            Optional<Integer> maxDeliveries = (flags & SECOND) != 0 ? Optional.of(r.readVarInt()) : Optional.empty();
            return new SubscriptionRecord(topic, name, owner, new SubscriptionOptions(ackTimeout, maxDeliveries),
                    createdAt);
        });
    }

    static byte[] user(UserRecord u) {
        ByteWriter w = new ByteWriter(128).writeByte(VERSION).writeString(u.passwordHash())
                .writeVarInt(u.roles().size());
        u.roles().stream().map(Role::name).sorted().forEach(w::writeString);
        return w.writeInstant(u.tokensNotBefore()).toByteArray();
    }

    static UserRecord user(String username, byte[] value) {
        ByteReader r = new ByteReader(value, "user " + username);
        return decoding(r, () -> {
            r.expectVersion(VERSION);
            String hash = r.readString();
            int n = r.readVarInt();
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (int i = 0; i < n; i++) {
                roles.add(Role.valueOf(r.readString()));
            }
            return new UserRecord(username, hash, roles, r.readInstant());
        });
    }

    static byte[] revoked(RevokedToken t) {
        return new ByteWriter(16).writeByte(VERSION).writeInstant(t.expiresAt()).toByteArray();
    }

    static RevokedToken revoked(String tokenId, byte[] value) {
        ByteReader r = new ByteReader(value, "revoked token");
        return decoding(r, () -> {
            r.expectVersion(VERSION);
            return new RevokedToken(tokenId, r.readInstant());
        });
    }

    static byte[] setting(String value) {
        return new ByteWriter(value.length() + 4).writeByte(VERSION).writeString(value).toByteArray();
    }

    static String setting(String key, byte[] value) {
        ByteReader r = new ByteReader(value, "setting " + key);
        r.expectVersion(VERSION);
        return r.readString();
    }

    /** Turns a stored value that decodes but does not validate (unknown enum, option out of range) into corruption. */
    private static <T> T decoding(ByteReader r, Supplier<T> decode) {
        try {
            return decode.get();
        } catch (StoreException e) {
            throw e;
        } catch (MomException | IllegalArgumentException | ArithmeticException e) {
            throw r.corrupt(e.getMessage());
        }
    }
}
