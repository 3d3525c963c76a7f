package dev.thinj.ops.cuda.gpu;

import dev.thinj.ops.cuda.CudaOpsProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where the CUDA backend can start, and skips it otherwise with the
 * provider's own reason ({@code libcuda.so.1 not found: ...}, {@code no CUDA device}), so a report
 * from a machine without a GPU says why nothing ran rather than passing silently.
 */
public final class CudaAvailable implements ExecutionCondition {
    private static final CudaOpsProvider PROVIDER = new CudaOpsProvider();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return PROVIDER.isAvailable()
                ? ConditionEvaluationResult.enabled("CUDA device present")
                : ConditionEvaluationResult.disabled("no usable GPU, CUDA tests skipped: " + PROVIDER.unavailableReason());
    }

    /** @return whether the CUDA backend can run here */
    public static boolean available() {
        return PROVIDER.isAvailable();
    }

    /** @return the provider's reason, empty where available */
    public static String reason() {
        return PROVIDER.unavailableReason();
    }
}
