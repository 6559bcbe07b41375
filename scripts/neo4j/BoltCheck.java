import java.util.concurrent.TimeUnit;

import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

/**
 * Bolt probe for scripts/neo4j-local, run with the server's own lib/ on the classpath (it uses the
 * Neo4j Java driver that neo4j-server already depends on, so nothing else is downloaded).
 *
 * <pre>NEO4J_PASSWORD=... java -cp TOOLS:LIB/* BoltCheck URI USER QUERY...
 * java -cp TOOLS:JARS BoltCheck --self-test</pre>
 *
 * The password comes from the environment so that it does not show in the process list. Runs each
 * QUERY in turn as USER and prints one line per query: the first column of its first row, or
 * {@code ERROR <message>} when that query fails (the others still run). Exit codes: 0 every query
 * succeeded, 1 some query failed, 2 authentication refused, 3 server not (yet) reachable.
 * {@code --self-test} only builds a driver (no connection): it checks that a classpath is complete.
 */
public final class BoltCheck {
    private BoltCheck() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--self-test")) {
            GraphDatabase.driver("bolt://127.0.0.1:1", AuthTokens.basic("neo4j", "self-test"),
                    Config.builder().withLogging(Logging.none()).build()).close();
            System.exit(0);
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (args.length < 3 || password == null) {
            System.err.println("usage: NEO4J_PASSWORD=... BoltCheck URI USER QUERY...");
            System.exit(64);
        }
        Config config = Config.builder()
                .withLogging(Logging.none())
                .withConnectionTimeout(5, TimeUnit.SECONDS)
                .withConnectionAcquisitionTimeout(10, TimeUnit.SECONDS)
                .withMaxConnectionPoolSize(1)
                .build();
        int code = 0;
        StringBuilder out = new StringBuilder();
        try (Driver driver = GraphDatabase.driver(args[0], AuthTokens.basic(args[1], password), config);
                Session session = driver.session()) {
            for (int i = 2; i < args.length; i++) {
                try {
                    Result result = session.run(args[i]);
                    String first = "";
                    if (result.hasNext()) {
                        Record row = result.next();
                        first = row.size() == 0 ? "" : row.get(0).asObject() + "";
                    }
                    result.consume();
                    out.append(first).append('\n');
                } catch (Neo4jException e) {
                    if (isAuthError(e)) {
                        throw e;
                    }
                    if (e instanceof ServiceUnavailableException) {
                        throw e;
                    }
                    out.append("ERROR ").append(oneLine(e.getMessage())).append('\n');
                    code = 1;
                }
            }
        } catch (ServiceUnavailableException e) {
            System.err.println("not reachable: " + oneLine(e.getMessage()));
            System.exit(3);
        } catch (Neo4jException e) {
            if (isAuthError(e)) {
                System.err.println("authentication refused: " + oneLine(e.getMessage()));
                System.exit(2);
            }
            System.err.println(e.code() + ": " + oneLine(e.getMessage()));
            System.exit(1);
        } catch (RuntimeException e) {
            System.err.println(e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
            System.exit(1);
        }
        System.out.print(out);
        System.exit(code);
    }

    private static boolean isAuthError(Neo4jException e) {
        return e instanceof AuthenticationException
                || (e.code() != null && e.code().startsWith("Neo.ClientError.Security."));
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
