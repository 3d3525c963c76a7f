package dev.thinj.ops.cuda.emulated;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that needs the emulated device: where the native emulator is not built because
 * the machine has no C++ compiler, the class is skipped and reported with the reason. A build that ran
 * and failed does not skip: the tests then fail with the compiler's messages (see {@link Emulated#ops()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresEmulator.Condition.class)
public @interface RequiresEmulator {
    /** Disables the annotated tests, naming the reason, when the emulator could not be built for want of a compiler. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Emulator.available()) {
                return ConditionEvaluationResult.enabled("the CUDA emulator is built");
            }
            return Emulator.buildFailed()
                    ? ConditionEvaluationResult.enabled("the CUDA emulator build failed: the tests report it")
                    : ConditionEvaluationResult.disabled(Emulator.unavailableReason());
        }
    }
}
