package dev.thinj.ops.batching;

/** {@code buffer = 1}: each batch is made on the consumer's thread when it is asked for, as in Thinc. */
final class InlineFeed<T> implements Feed<T> {
    private final Pass<T> pass;
    private final BatchStaging staging;
    private boolean closed;

    InlineFeed(Pass<T> pass, BatchStaging staging) {
        this.pass = pass;
        this.staging = staging;
    }

    @Override
    public Pass.Staged<T> take(int b) {
        return pass.make(staging, b);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            staging.close();
        }
    }
}
