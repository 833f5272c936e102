package io.vbo.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/** A local run with no Asterisk: the service starts and is ready. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class NoPbxConfiguredTest {

    @Test
    void readyWithNothingConfigured() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'PBX connections' }.data.pbx", equalTo("none configured"));
    }
}
