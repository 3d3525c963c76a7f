package dev.thinj.spark;

import dev.thinj.model.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A config's tree with the registered functions of all but some sections turned into plain values, so
 * that resolving it calls only those sections' functions: an executor rebuilds the model, loss and
 * optimizer without reading the data. Sections stay, so variables that point into them still resolve.
 */
final class ConfigSections {
    private ConfigSections() {
    }

    /**
     * @param cfg a config
     * @param sections the top-level sections whose functions are kept
     * @return the tree to resolve
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> onlyFunctionsOf(Config cfg, Set<String> sections) {
        Map<String, Object> tree = cfg.toMap();
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            if (!sections.contains(e.getKey()) && e.getValue() instanceof Map<?, ?> m) {
                e.setValue(withoutFunctions((Map<String, Object>) m));
            }
        }
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutFunctions(Map<String, Object> block) {
        Map<String, Object> out = new LinkedHashMap<>();
        block.forEach((key, value) -> {
            if (!key.startsWith("@")) {
                out.put(key, value instanceof Map<?, ?> m ? withoutFunctions((Map<String, Object>) m) : value);
            }
        });
        return out;
    }
}
