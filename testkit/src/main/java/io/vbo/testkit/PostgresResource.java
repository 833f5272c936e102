package io.vbo.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vbo.lab.Database;
import java.util.Map;

/** {@code @QuarkusTestResource(PostgresResource.class)}: a real PostgreSQL (see {@link Database}) for the test run. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private Database database;

    @Override
    public Map<String, String> start() {
        database = Database.start();
        return database.quarkusConfig();
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
