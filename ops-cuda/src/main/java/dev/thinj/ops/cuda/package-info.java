/**
 * The CUDA backend. Empty until its own issue lands: no provider is registered, so
 * {@code Ops.get("cuda")} fails with a clear "not on the class path" message rather than a stub.
 */
package dev.thinj.ops.cuda;
