package io.vbo.writer.rest;

import io.vbo.events.Codecs;
import io.vbo.writer.service.UserService;
import io.vbo.writer.users.User;
import io.vbo.writer.users.UserException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The original pjsip_manager's verbs over HTTP (role admin): list/show, add, edit, delete. JSON bodies, or form
 * fields (what bin/vbo-users sends with curl --data-urlencode, so no JSON quoting in shell). Passwords are
 * never returned.
 */
@Path("/api/v1/users")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "no or wrong credentials")
@APIResponse(responseCode = "403", description = "the user lacks the admin role")
@APIResponse(responseCode = "500", description = "the config files could not be read or written (problem JSON)")
public class UserResource {
    @Inject
    UserService users;

    @GET
    @APIResponse(responseCode = "200", description = "every user, passwords masked")
    public List<User> list() throws IOException {
        return users.list();
    }

    /** The same list as a plain-text table, for the command-line tool. */
    @GET
    @APIResponse(responseCode = "200", description = "every user as a table, passwords masked")
    @Produces(MediaType.TEXT_PLAIN)
    public String listText() throws IOException {
        StringBuilder out = new StringBuilder(String.format("%-12s %-16s %-10s %-14s %-9s %s%n",
                "EXTENSION", "CONTEXT", "PASSWORD", "USERNAME", "DIALPLAN", "CODECS"));
        for (User u : users.list()) {
            out.append(String.format("%-12s %-16s %-10s %-14s %-9s %s%n", u.extension(), u.context(), u.password(),
                    u.username(), u.dialplan() ? "yes" : "no", String.join(",", u.codecs())));
        }
        return out.toString();
    }

    /** One user as plain text, for the command-line tool. */
    @GET
    @Path("{extension}")
    @APIResponse(responseCode = "200", description = "the user as text, password masked")
    @APIResponse(responseCode = "400", description = "an extension name the contracts refuse (problem JSON)")
    @APIResponse(responseCode = "404", description = "no such user (problem JSON)")
    @Produces(MediaType.TEXT_PLAIN)
    public String showText(@PathParam("extension") String extension) throws IOException {
        User u = show(extension);
        return "extension: " + u.extension() + "\ncontext:   " + u.context() + "\ncodecs:    " + String.join(",", u.codecs())
                + "\naors:      " + u.aors() + "\nauth:      " + u.auth() + "\nusername:  " + u.username()
                + "\npassword:  " + u.password() + "\ndialplan:  " + (u.dialplan() ? "yes" : "no") + "\n";
    }

    @GET
    @Path("{extension}")
    @APIResponse(responseCode = "200", description = "the user, password masked")
    @APIResponse(responseCode = "400", description = "an extension name the contracts refuse (problem JSON)")
    @APIResponse(responseCode = "404", description = "no such user (problem JSON)")
    public User show(@PathParam("extension") String extension) throws IOException {
        return users.get(extension).orElseThrow(() -> new UserException(UserException.Kind.NOT_FOUND,
                "user " + extension + " does not exist"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "added; the answer says what the reload said")
    @APIResponse(responseCode = "400", description = "a refused name, password, codec list, context or body (problem JSON); no file touched")
    @APIResponse(responseCode = "409", description = "the user exists already, or the files were not initialised (problem JSON)")
    @APIResponse(responseCode = "413", description = "request body too large (problem JSON)")
    @APIResponse(responseCode = "502", description = "Asterisk refused the reload: the change was undone (problem JSON)")
    public Response add(UserRequest body) throws IOException {
        if (body == null) {
            throw new UserException(UserException.Kind.INVALID, "a JSON body with extension and password is required");
        }
        UserService.Outcome outcome = users.add(body.extension(), body.password(), codecs(body.codecs()), body.context());
        return Response.status(Response.Status.CREATED).entity(outcome).build();
    }

    @POST
    @APIResponse(responseCode = "201", description = "added; the answer says what the reload said")
    @APIResponse(responseCode = "400", description = "a refused name, password, codec list, context or body (problem JSON); no file touched")
    @APIResponse(responseCode = "409", description = "the user exists already, or the files were not initialised (problem JSON)")
    @APIResponse(responseCode = "413", description = "request body too large (problem JSON)")
    @APIResponse(responseCode = "502", description = "Asterisk refused the reload: the change was undone (problem JSON)")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addForm(@RestForm String extension, @RestForm String password, @RestForm String codecs,
            @RestForm String context) throws IOException {
        return add(new UserRequest(extension, password, codecs, context));
    }

    @PATCH
    @Path("{extension}")
    @APIResponse(responseCode = "200", description = "done; the answer says what changed and what the reload said")
    @APIResponse(responseCode = "400", description = "a refused name, password, codec list, context or body (problem JSON); no file touched")
    @APIResponse(responseCode = "404", description = "no such user (problem JSON)")
    @APIResponse(responseCode = "409", description = "the user exists already, or the files were not initialised (problem JSON)")
    @APIResponse(responseCode = "413", description = "request body too large (problem JSON)")
    @APIResponse(responseCode = "502", description = "Asterisk refused the reload: the change was undone (problem JSON)")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserService.Outcome edit(@PathParam("extension") String extension, UserRequest body) throws IOException {
        if (body == null) {
            throw new UserException(UserException.Kind.INVALID, "a JSON body with password and/or codecs is required");
        }
        return users.edit(extension, body.password(), codecs(body.codecs()));
    }

    @PATCH
    @Path("{extension}")
    @APIResponse(responseCode = "200", description = "done; the answer says what changed and what the reload said")
    @APIResponse(responseCode = "400", description = "a refused name, password, codec list, context or body (problem JSON); no file touched")
    @APIResponse(responseCode = "404", description = "no such user (problem JSON)")
    @APIResponse(responseCode = "409", description = "the user exists already, or the files were not initialised (problem JSON)")
    @APIResponse(responseCode = "413", description = "request body too large (problem JSON)")
    @APIResponse(responseCode = "502", description = "Asterisk refused the reload: the change was undone (problem JSON)")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public UserService.Outcome editForm(@PathParam("extension") String extension, @RestForm String password,
            @RestForm String codecs) throws IOException {
        return edit(extension, new UserRequest(null, password, codecs, null));
    }

    @DELETE
    @APIResponse(responseCode = "200", description = "done; the answer says what changed and what the reload said")
    @APIResponse(responseCode = "400", description = "a refused name, password, codec list, context or body (problem JSON); no file touched")
    @APIResponse(responseCode = "404", description = "no such user (problem JSON)")
    @APIResponse(responseCode = "409", description = "the user exists already, or the files were not initialised (problem JSON)")
    @APIResponse(responseCode = "502", description = "Asterisk refused the reload: the change was undone (problem JSON)")
    @Path("{extension}")
    public UserService.Outcome delete(@PathParam("extension") String extension) throws IOException {
        return users.delete(extension);
    }

    private static List<String> codecs(String csv) {
        return csv == null || csv.isEmpty() ? null : Codecs.parseList("codecs", csv);
    }
}
