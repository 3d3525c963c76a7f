package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.ThinjException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The array contract of {@link dev.thinj.ops.NdArray} and {@link ArrayScope}: metadata, element
 * access, reshape views, copies across backends, {@code close()} and scopes.
 */
abstract class LifecycleContract extends KernelContract {

    @Test
    void backendDescribesItself() {
        assertThat(ops().name()).as("ops.name()").isNotBlank();
        assertThat(ops().description()).as("ops.description()").isNotBlank();
        assertThatCode(() -> ops().synchronize()).as("ops.synchronize()").doesNotThrowAnyException();
    }

    @Test
    void arraysKnowTheirBackendAndShape() {
        FloatArray a = ops().alloc(2, 3, 4);
        assertThat(a.ops()).as("alloc(...).ops()").isSameAs(ops());
        assertThat(a.rank()).as("rank").isEqualTo(3);
        assertThat(a.size()).as("size").isEqualTo(24);
        assertThat(a.dim(0)).as("dim(0)").isEqualTo(2);
        assertThat(a.dim(-1)).as("dim(-1) counts from the end").isEqualTo(4);
        assertThat(a.isClosed()).as("isClosed of a new array").isFalse();
        int[] shape = a.shape();
        shape[0] = 99;
        assertThat(a.shape()).as("shape() returns a copy").containsExactly(2, 3, 4);
        assertThat(ops().relu(a, false).ops()).as("kernel outputs belong to the backend").isSameAs(ops());
        assertThat(ops().asInts(new int[] {1}).ops()).as("asInts(...).ops()").isSameAs(ops());
    }

    @Test
    void getReadsRowMajor() {
        FloatArray a = ops().asArray(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertThat(a.get(1, 2, 1)).as("get(1, 2, 1)").isEqualTo(11f);
        assertThat(a.get(0, 1, 0)).as("get(0, 1, 0)").isEqualTo(2f);
        assertThat(ops().asArray(new float[] {4.5f}).item()).as("item()").isEqualTo(4.5f);
        IntArray i = ops().asInts(new int[] {0, 1, 2, 3, 4, 5}, 3, 2);
        assertThat(i.get(2, 0)).as("ints get(2, 0)").isEqualTo(4);
    }

    @Test
    void itemNeedsExactlyOneElement() {
        Throwable t = catchThrowable(() -> ops().alloc(2).item());
        assertThat(t).as("item() of a (2,) array").isInstanceOf(ShapeException.class);
    }

    @Test
    void getRejectsOutOfRangeIndices() {
        // Must be an exception, never a read of someone else's memory.
        FloatArray a = ops().alloc(2, 3);
        for (int[] idx : new int[][] {{2, 0}, {0, 3}, {-1, 0}, {0}, {0, 0, 0}}) {
            Throwable t = catchThrowable(() -> a.get(idx));
            assertThat(t).as("get%s of a (2, 3) array", Arrays.toString(idx))
                    .isInstanceOfAny(IndexOutOfBoundsException.class, ThinjException.class, IllegalArgumentException.class);
        }
        Throwable t = catchThrowable(() -> ops().allocInts(4).get(4));
        assertThat(t).as("ints get(4) of a (4,) array")
                .isInstanceOfAny(IndexOutOfBoundsException.class, ThinjException.class, IllegalArgumentException.class);
    }

    @Test
    void reshapeIsAViewSharingMemory() {
        FloatArray base = ops().asArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        FloatArray view = base.reshape(3, 2);
        assertThat(view.shape()).as("reshape(3, 2) shape").containsExactly(3, 2);
        assertThat(view.get(2, 1)).as("view.get(2, 1)").isEqualTo(6f);

        ops().fill(view, 9f);
        assertThat(base.toFloatArray()).as("writing through the view is seen by the base").containsOnly(9f);
        ops().scaleInPlace(base, 2f);
        assertThat(view.toFloatArray()).as("writing the base is seen by the view").containsOnly(18f);
        assertThat(base.shape()).as("the base keeps its shape").containsExactly(2, 3);

        IntArray ibase = ops().allocInts(4);
        IntArray iview = ibase.reshape(2, 2);
        ops().copyFromHost(iview, new int[] {1, 2, 3, 4}, 0);
        assertThat(ibase.toIntArray()).as("writing an int view is seen by its base").containsExactly(1, 2, 3, 4);
    }

    @Test
    void closeIsIdempotentAndLaterUseFails() {
        FloatArray a = ops().alloc(3);
        a.close();
        assertThat(a.isClosed()).as("isClosed after close").isTrue();
        assertThatCode(a::close).as("closing twice").doesNotThrowAnyException();
        assertThat(catchThrowable(a::toFloatArray)).as("toFloatArray after close").isInstanceOf(ArrayStateException.class);
        assertThat(catchThrowable(() -> a.get(0))).as("get after close").isInstanceOf(ArrayStateException.class);
        assertThat(catchThrowable(() -> a.reshape(3, 1))).as("reshape after close").isInstanceOf(ArrayStateException.class);
        IntArray i = ops().allocInts(3);
        i.close();
        assertThat(catchThrowable(i::toIntArray)).as("toIntArray after close").isInstanceOf(ArrayStateException.class);
        assertThat(catchThrowable(() -> i.get(0))).as("int get after close").isInstanceOf(ArrayStateException.class);
        assertThat(catchThrowable(() -> i.reshape(3, 1))).as("int reshape after close")
                .isInstanceOf(ArrayStateException.class);
    }

    @Test
    void closingAViewFreesNothingClosingTheBaseInvalidatesIt() {
        FloatArray base = ops().asArray(new float[] {1, 2, 3, 4}, 2, 2);
        FloatArray view = base.reshape(4);
        view.close();
        assertThat(base.toFloatArray()).as("the base after its view was closed").containsExactly(1, 2, 3, 4);

        FloatArray view2 = base.reshape(4);
        base.close();
        Rejects.arrayState("copy of a view whose base was closed", () -> ops().copy(view2), "copy");
    }

    @Test
    void asArrayOfAnotherArrayCopies() {
        FloatArray x = ops().asArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        FloatArray y = ops().asArray(x);
        assertThat(y).as("asArray(other) returns a new array").isNotSameAs(x);
        assertThat(y.shape()).as("asArray(other) shape").containsExactly(3, 2);
        ops().fill(y, 0f);
        assertThat(x.toFloatArray()).as("asArray(other) copies: writing the copy leaves the source")
                .containsExactly(1, 2, 3, 4, 5, 6);

        IntArray i = ops().asInts(new int[] {1, 2, 3}, 3);
        IntArray j = ops().asInts(i);
        ops().copyFromHost(j, new int[] {0, 0, 0}, 0);
        assertThat(i.toIntArray()).as("asInts(other) copies").containsExactly(1, 2, 3);
    }

    @Test
    void asArrayCopiesFromAnotherBackend() {
        FloatArray foreign = ForeignArrays.floats(new float[] {1, -2, 3, -4, 5, -6}, 2, 3);
        FloatArray mine = ops().asArray(foreign);
        assertThat(mine.ops()).as("asArray(foreign).ops()").isSameAs(ops());
        assertThat(mine.shape()).as("asArray(foreign) shape").containsExactly(2, 3);
        assertThat(mine.toFloatArray()).as("asArray(foreign) values").containsExactly(1, -2, 3, -4, 5, -6);
        assertThat(ops().relu(mine, false).toFloatArray()).as("relu of the copy").containsExactly(1, 0, 3, 0, 5, 0);

        IntArray ints = ops().asInts(ForeignArrays.ints(new int[] {7, 8, 9, 10}, 2, 2));
        assertThat(ints.ops()).as("asInts(foreign).ops()").isSameAs(ops());
        assertThat(ints.shape()).as("asInts(foreign) shape").containsExactly(2, 2);
        assertThat(ints.toIntArray()).as("asInts(foreign) values").containsExactly(7, 8, 9, 10);
    }

    @Test
    void scopeClosesTemporariesButNotKeptOrOlderArrays() {
        FloatArray before = ops().alloc(2);
        FloatArray temp;
        FloatArray kernelOutput;
        MaxResult max;
        IntArray ints;
        FloatArray kept;
        try (ArrayScope scope = ops().scope()) {
            temp = ops().alloc(3);
            kernelOutput = ops().relu(temp, false);
            max = ops().maxout(ops().alloc(2, 3, 4));
            ints = ops().asInts(new int[] {1, 2});
            kept = scope.keep(ops().add(temp, temp));
        }
        assertThat(temp.isClosed()).as("alloc inside the scope is closed").isTrue();
        assertThat(kernelOutput.isClosed()).as("a kernel's output inside the scope is closed").isTrue();
        assertThat(max.max().isClosed()).as("maxout's max inside the scope is closed").isTrue();
        assertThat(max.which().isClosed()).as("maxout's which inside the scope is closed").isTrue();
        assertThat(ints.isClosed()).as("asInts inside the scope is closed").isTrue();
        assertThat(kept.isClosed()).as("a kept array stays open").isFalse();
        assertThat(kept.toFloatArray()).as("a kept array stays readable").containsExactly(0, 0, 0);
        assertThat(before.isClosed()).as("an array made before the scope stays open").isFalse();
    }

    @Test
    void keptArrayMovesToEnclosingScope() {
        FloatArray kept;
        ArrayScope outer = ops().scope();
        try {
            try (ArrayScope inner = ops().scope()) {
                kept = inner.keep(ops().alloc(4));
            }
            assertThat(kept.isClosed()).as("kept by the inner scope, open after it").isFalse();
        } finally {
            outer.close();
        }
        assertThat(kept.isClosed()).as("closed by the enclosing scope").isTrue();
    }

    @Test
    void scopesClosedOutOfOrderEachCloseTheirOwnArrays() {
        ArrayScope outer = ops().scope();
        ArrayScope inner = ops().scope();
        FloatArray innerArray = ops().alloc(2);
        outer.close();
        assertThat(innerArray.isClosed()).as("the inner scope's array outlives the outer scope").isFalse();
        FloatArray later = ops().alloc(3);
        inner.close();
        assertThat(innerArray.isClosed()).as("closed with the inner scope").isTrue();
        assertThat(later.isClosed()).as("made while the inner scope was the open one").isTrue();
        FloatArray after = ops().alloc(1);
        assertThat(after.isClosed()).as("no scope is open any more").isFalse();
        after.close();
    }

    @Test
    void aNewScopeDoesNotCloseWhatAnEarlierOneRecorded() {
        FloatArray kept;
        try (ArrayScope first = ops().scope()) {
            kept = first.keep(ops().alloc(2));
            ops().alloc(2);
        }
        try (ArrayScope second = ops().scope()) {
            ops().alloc(4);
        }
        assertThat(kept.isClosed()).as("kept by the first scope, not the second's to close").isFalse();
        kept.close();
    }

    @Test
    void aDetachedArrayOutlivesItsScope() {
        FloatArray detached;
        try (ArrayScope scope = ops().scope()) {
            detached = ArrayScope.detach(ops().alloc(2));
        }
        assertThat(detached.isClosed()).isFalse();
        detached.close();
    }

    @Test
    void scopeIsPerThread() throws InterruptedException {
        AtomicReference<FloatArray> other = new AtomicReference<>();
        ArrayScope scope = ops().scope();
        try {
            Thread t = new Thread(() -> other.set(ops().alloc(2)));
            t.start();
            t.join();
        } finally {
            scope.close();
        }
        assertThat(other.get().isClosed()).as("an array made on another thread is not this thread's scope's").isFalse();
        other.get().close();
    }
}
