package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.conformance.KernelOperands.Args;
import dev.thinj.ops.conformance.KernelOperands.Kernel;
import dev.thinj.ops.conformance.KernelOperands.Operand;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every array operand of every kernel ({@link KernelOperands}) is checked before it is used: one of
 * the wrong rank or of a wrong extent raises a shape error naming the kernel; one closed by
 * {@code close()} (its memory may be gone; reading it could crash an off-heap or GPU backend) or owned
 * by another backend (copy it with {@code ops.asArray(other)} first) raises an
 * {@link dev.thinj.ops.ArrayStateException} naming the kernel. Each case puts one such array in one
 * argument, every other argument valid; the table's valid call is checked to pass first, so a case
 * fails only for the one bad operand.
 */
abstract class OperandContract extends KernelContract {

    /**
     * One bad operand of one kernel call.
     *
     * @param kernel the call
     * @param operand which operand is bad
     * @param what the fault, for the test name
     * @param bad makes the bad operand on the backend under test
     */
    record Case(Kernel kernel, int operand, String what, Function<Ops, NdArray> bad) {
        @Override
        public String toString() {
            return kernel + "(" + kernel.operands().get(operand).name() + ") " + what;
        }

        /** Runs the call with the bad operand in place. */
        void run(Ops ops) {
            kernel.call().run(ops, args(ops, kernel, operand, bad.apply(ops)));
        }

        String[] names() {
            return kernel.names().toArray(String[]::new);
        }
    }

    /** Valid arrays for every operand but {@code badIndex}, which gets {@code bad}. */
    private static Args args(Ops ops, Kernel kernel, int badIndex, NdArray bad) {
        List<Operand> operands = kernel.operands();
        NdArray[] arrays = new NdArray[operands.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = i == badIndex ? bad : operands.get(i).make(ops);
        }
        return new Args() {
            @Override
            public FloatArray f(int i) {
                return (FloatArray) arrays[i];
            }

            @Override
            public IntArray i(int i) {
                return (IntArray) arrays[i];
            }
        };
    }

    static Stream<Named<Kernel>> kernels() {
        return KernelOperands.all().stream().map(k -> Named.of(k.label(), k));
    }

    /** For each operand of each kernel, the cases {@code faults} makes for it. */
    private static Stream<Named<Case>> cases(Function<Operand, Stream<Fault>> faults) {
        return cases(k -> true, faults);
    }

    private static Stream<Named<Case>> cases(Predicate<Kernel> kernels, Function<Operand, Stream<Fault>> faults) {
        return KernelOperands.all().stream().filter(kernels).flatMap(k -> {
            Stream.Builder<Case> out = Stream.builder();
            for (int i = 0; i < k.operands().size(); i++) {
                int index = i;
                faults.apply(k.operands().get(i)).forEach(f -> out.add(new Case(k, index, f.what(), f.bad())));
            }
            return out.build();
        }).map(c -> Named.of(c.toString(), c));
    }

    private record Fault(String what, Function<Ops, NdArray> bad) {
    }

    private static Stream<Fault> reshaped(Operand operand, List<int[]> shapes) {
        return shapes.stream().map(s -> new Fault(Shapes.format(s), ops -> operand.make(ops, s)));
    }

    static Stream<Named<Case>> wrongRanks() {
        return cases(o -> reshaped(o, o.wrongRanks()));
    }

    static Stream<Named<Case>> wrongDims() {
        return cases(o -> reshaped(o, o.wrongDims()));
    }

    static Stream<Named<Case>> closedArrays() {
        return cases(o -> Stream.of(new Fault("closed", ops -> {
            NdArray a = o.make(ops);
            a.close();
            return a;
        })));
    }

    static Stream<Named<Case>> foreignArrays() {
        return cases(k -> !k.copiesForeign(), o -> Stream.of(new Fault("of another backend", ops -> o.foreign())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void theValidCallOfEachKernelIsAccepted(Kernel kernel) {
        assertThatCode(() -> {
            kernel.call().run(ops(), args(ops(), kernel, -1, null));
            ops().synchronize();
        }).as("%s with the table's valid operands", kernel).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongRanks")
    void anOperandOfTheWrongRankIsRefused(Case c) {
        Rejects.badInput(c.toString(), () -> c.run(ops()), c.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongDims")
    void anOperandOfAWrongExtentIsRefused(Case c) {
        Rejects.badInput(c.toString(), () -> c.run(ops()), c.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closedArrays")
    void aClosedOperandIsRefused(Case c) {
        Rejects.arrayState(c.toString(), () -> c.run(ops()), c.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignArrays")
    void anOperandOfAnotherBackendIsRefused(Case c) {
        Rejects.arrayState(c.toString(), () -> c.run(ops()), c.names());
    }

    @Test
    void anArrayOfAnotherBackendIsCopiedByAsArrayAndAsInts() {
        FloatArray f = ops().asArray(ForeignArrays.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(f.ops()).isSameAs(ops());
        assertThat(f.shape()).containsExactly(2, 3);
        assertThat(f.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        IntArray i = ops().asInts(ForeignArrays.ints(new int[] {7, 8}, 2));
        assertThat(i.ops()).isSameAs(ops());
        assertThat(i.toIntArray()).containsExactly(7, 8);
    }

    @Test
    void theTableCoversEveryKernelWithArrayArgumentsAndEachCaseIsDistinct() {
        // A kernel added to the SPI without an entry here would go unchecked: compare with Ops' methods.
        List<String> covered = KernelOperands.all().stream().flatMap(k -> k.names().stream()).toList();
        Stream.of(Ops.class.getMethods())
                .filter(m -> Stream.of(m.getParameterTypes()).anyMatch(t -> NdArray.class.isAssignableFrom(t)
                        || t == List.class || t == LayerNormResult.class))
                .filter(m -> m.getDeclaringClass().getPackageName().equals("dev.thinj.ops"))
                .filter(m -> !m.getName().equals("like") && !m.getName().equals("minibatch")
                        && !m.getName().equals("multibatch"))
                .forEach(m -> assertThat(covered).as("the operand table should list %s", m).contains(m.getName()));
        assertThat(wrongRanks().map(Named::getName)).doesNotHaveDuplicates();
        assertThat(wrongDims().map(Named::getName)).doesNotHaveDuplicates();
    }
}
