package io.mom.server.observability;

import io.mom.server.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium, driven by {@code src/test/js/dashboard.spec.mjs} through
 * playwright-core: sign in, see a queue this test created, see its depth go from 0 to 1 after a publish,
 * with the token only ever in the {@code Authorization} header. Needs node, Chromium and
 * {@code npm ci} in {@code mom-server/src/test/js} (all done by {@code .ci/run}); skipped with the reason when
 * one is missing, failed instead when {@code CI=true}.
 */
class DashboardBrowserTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/js");

    @TempDir
    Path dataDir;

    @Test
    void signsInAndSeesTheDepthOfANewQueueChangeAfterAPublish() throws Exception {
        Path node = ExternalTools.require("node", "Node.js 18 or later");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        ExternalTools.require(chromium, "Debian package chromium, or set CHROMIUM");
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            ExternalTools.unavailable("playwright-core is not installed (run npm ci in mom-server/src/test/js)");
        }
        Path screenshots = Files.createDirectories(Path.of("target", "dashboard"));
        try (RunningServer s = RunningServer.start(dataDir)) {
            String admin = s.admin();
            assertThat(s.api.put("/v1/queues/dash.orders", admin, null).status()).isEqualTo(201);

            ExternalTools.Outcome run = ExternalTools.run(List.of(node.toString(), "dashboard.spec.mjs",
                    s.server.restUrl(), "admin", RunningServer.ADMIN_PASSWORD, "dash.orders",
                    screenshots.toAbsolutePath().toString()), SCRIPT_DIR, Map.of("CHROMIUM", chromium), null, 180);

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("OK depth 0 -> 1 for dash.orders");
        }
    }
}
