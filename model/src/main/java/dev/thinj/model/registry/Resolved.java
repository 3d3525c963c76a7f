package dev.thinj.model.registry;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A resolved config: the config's tree with every block replaced by the object its function
 * returned (a {@code Model}, an {@code Optimizer}, a {@code Schedule}, ...), positional {@code *}
 * sections by lists, and everything else as in the config. Also holds the filled config, the
 * config with every default written out, which is what to save beside a trained model.
 */
public final class Resolved {
    private final Map<String, Object> tree;
    private final Config config;
    private final Map<String, Object> filledTree;
    private Config filled;

    Resolved(Map<String, Object> tree, Config config, Map<String, Object> filledTree) {
        this.tree = Collections.unmodifiableMap(tree);
        this.config = config;
        this.filledTree = filledTree;
    }

    /** @return the resolved tree (unmodifiable at the top; nested sections are plain maps) */
    public Map<String, Object> asMap() {
        return tree;
    }

    /**
     * @param dottedPath keys from the top joined by dots, such as {@code "training.batch_size"}
     * @return the value there
     * @throws ConfigException if there is none
     */
    public Object get(String dottedPath) {
        List<String> path = Arrays.asList(dottedPath.split("\\.", -1));
        Object node = tree;
        for (int i = 0; i < path.size(); i++) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(path.get(i))) {
                List<String> known = new ArrayList<>();
                if (node instanceof Map<?, ?> mm) {
                    for (Object k : mm.keySet()) {
                        known.add(String.valueOf(k));
                    }
                }
                throw new ConfigException(config.location(path.subList(0, i)), "the config has no value "
                        + dottedPath + Suggest.didYouMean(path.get(i), known));
            }
            node = m.get(path.get(i));
        }
        return node;
    }

    /**
     * The value at a path, converted as a registered function's argument of that type would be: an
     * {@code int} from an integer, a {@code Schedule} from a number, a list or a schedule block.
     *
     * @param dottedPath keys joined by dots
     * @param type what the caller needs
     * @param <T> that type
     * @return the value
     * @throws ConfigException naming the config location when the value is missing or of another type
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String dottedPath, Class<T> type) {
        Object v = get(dottedPath);
        Object converted = ArgConverter.convert(v, type, !type.isPrimitive(), config.location(dottedPath));
        return (T) converted;
    }

    /** @return the config that was resolved */
    public Config config() {
        return config;
    }

    /** @return the config completed with every default, its variables kept */
    public synchronized Config filled() {
        if (filled == null) {
            filled = config.withValues(filledTree);
        }
        return filled;
    }

    @Override
    public String toString() {
        return "Resolved" + tree.keySet();
    }
}
