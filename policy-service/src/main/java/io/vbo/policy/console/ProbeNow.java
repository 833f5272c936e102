package io.vbo.policy.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vbo.events.Validate;
import io.vbo.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The console's "probe now": asks probe-service ({@code vbo.console.probe-service-url}) for a probe through its
 * {@code POST /probes/endpoints/{pbxId}/{endpoint}} (role admin there). The JDK's HTTP client: policy-service has no
 * REST client extension and one POST does not need one.
 */
@ApplicationScoped
public class ProbeNow {
    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    @Inject
    public ProbeNow(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.probeServiceTimeout()).build();
    }

    /** Whether a probe-service is configured: without one the console offers no "probe now". */
    public boolean configured() {
        return config.probeServiceUrl().isPresent();
    }

    /**
     * Makes the endpoint due now at probe-service.
     *
     * @param callerAuthorization the admin's own {@code Authorization} header, sent on when no password is configured
     * @throws ProblemException 409 when not configured, 502 when probe-service refuses, 504 when it cannot be reached
     */
    public void request(String pbxId, String endpoint, String callerAuthorization) {
        URI base = config.probeServiceUrl().orElseThrow(() -> ProblemException.conflict(
                "probe now is not available: vbo.console.probe-service-url is not set"));
        String authorization = config.probeServicePassword()
                .map(p -> "Basic " + Base64.getEncoder().encodeToString((config.probeServiceUser() + ":" + p)
                        .getBytes(StandardCharsets.UTF_8)))
                .orElse(callerAuthorization);
        URI uri = base.resolve(base.getPath().replaceAll("/+$", "") + "/probes/endpoints/"
                + URLEncoder.encode(pbxId, StandardCharsets.UTF_8) + "/" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.probeServiceTimeout())
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ProblemException(Response.Status.GATEWAY_TIMEOUT, "probe-service-unreachable",
                    "probe-service at " + base + " did not answer within " + config.probeServiceTimeout().toSeconds() + " s");
        } catch (IOException e) {
            throw new ProblemException(Response.Status.GATEWAY_TIMEOUT, "probe-service-unreachable",
                    "probe-service at " + base + " cannot be reached: " + (e.getMessage() == null
                            ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "interrupted", "interrupted");
        }
        if (answer.statusCode() != 202) {
            throw new ProblemException(Response.Status.BAD_GATEWAY, "probe-service-refused",
                    "probe-service answered " + answer.statusCode() + refusal(answer));
        }
    }

    /** What probe-service said: its problem's detail, or why a bare 401/403 happens. */
    private String refusal(HttpResponse<String> answer) {
        switch (answer.statusCode()) {
            case 401:
                return ": the credentials were not accepted (set vbo.console.probe-service-user and -password, or give"
                        + " this admin the same password on probe-service)";
            case 403:
                return ": that user is not an admin on probe-service";
            default:
                break;
        }
        try {
            JsonNode detail = json.readTree(answer.body()).path("detail");
            if (detail.isTextual()) {
                return ": " + Validate.printable(detail.asText());
            }
        } catch (IOException e) {
            // not problem JSON: said below
        }
        return answer.body().isBlank() ? "" : ": " + Validate.printable(answer.body().substring(0,
                Math.min(200, answer.body().length())));
    }
}
