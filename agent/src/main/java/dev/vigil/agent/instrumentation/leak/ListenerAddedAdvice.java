package dev.vigil.agent.instrumentation.leak;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** A listener list's {@code add…(listener, …)} returned normally: the listener is counted at its site. */
public final class ListenerAddedAdvice {
    private ListenerAddedAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
        return CallDepth.LEAK.enter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter int depth, @Advice.This Object owner, @Advice.Argument(0) Object listener,
                            @Advice.Thrown Throwable error) {
        try {
            if (depth == 0 && error == null) {
                Hooks.leaks.listenerAdded(owner, listener);
            }
        } finally {
            CallDepth.LEAK.exit();
        }
    }
}
