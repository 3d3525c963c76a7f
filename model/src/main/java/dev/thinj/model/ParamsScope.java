package dev.thinj.model;

import java.util.List;

/** The scope returned by {@link Model#useParams}: closing it puts the original parameters back. */
public final class ParamsScope implements AutoCloseable {
    private final List<Runnable> restore;
    private boolean closed;

    ParamsScope(List<Runnable> restore) {
        this.restore = restore;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (int i = restore.size() - 1; i >= 0; i--) {
                restore.get(i).run();
            }
        }
    }
}
