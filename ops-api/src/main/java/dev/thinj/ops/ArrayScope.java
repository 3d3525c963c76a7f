package dev.thinj.ops;

import java.util.Arrays;

/**
 * Frees temporaries: while a scope of an {@link Ops} is open on a thread, every array that backend
 * creates on that thread is recorded, and closing the scope closes them all except those passed to
 * {@link #keep}. Scopes nest; a kept array moves to the enclosing scope, if any.
 *
 * <pre>{@code
 * try (ArrayScope scope = ops.scope()) {
 *     FloatArray h = ops.relu(ops.affine(x, w, b), true);   // freed at the end
 *     return scope.keep(ops.softmax(h));                     // survives
 * }
 * }</pre>
 *
 * <p>A scope belongs to the thread that opened it: open and close it there (try-with-resources).
 * Backends call {@link #track} on each array they create; the cost when no scope is open is one
 * thread-local read. A training loop opens a scope per step, so opening one allocates only the scope:
 * the open scopes are a chain through {@code outer}, and the list of what a scope recorded is handed
 * to the thread's next scope when it closes.
 */
public final class ArrayScope implements AutoCloseable {
    /** Per thread: the innermost open scope and a spare list for the next one. */
    private static final ThreadLocal<ThreadScopes> THREAD = ThreadLocal.withInitial(ThreadScopes::new);

    private static final NdArray[] NONE = new NdArray[0];

    private final Ops ops;
    private final ThreadScopes thread;
    /** The scope that was innermost when this one opened (of any backend), or null. */
    private ArrayScope outer;
    private NdArray[] created;
    private int count;
    /** Arrays passed to {@link #keep}; rare, so made on the first call. */
    private NdArray[] kept = NONE;
    private int keptCount;
    private boolean closed;

    private ArrayScope(Ops ops, ThreadScopes thread) {
        this.ops = ops;
        this.thread = thread;
        this.created = thread.takeSpare();
    }

    static ArrayScope open(Ops ops) {
        ThreadScopes thread = THREAD.get();
        ArrayScope scope = new ArrayScope(ops, thread);
        scope.outer = thread.innermost;
        thread.innermost = scope;
        return scope;
    }

    /**
     * Records a newly created array in the innermost open scope of its backend on this thread.
     *
     * @param array the new array
     * @param <A> its type
     * @return the same array
     */
    public static <A extends NdArray> A track(A array) {
        ArrayScope s = innermostOf(array.ops(), THREAD.get().innermost);
        if (s != null) {
            s.add(array);
        }
        return array;
    }

    /**
     * Takes a newly created array out of the scope that recorded it, if any: it outlives every scope
     * open now. For what a model or optimizer creates lazily and keeps (a gradient made by the first
     * backprop, an optimizer's moments made by the first update), which may happen inside the scope
     * a training loop opens around each step.
     *
     * @param array an array of any backend
     * @param <A> its type
     * @return the same array
     */
    public static <A extends NdArray> A detach(A array) {
        for (ArrayScope s = THREAD.get().innermost; s != null; s = s.outer) {
            if (s.ops == array.ops()) {
                s.remove(array);
            }
        }
        return array;
    }

    /**
     * Exempts an array from this scope's cleanup.
     *
     * @param array an array created inside the scope
     * @param <A> its type
     * @return the same array
     */
    public <A extends NdArray> A keep(A array) {
        if (keptCount == kept.length) {
            kept = Arrays.copyOf(kept, Math.max(4, 2 * keptCount));
        }
        kept[keptCount++] = array;
        return array;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unlink();
        ArrayScope outerOfSameOps = innermostOf(ops, outer);
        for (int i = 0; i < count; i++) {
            NdArray a = created[i];
            created[i] = null;
            if (isKept(a)) {
                if (outerOfSameOps != null) {
                    outerOfSameOps.add(a);
                }
            } else {
                a.close();
            }
        }
        count = 0;
        thread.giveSpare(created);
        created = null;
        kept = NONE;
    }

    /** Takes this scope out of its thread's chain, wherever it is (scopes may close out of order). */
    private void unlink() {
        if (thread.innermost == this) {
            thread.innermost = outer;
            return;
        }
        for (ArrayScope s = thread.innermost; s != null; s = s.outer) {
            if (s.outer == this) {
                s.outer = outer;
                return;
            }
        }
    }

    private static ArrayScope innermostOf(Ops ops, ArrayScope from) {
        for (ArrayScope s = from; s != null; s = s.outer) {
            if (s.ops == ops) {
                return s;
            }
        }
        return null;
    }

    private void add(NdArray array) {
        if (count == created.length) {
            created = Arrays.copyOf(created, 2 * created.length);
        }
        created[count++] = array;
    }

    private void remove(NdArray array) {
        // Just created: it sits at or near the end.
        for (int i = count - 1; i >= 0; i--) {
            if (created[i] == array) {
                System.arraycopy(created, i + 1, created, i, count - i - 1);
                created[--count] = null;
                return;
            }
        }
    }

    private boolean isKept(NdArray a) {
        for (int i = 0; i < keptCount; i++) {
            if (kept[i] == a) {
                return true;
            }
        }
        return false;
    }

    /** One thread's open scopes and the list the last closed one left behind. */
    private static final class ThreadScopes {
        ArrayScope innermost;
        private NdArray[] spare;

        NdArray[] takeSpare() {
            NdArray[] s = spare;
            spare = null;
            return s != null ? s : new NdArray[16];
        }

        void giveSpare(NdArray[] list) {
            spare = list;  // cleared by close(); a list grown by a large step is kept at its size
        }
    }
}
