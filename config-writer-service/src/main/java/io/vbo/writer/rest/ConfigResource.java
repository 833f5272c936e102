package io.vbo.writer.rest;

import io.vbo.writer.service.ConfigStore;
import io.vbo.writer.users.BaseFiles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;

/** The original initFiles.sh: creates the base files that are absent, never overwrites one (role admin). */
@Path("/api/v1/config")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {
    @Inject
    ConfigStore store;

    @POST
    @Path("init")
    public BaseFiles.Result init() throws IOException {
        return store.init();
    }
}
