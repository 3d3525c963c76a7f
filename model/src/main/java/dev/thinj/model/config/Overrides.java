package dev.thinj.model.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads config overrides from command-line arguments, as spaCy's CLI does:
 * {@code --training.batch_size 64}, {@code --training.batch_size=64}, or {@code --training.use_gpu}
 * alone for {@code true}. Values are read as JSON, else kept as strings ({@code --nlp.lang en}).
 * Pass the result to {@link Config#read(java.nio.file.Path, Map)} or {@link Config#withOverrides}.
 */
public final class Overrides {
    private Overrides() {
    }

    /**
     * @param args the arguments after the command's own, such as {@code ["--training.batch_size", "64"]}
     * @return dotted keys to values, in order
     * @throws ConfigException for an argument that is not a {@code --section.key} option
     */
    public static Map<String, Object> fromArgs(List<String> args) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            Location where = new Location("<override>", 0, null, arg);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException(where, "expected a config override such as --training.batch_size 64,"
                        + " got " + ConfigText.quote(arg));
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                value = "true";
            }
            if (name.indexOf('.') < 0) {
                throw new ConfigException(where, "a config override names a section and a key, as"
                        + " --section.key; got " + ConfigText.quote(arg));
            }
            Object parsed = JsonValues.tryParse(value);
            out.put(name, parsed == JsonValues.NOT_JSON ? value : parsed);
        }
        return out;
    }
}
