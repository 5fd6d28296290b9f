package dev.vigil.agent.trace;

import dev.vigil.agent.config.Config;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcesTest {
    @Test
    void serviceNameDefaultsToMainClassOrJarName() {
        assertThat(Resources.defaultServiceName("com.example.shop.OrdersMain --port 1")).isEqualTo("OrdersMain");
        assertThat(Resources.defaultServiceName("/opt/app/orders-service.jar --x")).isEqualTo("orders-service");
        assertThat(Resources.defaultServiceName("my.module/com.example.Main")).isEqualTo("Main");
        assertThat(Resources.defaultServiceName("")).isEqualTo("unknown_service:java");
        assertThat(Resources.defaultServiceName(null)).isEqualTo("unknown_service:java");
    }

    @Test
    void resourceCarriesServiceHostProcessAndSdk() {
        Config config = Config.load(null, Map.of("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod,service.name=fromattrs"),
                new Properties());
        Resource r = Resources.create(config, "1.2.3");
        assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("fromattrs");
        assertThat(r.getAttribute(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("prod");
        assertThat(r.getAttribute(AttributeKey.stringKey("telemetry.sdk.name"))).isEqualTo("vigil");
        assertThat(r.getAttribute(AttributeKey.stringKey("telemetry.sdk.version"))).isEqualTo("1.2.3");
        assertThat(r.getAttribute(AttributeKey.longKey("process.pid"))).isEqualTo(ProcessHandle.current().pid());
        assertThat(r.getAttribute(AttributeKey.stringKey("host.name"))).isNotBlank();

        Config explicit = Config.load("service.name=orders", Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=x"), new Properties());
        assertThat(Resources.create(explicit, "1").getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("orders");
    }
}
