package dev.vigil.agent.instrumentation.leak;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** A listener list's {@code remove…(key, listener)}: the listener no longer counts. */
public final class ListenerRemovedSecondArgumentAdvice {
    private ListenerRemovedSecondArgumentAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
        return CallDepth.LEAK.enter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter int depth, @Advice.This Object owner, @Advice.Argument(1) Object listener,
                            @Advice.Thrown Throwable error) {
        try {
            if (depth == 0 && error == null) {
                Hooks.leaks.listenerRemoved(owner, listener);
            }
        } finally {
            CallDepth.LEAK.exit();
        }
    }
}
