// Runs Neo4j Community embedded, with Bolt on 127.0.0.1 and authentication on, for tests and local use.
// Started by scripts/neo4j.mjs through Java's source launcher: java -cp <jars> Neo4jLauncher.java --home DIR --port N
// The password comes from the environment variable NEO4J_LAUNCHER_PASSWORD, so it never shows in `ps`.
// Protocol on stdout: one line "READY <port>" once Bolt accepts connections, "STOPPED" after a clean shutdown.
// The server stops when stdin reaches its end (the parent closed it, or died) or on SIGTERM/SIGINT.

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public final class Neo4jLauncher {
    private static final String DEFAULT_USER = "neo4j";

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.home);
        DatabaseManagementService service = start(options);
        AtomicBoolean stopped = new AtomicBoolean(false);
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                service.shutdown();
                System.out.println("STOPPED");
                System.out.flush();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-launcher-shutdown"));
        try {
            setPassword(service, options.password);
        } catch (RuntimeException error) {
            stop.run();
            throw error;
        }
        System.out.println("READY " + options.port);
        System.out.flush();
        waitForEndOfInput(System.in);
        stop.run();
        System.exit(0);
    }

    private static DatabaseManagementService start(Options options) {
        return new DatabaseManagementServiceBuilder(options.home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", options.port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", options.port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Any password the caller chose is accepted; the random default is long anyway.
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // Tests try wrong passwords on purpose; no lock-out that would fail other tests running meanwhile.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                // Small and quick: a test server on a busy 2-core machine.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                // Netty waits 2 x 5 s of quiet before Bolt stops; tests stop and start the server often.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();
    }

    // An embedded transaction runs with full rights, so the system database takes the admin command directly.
    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database("system")
                    .executeTransactionally(
                            "ALTER USER " + DEFAULT_USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                            Map.of("password", password));
        } catch (RuntimeException error) {
            // A restart with the same password: Neo4j refuses to "change" it to itself, which is what we want anyway.
            if (!isSamePassword(error)) throw error;
        }
    }

    private static boolean isSamePassword(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("Old password and new password cannot be the same")) return true;
        }
        return false;
    }

    private static void waitForEndOfInput(InputStream input) throws IOException {
        byte[] buffer = new byte[256];
        while (input.read(buffer) >= 0) {
            // The parent writes nothing; it only closes the stream.
        }
    }

    private record Options(Path home, int port, String password) {
        static Options parse(String[] args) {
            Path home = null;
            Integer port = null;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--home" -> home = Path.of(args[i + 1]).toAbsolutePath();
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
            if (home == null || port == null || password == null || password.isEmpty()) {
                throw new IllegalArgumentException(
                        "Usage: NEO4J_LAUNCHER_PASSWORD=... java Neo4jLauncher.java --home DIR --port N");
            }
            return new Options(home, port, password);
        }
    }
}
