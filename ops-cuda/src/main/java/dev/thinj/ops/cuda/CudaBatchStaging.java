package dev.thinj.ops.cuda;

import dev.thinj.ops.batching.DefaultBatchStaging;

/** PLACEHOLDER (integration branch only): the device path replaces it before merging to main. */
final class CudaBatchStaging extends DefaultBatchStaging {
    CudaBatchStaging(CudaOps ops, CudaContext ctx) {
        super(ops);
    }
}
