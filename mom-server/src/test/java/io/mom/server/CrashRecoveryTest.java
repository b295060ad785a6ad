package io.mom.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash test of the durability contract: a server (RocksDB, the default store) in a child JVM is killed with
 * SIGKILL while producers publish and consumers receive and ack over REST, then restarted on the same data
 * directory, several times. Afterwards every acknowledged publish has been delivered, no message whose ack was
 * confirmed came back, deliveries in flight at a kill came back with a higher delivery count (or at least the same
 * one when that count may not have been written yet: counts are persisted lazily), and users, revoked tokens,
 * destinations, owners and subscriptions all survived each kill.
 */
@Tag("slow")
class CrashRecoveryTest {
    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final int KILLS = 5;
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 2;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedPublishAndAckSurvivesRepeatedKills() {
        CrashLedger ledger = new CrashLedger();
        DurableSetup.Tokens tokens = null;
        for (int run = 1; run <= KILLS; run++) {
            try (ServerProcess server = ServerProcess.start(DurableSetup.args(dataDir), Map.of())) {
                ApiClient api = new ApiClient(server.awaitRestUrl());
                DurableSetup.awaitHealthy(api);
                if (tokens == null) {
                    tokens = DurableSetup.create(api);
                } else {
                    DurableSetup.assertSurvived(api, tokens);
                }
                ledger.startRun(run);
                // Kill at a different point of the stream each time: later and later in the run.
                long publishes = 100L + 150L * (run - 1);
                long acks = 50L + 100L * (run - 1);
                try (CrashTraffic traffic = new CrashTraffic(api, tokens.valid(), ledger)) {
                    traffic.start(run, PRODUCERS, CONSUMERS);
                    await("traffic of run " + run).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !ledger.violations().isEmpty()
                                    || ledger.publishedInRun() >= publishes && ledger.ackedInRun() >= acks);
                    server.kill();
                }
                ledger.killed();
                log.info("run {}: killed after {} confirmed publishes and {} confirmed acks; {} deliveries in flight "
                        + "at kills so far", run, ledger.publishedInRun(), ledger.ackedInRun(), ledger.inFlightAtKills());
                assertThat(ledger.violations()).as("violations after run %d", run).isEmpty();
            }
        }

        try (ServerProcess server = ServerProcess.start(DurableSetup.args(dataDir), Map.of())) {
            ApiClient api = new ApiClient(server.awaitRestUrl());
            DurableSetup.awaitHealthy(api);
            DurableSetup.assertSurvived(api, tokens);
            drain(api, tokens.valid(), ledger);
            assertThat(ledger.violations()).isEmpty();
            assertThat(ledger.notReturned()).as("deliveries in flight at a kill that never came back").isEmpty();
            assertThat(ledger.neverDelivered()).as("acknowledged publishes never delivered").isEmpty();
            JsonObject queue = api.get("/v1/queues/" + DurableSetup.QUEUE, tokens.valid()).obj();
            assertThat(queue.get("depth").getAsInt()).isZero();
            assertThat(queue.get("inFlight").getAsInt()).isZero();
            // The kills did hit deliveries in flight, and those came back.
            assertThat(ledger.inFlightAtKills()).isPositive();
            assertThat(ledger.returned()).isEqualTo(ledger.inFlightAtKills());
            assertThat(ledger.publishedTotal()).isGreaterThanOrEqualTo(100L * KILLS);
            server.terminate();
        }
    }

    /** Receives and acks until the queue is empty, checking each delivery against the ledger. */
    private static void drain(ApiClient api, String token, CrashLedger ledger) {
        String queue = "/v1/queues/" + DurableSetup.QUEUE;
        ledger.startRun(KILLS + 1);
        while (true) {
            HttpReply r = api.post(queue + "/receive", token, json("max", 500, "waitMs", 500));
            assertThat(r.status()).as("receive: %s", r).isEqualTo(200);
            if (r.array("messages").isEmpty()) {
                return;
            }
            List<String> ids = new ArrayList<>();
            List<String> receipts = new ArrayList<>();
            for (JsonElement e : r.array("messages")) {
                JsonObject m = e.getAsJsonObject();
                ledger.delivered(m.get("id").getAsString(), m.get("deliveryCount").getAsInt());
                ids.add(m.get("id").getAsString());
                receipts.add(m.get("receipt").getAsString());
            }
            ledger.ackSending(ids);
            long tick = ledger.tickBeforeSend();
            HttpReply ack = api.post(queue + "/ack", token, json("receipts", receipts));
            assertThat(ack.obj().get("acked").getAsInt()).as("ack: %s", ack).isEqualTo(receipts.size());
            ledger.acked(ids, tick);
        }
    }

}
