/*
 * TestServer: a Neo4j Community DBMS for neo2pg's tests, embedded, with
 * Bolt on one loopback port, authentication on and, when a TLS directory
 * is given, TLS optional on the same port (plaintext and TLS clients are
 * both served, so one server covers every test).
 *
 *   java neo2pg.TestServer HOME PORT PASSWORD_FILE [TLS_DIR] [OWNER_PID]
 *
 * The password is read from a file so that it never appears on a command
 * line.  Prints "READY bolt://127.0.0.1:PORT" once the default database is
 * up.  Stops on SIGTERM, or when OWNER_PID is gone, so that a test run that
 * dies does not leave a server behind.
 */
package neo2pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public final class TestServer
{
	private TestServer()
	{
	}

	public static void main(String[] args) throws Exception
	{
		if (args.length < 3)
		{
			System.err.println("usage: TestServer HOME PORT PASSWORD_FILE [TLS_DIR|-] [OWNER_PID]");
			System.exit(2);
		}
		Path home = Path.of(args[0]).toAbsolutePath();
		int port = Integer.parseInt(args[1]);
		String password = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).strip();
		String tls = args.length > 3 && !args[3].equals("-") ? args[3] : null;
		long owner = args.length > 4 ? Long.parseLong(args[4]) : -1;

		Files.createDirectories(home);
		Path conf = writeSettings(home, port, tls);
		DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
			.loadPropertiesFromFile(conf)
			.build();
		Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
		setPassword(dbms.database("system"), password);
		GraphDatabaseService db = dbms.database("neo4j");
		while (!db.isAvailable())
			TimeUnit.MILLISECONDS.sleep(100);
		txTimeout(db);
		System.out.println("READY bolt://127.0.0.1:" + port);
		System.out.flush();
		watchOwner(owner);
	}

	/*
	 * DatabaseManagementServiceBuilder has no setConfigRaw in 5.26: raw
	 * setting names only go in through a properties file.
	 */
	private static Path writeSettings(Path home, int port, String tls) throws IOException
	{
		String addr = "127.0.0.1:" + port;
		StringBuilder s = new StringBuilder();
		s.append("server.bolt.enabled=true\n");
		s.append("server.bolt.listen_address=").append(addr).append('\n');
		s.append("server.bolt.advertised_address=").append(addr).append('\n');
		s.append("dbms.security.auth_enabled=true\n");
		s.append("server.http.enabled=false\n");
		s.append("server.https.enabled=false\n");
		s.append("server.memory.pagecache.size=256m\n");
		s.append("db.tx_log.rotation.retention_policy=false\n");
		if (tls != null)
		{
			s.append("server.bolt.tls_level=OPTIONAL\n");
			s.append("dbms.ssl.policy.bolt.enabled=true\n");
			s.append("dbms.ssl.policy.bolt.base_directory=").append(Path.of(tls).toAbsolutePath()).append('\n');
			s.append("dbms.ssl.policy.bolt.private_key=private.key\n");
			s.append("dbms.ssl.policy.bolt.public_certificate=public.crt\n");
			s.append("dbms.ssl.policy.bolt.client_auth=NONE\n");
		}
		Path conf = home.resolve("test-server.conf");
		Files.writeString(conf, s.toString(), StandardCharsets.UTF_8);
		return conf;
	}

	/*
	 * N2P_TEST_NEO4J_TX_TIMEOUT (seconds): db.transaction.timeout, set once
	 * the server is up, so that its own start is not subject to it (as
	 * dbms.setConfigValue would, which Community lacks).
	 */
	private static void txTimeout(GraphDatabaseService db)
	{
		String secs = System.getenv("N2P_TEST_NEO4J_TX_TIMEOUT");

		if (secs == null)
			return;
		Config config = ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(Config.class);
		config.setDynamic(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(Long.parseLong(secs)),
						  "neo2pg test");
	}

	/* A home reused from an earlier run already has this password. */
	private static void setPassword(GraphDatabaseService system, String password)
	{
		try
		{
			system.executeTransactionally(
				"ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
		}
		catch (RuntimeException e)
		{
			if (!String.valueOf(e.getMessage()).contains("cannot be the same"))
				throw e;
		}
	}

	private static void watchOwner(long owner) throws InterruptedException
	{
		for (;;)
		{
			TimeUnit.SECONDS.sleep(1);
			if (owner > 0 && !ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false))
				System.exit(0);
		}
	}
}
