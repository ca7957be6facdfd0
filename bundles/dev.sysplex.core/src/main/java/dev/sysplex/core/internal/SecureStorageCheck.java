package dev.sysplex.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;

/**
 * The application {@code dev.sysplex.core.secureStorageCheck}, run headless in an installed IDE by
 * the build's install check: it lists the Secure Storage password provider modules the IDE has
 * (none is the "No secure storage modules found" a user would meet when saving a password), then
 * stores a secret ({@code store VALUE}) or reads it back ({@code read VALUE}, in a second run: a new
 * JVM, so the value came from the storage's file) in the default Secure Storage. Headless, nobody
 * can type the master password a provider asks for: the caller passes -eclipse.password (and
 * -eclipse.keyring, so the user's own storage is never touched). Exit code 0 when all held.
 */
public final class SecureStorageCheck implements IApplication {

	private static final String NODE = "dev.sysplex.core/install-check";
	private static final String EXTENSION_POINT = "org.eclipse.equinox.security.secureStorage";

	@Override
	public Object start(IApplicationContext context) throws Exception {
		String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		// the runtime passes its own options (-eclipse.keyring FILE, ...) on: the command is the last two
		List<String> positional = args.length >= 2 ? List.of(args[args.length - 2], args[args.length - 1]) : List.of();
		if (positional.size() != 2 || !List.of("store", "read").contains(positional.get(0))) {
			System.err.println("secureStorageCheck: expected 'store VALUE' or 'read VALUE', got " + List.of(args));
			return 2;
		}
		List<String> modules = new ArrayList<>();
		for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
			if (e.getName().equals("provider")) {
				modules.add(e.getDeclaringExtension().getUniqueIdentifier() + " (priority " + e.getAttribute("priority")
						+ ", from " + e.getContributor().getName() + ")");
			}
		}
		if (modules.isEmpty()) {
			System.err.println("secureStorageCheck: FAILED: the installation has no Secure Storage password provider "
					+ "module; saving a password would fail with \"No secure storage modules found\"");
			return 1;
		}
		System.out.println("secureStorageCheck: password provider modules: " + String.join(", ", modules));
		ISecurePreferences node = SecurePreferencesFactory.getDefault().node(NODE);
		String value = positional.get(1);
		if (positional.get(0).equals("store")) {
			node.put("secret", value, true);
			SecurePreferencesFactory.getDefault().flush();
			System.out.println("secureStorageCheck: stored the secret, encrypted: " + node.isEncrypted("secret"));
			return node.isEncrypted("secret") ? IApplication.EXIT_OK : 1;
		}
		String read = node.get("secret", null);
		if (!value.equals(read)) {
			System.err.println("secureStorageCheck: FAILED: read back " + (read == null ? "nothing" : "another value")
					+ " from Secure Storage");
			return 1;
		}
		node.removeNode();
		SecurePreferencesFactory.getDefault().flush();
		System.out.println("secureStorageCheck: read the secret back from the storage's file");
		return IApplication.EXIT_OK;
	}

	@Override
	public void stop() {
	}
}
