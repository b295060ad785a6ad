package io.mom.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped {@code logback.xml}: standard output by default, rolling files when MOM_LOG_DIR is set. */
class LogFilesTest {
    @TempDir
    Path dir;

    private static LoggerContext configure(Map<String, String> properties) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL shipped = LogFiles.class.getResource("/logback.xml");
        assertThat(shipped).as("the shipped logback.xml").isNotNull();
        configurator.doConfigure(shipped);
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            assertThat(s.getLevel()).as(s.getMessage()).isLessThan(Status.WARN);
        }
        return context;
    }

    private static Appender<?> out(LoggerContext context) {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("OUT");
    }

    @Test
    void logsToStandardOutputByDefault() throws Exception {
        LoggerContext context = configure(Map.of());
        try {
            assertThat(out(context)).isInstanceOf(ConsoleAppender.class);
            assertThat(context.getLogger("io.undertow").getLevel().toString()).isEqualTo("WARN");
        } finally {
            context.stop();
        }
    }

    @Test
    void writesRollingFilesUnderTheLogDirectoryWhenItIsSet() throws Exception {
        Path logs = dir.resolve("logs");
        LoggerContext context = configure(Map.of(LogFiles.PROPERTY, logs.toString()));
        try {
            Appender<?> appender = out(context);
            assertThat(appender).isInstanceOf(RollingFileAppender.class);
            RollingFileAppender<?> file = (RollingFileAppender<?>) appender;
            assertThat(file.getFile()).isEqualTo(logs.resolve("mom.log").toString());
            assertThat(file.getRollingPolicy()).isInstanceOf(SizeAndTimeBasedRollingPolicy.class);
            assertThat(((SizeAndTimeBasedRollingPolicy<?>) file.getRollingPolicy()).getFileNamePattern())
                    .isEqualTo(logs + "/mom.%d{yyyy-MM-dd}.%i.log.gz");
            context.getLogger("io.mom.events").info("event=consumer_attached subscription=queue:q consumer=1");
            Thread spaced = new Thread(() -> context.getLogger("io.mom.events").info("event=probe"), "XNIO-1 I/O-1");
            spaced.start();
            spaced.join();
        } finally {
            context.stop();
        }
        String written = Files.readString(logs.resolve("mom.log"), StandardCharsets.UTF_8);
        assertThat(written).containsPattern("ts=\\S+ level=INFO logger=io.mom.events thread=\\S+ "
                + "event=consumer_attached subscription=queue:q consumer=1")
                .contains("thread=XNIO-1_I/O-1 event=probe");
    }

    @Test
    void aLogDirectoryGivenAsAFlagReconfiguresTheProcessLoggingOntoFiles() throws Exception {
        Path logs = dir.resolve("flag-logs");
        LoggerContext process = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        String before = System.getProperty("logback.configurationFile");
        // Stand in for the fat jar, where the shipped logback.xml is the one found (tests see logback-test.xml).
        System.setProperty("logback.configurationFile", LogFiles.class.getResource("/logback.xml").toString());
        try {
            assertThat(LogFiles.apply(Optional.of(logs), Map.of())).isTrue();
            org.slf4j.LoggerFactory.getLogger("io.mom.events").info("event=probe value=42");
            assertThat(Files.readString(logs.resolve("mom.log"), StandardCharsets.UTF_8))
                    .contains("event=log_files dir=" + logs).contains("event=probe value=42");
        } finally {
            System.clearProperty(LogFiles.PROPERTY);
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
            process.reset();
            new ch.qos.logback.classic.util.ContextInitializer(process).autoConfig();
        }
    }

    @Test
    void aLogDirectoryAlreadyGivenByTheEnvironmentNeedsNoReconfiguration() {
        assertThat(LogFiles.apply(Optional.empty(), Map.of())).isFalse();
        assertThat(LogFiles.apply(Optional.of(Path.of("/var/log/mom")), Map.of(LogFiles.PROPERTY, "/var/log/mom")))
                .isFalse();
    }
}
