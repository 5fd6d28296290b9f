package dev.vigil.testapps.spring;

import dev.vigil.testapps.Clients;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/**
 * Spring Boot with embedded Tomcat and one {@code @RestController}, no tracing code. {@code /owners/{ownerId}}
 * calls {@code ?target=} with the JDK HttpClient when given; {@code /owners/{ownerId}/pets} answers 201
 * asynchronously. Prints {@code READY <port>}.
 */
@SpringBootApplication
@RestController
public class OwnersApp {
    @GetMapping("/owners/{ownerId}")
    public String owner(@PathVariable("ownerId") String ownerId,
                        @RequestParam(name = "target", required = false) String target) throws Exception {
        return target == null ? "owner " + ownerId : Clients.call("jdk", target);
    }

    /** Asynchronous handling (Spring MVC completes it on another thread through an async dispatch). */
    @GetMapping("/owners/{ownerId}/pets")
    public CompletableFuture<ResponseEntity<String>> pets(@PathVariable("ownerId") String ownerId) {
        return CompletableFuture.supplyAsync(() -> ResponseEntity.status(201).body("pets of " + ownerId));
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(OwnersApp.class,
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN");
        System.out.println("READY " + context.getEnvironment().getProperty("local.server.port"));
    }
}
