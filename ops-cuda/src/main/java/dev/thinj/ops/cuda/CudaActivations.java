package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaActivations {
    private final CudaContext ctx;

    CudaActivations(CudaContext ctx) {
        this.ctx = ctx;
    }

    FloatArray relu(FloatArray x, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.relu");
    }

    FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropRelu");
    }

    FloatArray sigmoid(FloatArray x, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.sigmoid");
    }

    FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropSigmoid");
    }

    FloatArray tanh(FloatArray x, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.tanh");
    }

    FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropTanh");
    }

    FloatArray gelu(FloatArray x, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.gelu");
    }

    FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropGelu");
    }

    FloatArray swish(FloatArray x, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.swish");
    }

    FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropSwish");
    }

    FloatArray softmax(FloatArray x, float temperature, boolean inplace) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.softmax");
    }

    FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropSoftmax");
    }

    MaxResult maxout(FloatArray x) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.maxout");
    }

    FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.backpropMaxout");
    }

    IntArray argmax(FloatArray x) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.argmax");
    }

    FloatArray dropoutMask(float rate, long seed, int... shape) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaActivations.dropoutMask");
    }
}
