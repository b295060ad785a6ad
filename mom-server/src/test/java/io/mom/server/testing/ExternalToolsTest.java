package io.mom.server.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ExternalToolsTest {
    @Test
    void aMissingToolSkipsWithTheReasonOrFailsInCi() {
        Throwable t = catchThrowable(() -> ExternalTools.require("no-such-tool-4711", "package nothing"));
        if (ExternalTools.inCi()) {
            assertThat(t).isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
        } else {
            assertThat(t).isInstanceOf(TestAbortedException.class).hasMessageContaining("skipped");
        }
        assertThat(t).hasMessageContaining("no-such-tool-4711 is not installed (package nothing)");
    }

    @Test
    void aPresentToolIsFoundOnThePath() {
        assertThat(ExternalTools.find("sh")).isPresent();
    }
}
