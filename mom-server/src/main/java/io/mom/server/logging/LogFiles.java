package io.mom.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Switches the process's logging to rolling files when the {@code log.dir} setting asks for it. The shipped
 * {@code logback.xml} writes to files when the property {@code MOM_LOG_DIR} is defined: an environment
 * variable of that name works from the first line; a value given as a flag or in the properties file is
 * set here as a system property and logging is configured again, before the server starts. Process-wide:
 * called once by {@code Main}, never by an embedded server.
 */
public final class LogFiles {
    /** The property the shipped {@code logback.xml} reads. */
    public static final String PROPERTY = "MOM_LOG_DIR";

    private LogFiles() {
    }

    /**
     * Makes logging write under {@code logDir} if it is not already doing so.
     *
     * @return true if logging was configured again
     */
    public static boolean apply(Optional<Path> logDir, Map<String, String> env) {
        if (logDir.isEmpty()) {
            return false;
        }
        String dir = logDir.get().toString();
        if (dir.equals(env.get(PROPERTY)) || dir.equals(System.getProperty(PROPERTY))) {
            return false; // the configuration read at start-up already saw it
        }
        System.setProperty(PROPERTY, dir);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            return false;
        }
        LoggerContext context = (LoggerContext) factory;
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            // Logging itself is what failed to start, so standard error is the only place left to say so.
            System.err.println("mom-server: cannot configure logging under " + dir + ": " + e.getMessage());
            return false;
        }
        LoggerFactory.getLogger(LogFiles.class).info("event=log_files dir={}", dir);
        return true;
    }
}
