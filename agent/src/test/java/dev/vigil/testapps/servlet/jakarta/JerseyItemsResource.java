package dev.vigil.testapps.servlet.jakarta;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** A JAX-RS resource with a class-level and a method-level template: route {@code /items/{id}} under the app. */
@Path("/items")
public class JerseyItemsResource {
    @GET
    @Path("/{id}")
    @Produces("text/plain")
    public String item(@PathParam("id") String id) {
        return "item " + id;
    }

    @GET
    @Produces("text/plain")
    public String all() {
        return "items";
    }
}
