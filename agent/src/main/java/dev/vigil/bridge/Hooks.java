package dev.vigil.bridge;

/**
 * Where the agent installs its implementations of the hooks that advice calls. Until the agent starts (or when
 * an instrumentation is switched off) each field holds a do-nothing hook.
 */
public final class Hooks {
    public static volatile HttpServerHook httpServer = new HttpServerHook();
    public static volatile HttpClientHook httpClient = new HttpClientHook();
    public static volatile HttpUrlConnectionHook httpUrlConnection = new HttpUrlConnectionHook();
    public static volatile ApacheAsyncClientHook apacheAsyncClient = new ApacheAsyncClientHook();
    public static volatile ContextHook context = new ContextHook();
    public static volatile JdbcHook jdbc = new JdbcHook();
    public static volatile MessagingHook messaging = new MessagingHook();
    public static volatile LoopLagHook loopLag = new LoopLagHook();
    public static volatile LeakHook leaks = new LeakHook();

    private Hooks() {
    }
}
