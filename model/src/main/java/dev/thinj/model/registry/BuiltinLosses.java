package dev.thinj.model.registry;

import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.CategoricalCrossentropyBuilder;
import dev.thinj.model.losses.CosineDistance;
import dev.thinj.model.losses.L2Distance;
import dev.thinj.model.losses.SequenceCategoricalCrossentropy;
import java.util.List;

/**
 * Thinc 8's losses ({@code thinc/loss.py}) in their three versions: v1 has the original options, v2
 * adds {@code neg_prefix}, v3 adds {@code label_smoothing} (and, for the sequence loss,
 * {@code missing_value}).
 */
final class BuiltinLosses {
    private BuiltinLosses() {
    }

    @Registered(registry = "losses", name = "CategoricalCrossentropy.v1")
    static CategoricalCrossentropy categoricalV1(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "names", defaultJson = "null") List<String> names,
            @Arg(value = "missing_value", defaultJson = "null") Object missingValue) {
        return categoricalV3(normalize, names, missingValue, null, 0.0);
    }

    @Registered(registry = "losses", name = "CategoricalCrossentropy.v2")
    static CategoricalCrossentropy categoricalV2(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "names", defaultJson = "null") List<String> names,
            @Arg(value = "missing_value", defaultJson = "null") Object missingValue,
            @Arg(value = "neg_prefix", defaultJson = "null") String negPrefix) {
        return categoricalV3(normalize, names, missingValue, negPrefix, 0.0);
    }

    @Registered(registry = "losses", name = "CategoricalCrossentropy.v3")
    static CategoricalCrossentropy categoricalV3(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "names", defaultJson = "null") List<String> names,
            @Arg(value = "missing_value", defaultJson = "null") Object missingValue,
            @Arg(value = "neg_prefix", defaultJson = "null") String negPrefix,
            @Arg(value = "label_smoothing", defaultJson = "0.0") double labelSmoothing) {
        CategoricalCrossentropyBuilder b = CategoricalCrossentropy.builder().normalize(normalize)
                .labelSmoothing(labelSmoothing);
        if (names != null) {
            b.names(names);
        }
        if (missingValue instanceof String s) {
            b.missingValue(s);
        } else if (missingValue != null) {
            b.missingValue(intMissingValue(missingValue));
        }
        if (negPrefix != null) {
            b.negPrefix(negPrefix);
        }
        return b.build();
    }

    @Registered(registry = "losses", name = "SequenceCategoricalCrossentropy.v1")
    static SequenceCategoricalCrossentropy sequenceV1(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "names", defaultJson = "null") List<String> names) {
        return sequenceV3(normalize, names, null, null, 0.0);
    }

    @Registered(registry = "losses", name = "SequenceCategoricalCrossentropy.v2")
    static SequenceCategoricalCrossentropy sequenceV2(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "names", defaultJson = "null") List<String> names,
            @Arg(value = "neg_prefix", defaultJson = "null") String negPrefix) {
        return sequenceV3(normalize, names, null, negPrefix, 0.0);
    }

    @Registered(registry = "losses", name = "SequenceCategoricalCrossentropy.v3")
    static SequenceCategoricalCrossentropy sequenceV3(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "names", defaultJson = "null") List<String> names,
            @Arg(value = "missing_value", defaultJson = "null") Object missingValue,
            @Arg(value = "neg_prefix", defaultJson = "null") String negPrefix,
            @Arg(value = "label_smoothing", defaultJson = "0.0") double labelSmoothing) {
        SequenceCategoricalCrossentropy.Builder b = SequenceCategoricalCrossentropy.builder().normalize(normalize)
                .labelSmoothing(labelSmoothing);
        if (names != null) {
            b.names(names);
        }
        if (missingValue instanceof String s) {
            b.missingValue(s);
        } else if (missingValue != null) {
            b.missingValue(intMissingValue(missingValue));
        }
        if (negPrefix != null) {
            b.negPrefix(negPrefix);
        }
        return b.build();
    }

    @Registered(registry = "losses", name = "L2Distance.v1")
    static L2Distance l2Distance(@Arg(value = "normalize", defaultJson = "true") boolean normalize) {
        return new L2Distance(normalize);
    }

    @Registered(registry = "losses", name = "CosineDistance.v1")
    static CosineDistance cosineDistance(
            @Arg(value = "normalize", defaultJson = "true") boolean normalize,
            @Arg(value = "ignore_zeros", defaultJson = "false") boolean ignoreZeros) {
        return new CosineDistance(normalize, ignoreZeros);
    }

    /** Thinc types it {@code Optional[Union[str, int]]}. */
    private static int intMissingValue(Object value) {
        if (value instanceof Long n && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new IllegalArgumentException("missing_value must be a string or an integer, got "
                + dev.thinj.model.config.JsonValues.describe(value));
    }
}
