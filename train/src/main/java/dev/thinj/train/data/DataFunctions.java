package dev.thinj.train.data;

import dev.thinj.model.registry.Arg;
import dev.thinj.model.registry.FunctionLibrary;
import dev.thinj.model.registry.Registered;
import java.nio.file.Path;

/**
 * The {@code datasets} functions this module adds to every config, found by
 * {@link dev.thinj.model.registry.Registry#global()} through
 * {@code META-INF/services/dev.thinj.model.registry.FunctionLibrary}:
 *
 * <pre>{@code
 * [data]
 * @datasets = "fashion_mnist.v1"
 * path = "/data/fashion-mnist"   # optional; without it, the embedded 6,000 / 1,000 subset
 * }</pre>
 */
public final class DataFunctions implements FunctionLibrary {
    /** Public for {@link java.util.ServiceLoader}. */
    public DataFunctions() {
    }

    /**
     * @param path a directory holding the four standard Fashion-MNIST files (gzipped or not), or
     *     {@code null} for the subset embedded in the jar
     * @return the training and test splits, as host arrays (pixels in [0, 1], labels 0..9)
     * @throws DataException if a file is missing or malformed
     */
    @Registered(registry = "datasets", name = "fashion_mnist.v1")
    public static Dataset fashionMnist(@Arg(value = "path", defaultJson = "null") String path) {
        return FashionMnist.load(path == null ? null : Path.of(path));
    }
}
