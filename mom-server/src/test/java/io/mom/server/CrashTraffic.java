package io.mom.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mom.transport.rest.testing.ApiClient.json;

/**
 * The clients of one server run of the crash test: producers publishing small batches with their own ids, and
 * consumers receiving and acking over REST, all recording into a {@link CrashLedger}. A client stops at the first
 * failed request (the server was killed): the outcome of that request is unknown, so nothing is recorded for it.
 * Every tenth message is left unacked at its first delivery, so that there are deliveries in flight at the kill.
 */
final class CrashTraffic implements AutoCloseable {
    private static final String QUEUE_PATH = "/v1/queues/" + DurableSetup.QUEUE;

    private final ApiClient api;
    private final String token;
    private final CrashLedger ledger;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    CrashTraffic(ApiClient api, String token, CrashLedger ledger) {
        this.api = api;
        this.token = token;
        this.ledger = ledger;
    }

    /** Starts the client threads; producers use distinct id prefixes made from {@code run}. */
    CrashTraffic start(int run, int producers, int consumers) {
        for (int p = 0; p < producers; p++) {
            String prefix = "r" + run + "p" + p + "-";
            threads.add(new Thread(() -> produce(prefix), "crash-producer-" + p));
        }
        for (int c = 0; c < consumers; c++) {
            threads.add(new Thread(this::consume, "crash-consumer-" + c));
        }
        threads.forEach(Thread::start);
        return this;
    }

    private void produce(String prefix) {
        int n = 0;
        try {
            while (running.get()) {
                int size = 1 + n % 7;
                List<Object> messages = new ArrayList<>(size);
                List<String> ids = new ArrayList<>(size);
                for (int i = 0; i < size; i++, n++) {
                    String id = prefix + n;
                    ids.add(id);
                    messages.add(Map.of("id", id, "payload", "payload of " + id));
                }
                ledger.sending(ids);
                long tick = ledger.tickBeforeSend();
                HttpReply r = api.post(QUEUE_PATH + "/messages", token, json("messages", messages));
                if (r.status() != 201) {
                    return; // refused while the server goes down: outcome unknown
                }
                List<String> confirmed = new ArrayList<>();
                r.array("ids").forEach(e -> confirmed.add(e.getAsString()));
                if (!confirmed.equals(ids)) {
                    ledger.violation("publish of " + ids + " answered with ids " + confirmed);
                    return;
                }
                ledger.published(ids, tick);
            }
        } catch (RuntimeException e) {
            // The server is gone.
        }
    }

    private void consume() {
        try {
            while (running.get()) {
                HttpReply r = api.post(QUEUE_PATH + "/receive", token, json("max", 50, "waitMs", 200));
                if (r.status() != 200) {
                    return;
                }
                List<String> receipts = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (JsonElement e : r.array("messages")) {
                    JsonObject m = e.getAsJsonObject();
                    String id = m.get("id").getAsString();
                    int count = m.get("deliveryCount").getAsInt();
                    if (!ledger.delivered(id, count)) {
                        return;
                    }
                    if (count > 1 || !leftUnacked(id)) {
                        ids.add(id);
                        receipts.add(m.get("receipt").getAsString());
                    }
                }
                if (!receipts.isEmpty()) {
                    ack(ids, receipts);
                }
            }
        } catch (RuntimeException e) {
            // The server is gone.
        }
    }

    private void ack(List<String> ids, List<String> receipts) {
        ledger.ackSending(ids);
        long tick = ledger.tickBeforeSend();
        HttpReply r = api.post(QUEUE_PATH + "/ack", token, json("receipts", receipts));
        if (r.status() != 200) {
            throw new IllegalStateException("ack refused: " + r);
        }
        if (r.obj().get("acked").getAsInt() != receipts.size() || !r.array("invalid").isEmpty()) {
            ledger.violation("ack of fresh receipts partly refused: " + r.body());
        }
        ledger.acked(ids, tick);
    }

    /** Every tenth message of each producer stays in flight at its first delivery. */
    static boolean leftUnacked(String id) {
        return id.endsWith("0");
    }

    /** Stops the clients (after the kill they stop by themselves at their next request) and waits for them. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop");
            }
        }
    }
}
