package dev.vigil.agent.instrumentation.leak;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * A listener list's {@code add…(key, listener)} or {@code remove…(key, listener)} returned normally ({@code add…} counts it at its site, {@code remove…}/{@code delete…} stops counting it; the method name is a
 * constant in the woven code).
 */
public final class ListenerSecondArgumentAdvice {
    private ListenerSecondArgumentAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
        return CallDepth.LEAK.enter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter int depth, @Advice.This Object owner, @Advice.Argument(1) Object listener,
                            @Advice.Origin("#m") String method, @Advice.Thrown Throwable error) {
        try {
            if (depth == 0 && error == null) {
                if (method.startsWith("add")) {
                    Hooks.leaks.listenerAdded(owner, listener);
                } else {
                    Hooks.leaks.listenerRemoved(owner, listener);
                }
            }
        } finally {
            CallDepth.LEAK.exit();
        }
    }
}
