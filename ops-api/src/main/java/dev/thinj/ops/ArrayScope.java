package dev.thinj.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

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
 * <p>Backends call {@link #track} on each array they create; the cost when no scope is open is one
 * thread-local read.
 */
public final class ArrayScope implements AutoCloseable {
    private static final ThreadLocal<Deque<ArrayScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final Ops ops;
    private final List<NdArray> created = new ArrayList<>();
    private final Set<NdArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private ArrayScope(Ops ops) {
        this.ops = ops;
    }

    static ArrayScope open(Ops ops) {
        ArrayScope scope = new ArrayScope(ops);
        OPEN.get().push(scope);
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
        Deque<ArrayScope> open = OPEN.get();
        if (!open.isEmpty()) {
            for (ArrayScope s : open) {
                if (s.ops == array.ops()) {
                    s.created.add(array);
                    break;
                }
            }
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
        Deque<ArrayScope> open = OPEN.get();
        for (ArrayScope s : open) {
            if (s.ops == array.ops()) {
                // Just created: it sits at or near the end of the list.
                for (int i = s.created.size() - 1; i >= 0; i--) {
                    if (s.created.get(i) == array) {
                        s.created.remove(i);
                        break;
                    }
                }
            }
        }
        if (open.isEmpty()) {
            OPEN.remove();
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
        kept.add(array);
        return array;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Deque<ArrayScope> open = OPEN.get();
        open.remove(this);
        ArrayScope outer = null;
        for (ArrayScope s : open) {
            if (s.ops == ops) {
                outer = s;
                break;
            }
        }
        for (NdArray a : created) {
            if (kept.contains(a)) {
                if (outer != null) {
                    outer.created.add(a);
                }
            } else {
                a.close();
            }
        }
        created.clear();
        if (open.isEmpty()) {
            OPEN.remove();
        }
    }
}
