package dev.thinj.ops;

/**
 * The scope opened by {@link Ops#use(String)}: while open, {@link Ops#current()} on this thread is
 * {@link #ops()}. Closing restores the backend that was current before. Scopes must close in the
 * reverse order of opening (try-with-resources does this).
 */
public final class OpsScope implements AutoCloseable {
    private final Ops ops;
    private final Ops previous;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    OpsScope(Ops ops, Ops previous) {
        this.ops = ops;
        this.previous = previous;
    }

    /** @return the backend this scope made current */
    public Ops ops() {
        return ops;
    }

    Ops previous() {
        return previous;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("Ops.use scope for '" + ops.name() + "' closed on thread "
                    + Thread.currentThread().getName() + " but opened on " + owner.getName());
        }
        closed = true;
        Backends.restore(this);
    }
}
