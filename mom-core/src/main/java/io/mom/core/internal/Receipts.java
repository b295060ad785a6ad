package io.mom.core.internal;

/**
 * Receipts are the delivery tag in base 36, prefixed by an epoch that changes on every broker start,
 * so that receipts from before a restart are reported as unknown instead of matching new deliveries.
 */
final class Receipts {
    private final String prefix;

    Receipts(long epoch) {
        this.prefix = Long.toString(epoch, 36) + ".";
    }

    String encode(long tag) {
        return prefix + Long.toString(tag, 36);
    }

    /** The tag of a receipt of this broker run, or -1 if it is not one. */
    long decode(String receipt) {
        if (receipt == null || receipt.length() > 40 || !receipt.startsWith(prefix)) {
            return -1;
        }
        try {
            long tag = Long.parseLong(receipt, prefix.length(), receipt.length(), 36);
            return tag > 0 ? tag : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
