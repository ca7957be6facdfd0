package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.equinox.security.storage.EncodingUtils;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.PasswordPrompt;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.StatusCodes;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.core.internal.SecurePasswordStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.ui.WidgetIds;
import dev.sysplex.ui.internal.NewConnectionWizard;
import dev.sysplex.ui.internal.WorkbenchBinding;

/**
 * Passwords in the workbench's real Secure Storage (Equinox's default storage, in a file of this
 * build, unlocked by the test run's -eclipse.password file), end to end against the real host
 * side: the wizard saves the password there, encrypted, and the logon uses it without asking; a
 * password that cannot be saved is an error dialog and an Error Log entry at once.
 */
@ExtendWith(ScreenshotOnFailure.class)
class SecureStorageTest {

	private static final String PASSWORD = "secure-storage-test";

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private SysplexConnections connections;
	private WizardDialog dialog;
	private String secureNode;
	private boolean automatedMode = ErrorDialog.AUTOMATED_MODE;
	private final List<IStatus> logged = new CopyOnWriteArrayList<>();
	private final ILogListener log = (status, plugin) -> logged.add(status);
	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("s" + System.nanoTime());

	@AfterEach
	void cleanUp() throws Exception {
		Ui.stopWatching();
		ErrorDialog.AUTOMATED_MODE = automatedMode;
		Platform.removeLogListener(log);
		if (dialog != null && dialog.getShell() != null && !dialog.getShell().isDisposed()) {
			dialog.close();
		}
		if (connections != null) {
			Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
			for (String name : List.of("Secure plex", "Unsaved plex")) {
				connections.session(name).ifPresent(s -> connections.disconnect(name));
			}
			Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
		}
		SysplexConnections.setInstance(null);
		if (secureNode != null) {
			SecurePreferencesFactory.getDefault().node(secureNode).removeNode();
			SecurePreferencesFactory.getDefault().flush();
		}
		if (sysplex != null) {
			sysplex.close();
		}
		node.removeNode();
	}

	@Test
	void theWizardSavesThePasswordInSecureStorageEncryptedAndTheLogonUsesIt() throws Exception {
		sysplex = Ui.startTwoSystems(dir, "127.73.");
		sysplex.users().setPassword("IBMUSER", PASSWORD.toCharArray(), false, 1_000);
		String dvipa = Ui.subnet("127.73.") + "100";
		connections = new SysplexConnections(new ConnectionRegistry(node), SecurePasswordStore.secureStorage(),
				TrustStore.inMemory());
		connections.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);
		AtomicBoolean asked = new AtomicBoolean();
		connections.setPasswordPrompt(c -> {
			asked.set(true);
			return Optional.empty();
		});

		dialog = new WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
				new NewConnectionWizard(connections));
		dialog.setBlockOnOpen(false);
		dialog.open();
		type(WidgetIds.WIZARD_NAME, "Secure plex");
		type(WidgetIds.WIZARD_HOST, dvipa);
		type(WidgetIds.WIZARD_USER, "ibmuser");
		type(WidgetIds.WIZARD_PASSWORD, PASSWORD);
		assertTrue(Widgets.single(Display.getCurrent(), WidgetIds.WIZARD_SAVE_PASSWORD, Button.class).getSelection(),
				"'Save the password' is ticked by default");
		Button finish = Widgets.button(dialog.getShell(), "Finish");
		finish.notifyListeners(SWT.Selection, new Event());
		assertTrue(dialog.getShell() == null || dialog.getShell().isDisposed(), "Finish closed the wizard");

		// in Equinox's default Secure Storage, read back through its own API, and not in clear in its file
		secureNode = "dev.sysplex.core/connections/" + EncodingUtils.encodeSlashes("Secure plex");
		assertEquals(PASSWORD, SecurePreferencesFactory.getDefault().node(secureNode).get("password", null));
		assertTrue(SecurePreferencesFactory.getDefault().node(secureNode).isEncrypted("password"), "stored encrypted");
		Path keyring = Path.of(System.getProperty("sysplex.keyring"));
		assertTrue(Files.isRegularFile(keyring), "the storage is this run's file " + keyring);
		assertFalse(new String(Files.readAllBytes(keyring), StandardCharsets.ISO_8859_1).contains(PASSWORD),
				"the file does not hold the password in clear");

		// a new connections instance (a restarted workbench) logs on with it, asking nobody
		connections = new SysplexConnections(new ConnectionRegistry(node), SecurePasswordStore.secureStorage(),
				TrustStore.inMemory());
		connections.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);
		connections.setPasswordPrompt(c -> {
			asked.set(true);
			return Optional.empty();
		});
		assertTrue(connections.connect("Secure plex").join(30_000, null), "the connect job ended");
		assertEquals(ConnectionState.Phase.CONNECTED, connections.state("Secure plex").phase(),
				connections.state("Secure plex").toString());
		assertFalse(asked.get(), "the saved password was used: nobody was asked");
	}

	@Test
	void aPasswordThatCannotBeSavedIsAnErrorDialogAndInTheErrorLogAtOnce() throws Exception {
		sysplex = Ui.startTwoSystems(dir, "127.74.");
		sysplex.users().setPassword("IBMUSER", PASSWORD.toCharArray(), false, 1_000);
		String dvipa = Ui.subnet("127.74.") + "100";
		// what Secure Storage answered in a product without a password provider
		PasswordStore broken = new PasswordStore() {
			@Override
			public Optional<char[]> get(String connection) {
				return Optional.empty();
			}

			@Override
			public void put(String connection, char[] password) throws CoreException {
				throw new CoreException(Status.error("Cannot save the password of '" + connection
						+ "' in Secure Storage: No secure storage modules found."));
			}

			@Override
			public void remove(String connection) {
			}
		};
		connections = new SysplexConnections(new ConnectionRegistry(node), broken, TrustStore.inMemory());
		connections.registry().add(new ConnectionDescriptor("Unsaved plex", dvipa, 4035, "IBMUSER",
				dev.sysplex.client.EncryptionPolicy.REQUIRED, true, false));
		SysplexConnections.setInstance(connections);
		WorkbenchBinding.bind(connections); // the real password dialog and its error reporting
		connections.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);
		Platform.addLogListener(log);
		ErrorDialog.AUTOMATED_MODE = false; // the harness sets it: error dialogs would only be logged

		Ui.whenShellOpens(WidgetIds.PASSWORD_DIALOG, shell -> {
			Widgets.single(shell.getDisplay(), WidgetIds.PASSWORD_TEXT, Text.class).setText(PASSWORD);
			assertTrue(Widgets.single(shell.getDisplay(), WidgetIds.PASSWORD_SAVE, Button.class).getSelection());
			Ui.click(shell, "Log On");
		});
		String[] error = { null };
		Ui.whenShellOpens(WidgetIds.ERROR_DIALOG, shell -> {
			error[0] = Ui.labels(shell);
			Ui.click(shell, "OK");
		});
		Job connect = connections.connect("Unsaved plex");
		Ui.pumpUntil(() -> error[0] != null, "an error dialog says the password was not saved");
		assertTrue(error[0].contains("Saving the password of Unsaved plex failed"), error[0]);
		assertTrue(error[0].contains("NOT saved") && error[0].contains("No secure storage modules found"), error[0]);
		Ui.pumpUntil(() -> connect.getResult() != null, "the connect job ends");
		assertEquals(ConnectionState.Phase.CONNECTED, connections.state("Unsaved plex").phase(),
				"the logon itself succeeded");
		assertTrue(logged.stream().anyMatch(s -> s.getSeverity() == IStatus.ERROR
				&& s.getCode() == StatusCodes.PASSWORD_NOT_SAVED), "an ERROR in the Error Log: " + logged);
	}

	private void type(String id, String text) {
		Widgets.single(Display.getCurrent(), id, Text.class).setText(text);
	}
}
