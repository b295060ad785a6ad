package io.mom.client;

/** What a destination with a {@code maxLength} does with a new message once it is full. */
public enum Overflow {
    /** Refuse the publish with {@link QueueFullException} (the server's default). */
    REJECT("reject"),
    /** Accept the new message and drop the oldest one. */
    DROP_OLDEST("dropOldest");

    private final String wireName;

    Overflow(String wireName) {
        this.wireName = wireName;
    }

    /** The name used by the API ({@code reject}, {@code dropOldest}). */
    public String wireName() {
        return wireName;
    }

    /** The value for an API name; {@link IllegalArgumentException} if there is none. */
    public static Overflow fromWireName(String wireName) {
        for (Overflow value : values()) {
            if (value.wireName.equalsIgnoreCase(wireName)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown overflow policy: " + wireName);
    }
}
