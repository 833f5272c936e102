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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The original initFiles.sh: creates the base files that are absent, never overwrites one (role admin). */
@Path("/api/v1/config")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "no or wrong credentials")
@APIResponse(responseCode = "403", description = "the user lacks the admin role")
@APIResponse(responseCode = "500", description = "the config files could not be read or written (problem JSON)")
public class ConfigResource {
    @Inject
    ConfigStore store;

    @POST
    @Path("init")
    @APIResponse(responseCode = "200", description = "which base files were created and which were already there")
    public BaseFiles.Result init() throws IOException {
        return store.init();
    }
}
