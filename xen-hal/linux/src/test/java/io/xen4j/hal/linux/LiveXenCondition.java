package io.xen4j.hal.linux;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables {@link LiveXen} classes only where {@code /dev/xen/privcmd} exists (or when
 * {@code xen4j.liveXen.required} is set, so that dom0 runs fail loudly instead of skipping), and
 * disables the {@link LiveXenSkip} methods with their reasons.
 */
public final class LiveXenCondition implements ExecutionCondition {
    /** System property the in-dom0 run sets: a missing device is then a failure, not a skip. */
    static final String REQUIRED = "xen4j.liveXen.required";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context) {
        if (!Files.exists(Path.of("/dev/xen/privcmd")) && !Boolean.getBoolean(REQUIRED)) {
            return ConditionEvaluationResult.disabled("no /dev/xen/privcmd: not running in a Xen domain; these tests run"
                + " inside dom0 on real Xen through live-xen/run.sh (./mvnw -Plive-xen -pl xen-hal/linux -am verify)");
        }
        final Optional<Method> method = context.getTestMethod();
        final Optional<Class<?>> type = context.getTestClass();
        if (method.isPresent() && type.isPresent()) {
            for (final LiveXenSkip s : type.get().getAnnotationsByType(LiveXenSkip.class)) {
                if (s.test().equals(method.get().getName())) {
                    return ConditionEvaluationResult.disabled(s.why());
                }
            }
        }
        return ConditionEvaluationResult.enabled("on Xen");
    }
}
