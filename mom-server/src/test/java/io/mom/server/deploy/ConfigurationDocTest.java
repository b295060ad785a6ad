package io.mom.server.deploy;

import io.mom.server.config.Setting;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} lists every {@link Setting} with its default, exactly as the server has
 * them: the table between the markers is generated from the enum. Run with {@code -Dmom.docs.write=true}
 * to rewrite it after changing a setting.
 */
class ConfigurationDocTest {
    static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String BEGIN =
            "<!-- settings:begin (generated from Setting.java; ConfigurationDocTest checks it) -->";
    private static final String END = "<!-- settings:end -->";

    static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Environment variable | Flag | Properties key | Default | Meaning |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            sb.append("| `").append(s.env()).append("` | `").append(s.flag()).append("` | `").append(s.key())
                    .append("` | ").append(s.defaultValue().map(d -> "`" + d + "`").orElse("unset"))
                    .append(" | ").append(s.help().replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|"))
                    .append(s.isSecret() ? " (secret: never logged)" : "").append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void theDocumentListsEverySettingWithItsDefault() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String expected = table();
        if (Boolean.getBoolean("mom.docs.write")) {
            doc = doc.substring(0, doc.indexOf(BEGIN) + BEGIN.length()) + "\n" + expected
                    + doc.substring(doc.indexOf(END));
            Files.writeString(DOC, doc, StandardCharsets.UTF_8);
        }
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("marker " + BEGIN).isNotNegative();
        assertThat(end).as("marker " + END).isGreaterThan(begin);
        String actual = doc.substring(begin + BEGIN.length(), end).strip() + "\n";
        assertThat(actual).as("docs/configuration.md is out of date; run this test with -Dmom.docs.write=true")
                .isEqualTo(expected);
        for (Setting s : Setting.values()) {
            assertThat(doc).contains("`" + s.env() + "`");
        }
    }
}
