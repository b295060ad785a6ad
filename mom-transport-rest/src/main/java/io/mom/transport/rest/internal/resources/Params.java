package io.mom.transport.rest.internal.resources;

import io.mom.core.Broker;
import io.mom.core.DeletePolicy;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.json.Fields;

import java.util.Optional;

/** Parsing of query parameters shared by the resources. Stateless. */
final class Params {
    private Params() {
    }

    static int integer(Call call, String name, int min, int max, int defaultValue) {
        Optional<String> raw = call.query(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String s = raw.get();
        String range = " must be an integer between " + min + " and " + max;
        if (s.isEmpty() || s.length() > 11 || !s.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
            throw MomException.invalid(Fields.quote(name) + range);
        }
        long value;
        try {
            value = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw MomException.invalid(Fields.quote(name) + range);
        }
        if (value < min || value > max) {
            throw MomException.invalid(Fields.quote(name) + range);
        }
        return (int) value;
    }

    static boolean bool(Call call, String name, boolean defaultValue) {
        Optional<String> raw = call.query(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if ("true".equals(raw.get())) {
            return true;
        }
        if ("false".equals(raw.get())) {
            return false;
        }
        throw MomException.invalid(Fields.quote(name) + " must be true or false");
    }

    /** {@code ?messages=drop} (default) or {@code ?messages=transfer&to=<existing queue or topic>}. */
    static DeletePolicy deletePolicy(Call call, Broker broker) {
        String mode = call.query("messages").orElse("drop");
        Optional<String> to = call.query("to");
        if ("drop".equals(mode)) {
            if (to.isPresent()) {
                throw MomException.invalid("'to' is only allowed with messages=transfer");
            }
            return DeletePolicy.drop();
        }
        if (!"transfer".equals(mode)) {
            throw MomException.invalid("'messages' must be drop or transfer");
        }
        String target = to.orElseThrow(() -> MomException.invalid("'to' is required with messages=transfer"));
        Names.require(target, "target");
        return DeletePolicy.transferTo(existing(broker, target));
    }

    /** The queue or topic of that name (names are unique across both). */
    private static DestinationRef existing(Broker broker, String name) {
        for (DestinationRef ref : new DestinationRef[]{DestinationRef.queue(name), DestinationRef.topic(name)}) {
            try {
                broker.describe(ref);
                return ref;
            } catch (MomException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        throw MomException.notFound("target destination " + name);
    }
}
