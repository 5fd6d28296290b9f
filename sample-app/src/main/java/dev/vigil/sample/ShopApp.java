package dev.vigil.sample;

/**
 * The demo shop. No tracing code: everything Vigil shows comes from the agent.
 *
 * <pre>
 * java -jar vigil-sample-app.jar orders  [port=8081] [jdbc=…] [broker=…]   hosts H2 and the Artemis broker by default
 * java -jar vigil-sample-app.jar worker  [port=8082] [jdbc=…] [broker=…] [gateway=http://localhost:8080]
 *   broker=tcp://host:61616 (Artemis) | amqp://guest:guest@host:5672 (RabbitMQ) | kafka://host:9092 (Kafka)
 * java -jar vigil-sample-app.jar gateway [port=8080] [orders=http://localhost:8081]
 * java -jar vigil-sample-app.jar collector [port=4318]      prints the spans it receives over OTLP/HTTP
 * java -jar vigil-sample-app.jar load rps=5,duration=60,url=http://localhost:8080/checkout
 * </pre>
 * One order is one trace: gateway (HTTP) → orders (HTTP server, JDBC insert, queue publish) → worker (queue
 * process, JDBC update, HTTP call back to the gateway).
 */
public final class ShopApp {
    private ShopApp() {
    }

    public static void main(String[] args) throws Exception {
        String role = args.length > 0 ? args[0] : "help";
        // HikariCP and the Kafka client log through SLF4J: warnings and errors only, unless asked otherwise
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        Options options = Options.parse(args, 1);
        Lifecycle lifecycle = new Lifecycle();
        switch (role) {
            case "gateway":
                Gateway.start(options, lifecycle);
                break;
            case "orders":
                Orders.start(options, lifecycle);
                break;
            case "worker":
                Worker.start(options, lifecycle);
                break;
            case "collector":
                DemoCollector.start(options.getInt("port", 4318));
                break;
            case "load":
                LoadGenerator.run(LoadGenerator.parse(args.length > 1 ? args[1] : ""));
                return;
            default:
                System.out.println("usage: java -jar vigil-sample-app.jar gateway|orders|worker|collector|load [key=value…]");
                return;
        }
        lifecycle.install();
        System.out.println("READY " + role);
    }

    static java.util.Map<String, String> options(String spec) {
        return Options.parse(new String[] {spec}, 0).values();
    }
}
