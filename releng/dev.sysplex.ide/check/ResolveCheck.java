import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs every bundle an Eclipse installation's simpleconfigurator lists into a fresh OSGi
 * framework (nothing is started) and checks that the named bundles resolve. For an unresolved
 * one it prints the framework's own explanation. Run with the installation's org.eclipse.osgi
 * jar on the class path: java -cp org.eclipse.osgi_*.jar ResolveCheck.java IDE STORAGE BSN...
 */
public class ResolveCheck {

	public static void main(String[] args) throws Exception {
		Path ide = Path.of(args[0]).toAbsolutePath();
		Path bundlesInfo = ide.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info");
		if (!Files.isRegularFile(bundlesInfo)) {
			fail("no " + bundlesInfo + ": the installation has no simpleconfigurator configuration");
		}
		Map<String, String> config = new HashMap<>();
		config.put("org.osgi.framework.storage", Path.of(args[1]).toAbsolutePath().toString());
		config.put("org.osgi.framework.storage.clean", "onFirstInit");
		config.put("osgi.install.area", ide.toUri().toString());
		Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
				.orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"))
				.newFramework(config);
		framework.init();
		try {
			Map<String, Bundle> bySymbolicName = new HashMap<>();
			List<Bundle> installed = new ArrayList<>();
			for (String line : Files.readAllLines(bundlesInfo)) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String[] f = line.split(",");
				if (f[0].equals("org.eclipse.osgi")) {
					continue; // the framework itself
				}
				Path location = ide.resolve(f[2]);
				Bundle b = framework.getBundleContext().installBundle("reference:" + location.toUri());
				installed.add(b);
				bySymbolicName.put(f[0], b);
			}
			framework.adapt(FrameworkWiring.class).resolveBundles(installed);
			long resolved = installed.stream().filter(b -> b.getState() != Bundle.INSTALLED).count();
			System.out.println("[install-check] " + resolved + " of " + installed.size() + " bundles resolved");
			boolean ok = true;
			for (int i = 2; i < args.length; i++) {
				Bundle b = bySymbolicName.get(args[i]);
				if (b == null) {
					System.err.println("[install-check] " + args[i] + " is not in " + bundlesInfo);
					ok = false;
				} else if (b.getState() == Bundle.INSTALLED) {
					System.err.println("[install-check] " + args[i] + " " + b.getVersion() + " does NOT resolve: "
							+ explain(b));
					ok = false;
				} else {
					System.out.println("[install-check] " + args[i] + " " + b.getVersion() + " resolves");
				}
			}
			if (!ok) {
				fail("see above");
			}
		} finally {
			framework.stop();
			framework.waitForStop(10_000);
		}
	}

	/** Equinox puts its resolution report into the exception of a start attempt. */
	private static String explain(Bundle b) {
		try {
			b.start(Bundle.START_TRANSIENT);
			return "(it resolved on a second attempt)";
		} catch (BundleException e) {
			return e.getMessage();
		}
	}

	private static void fail(String why) {
		System.err.println("[install-check] " + why);
		System.exit(1);
	}
}
