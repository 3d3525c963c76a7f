package dev.thinj.train.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Work a listener hands off the training thread — rendering a plot, forcing a checkpoint to disk —
 * done in order on one background thread while the next epoch trains. A failure is thrown on the
 * training thread at the next hand-off or at {@link #finish}, so it is never lost; {@link #finish}
 * (called from {@link TrainingListener#runEnded}) waits for everything handed off, so a run returns
 * with its files complete.
 */
public final class Deferred {
    private final String name;
    private final Deque<Future<?>> pending = new ArrayDeque<>();
    private ExecutorService thread;

    /** @param name names the background thread ({@code thinj-NAME}) */
    public Deferred(String name) {
        this.name = name;
    }

    /**
     * @param work what to do after everything handed off before it
     * @throws RuntimeException the failure of earlier work, if any
     */
    public synchronized void run(Runnable work) {
        check(false);
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "thinj-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        pending.add(thread.submit(work));
    }

    /**
     * Waits for everything handed off so far; the thread stays for the next hand-off.
     *
     * @throws RuntimeException the first failure of handed-off work, if any
     */
    public synchronized void await() {
        check(true);
    }

    /**
     * Waits for everything handed off and stops the thread (a later {@link #run} starts another).
     *
     * @throws RuntimeException the first failure of handed-off work, if any
     */
    public synchronized void finish() {
        try {
            check(true);
        } finally {
            if (thread != null) {
                thread.shutdown();
                thread = null;
            }
        }
    }

    /** Takes finished work off the queue (all of it, when waiting), throwing the first failure. */
    private void check(boolean wait) {
        RuntimeException first = null;
        while (!pending.isEmpty() && (wait || pending.peek().isDone())) {
            Future<?> f = pending.poll();
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.clear();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            } catch (ExecutionException e) {
                if (first == null) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    first = cause instanceof RuntimeException r ? r
                            : new IllegalStateException(name + " failed: " + cause, cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
