package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;

import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.ui.WidgetIds;

/** What the UI tests share: a sysplex of their own, the event loop, dialogs answered by id. */
final class Ui {

	private Ui() {
	}

	/**
	 * Starts a copy of examples/two-systems on the loopback subnet {@code prefix}.N. (N from the
	 * process id, so parallel builds on one machine do not collide); returns the sysplex, whose
	 * DVIPA is {@code subnet(prefix) + "100"}.
	 */
	static Sysplex startTwoSystems(Path dir, String prefix) throws Exception {
		return startTwoSystems(dir, prefix, java.util.Map.of());
	}

	/** As {@link #startTwoSystems(Path, String)}, with edits of files (by path in the example) first. */
	static Sysplex startTwoSystems(Path dir, String prefix,
			java.util.Map<String, java.util.function.UnaryOperator<String>> edits) throws Exception {
		Path copy = dir.resolve("plex");
		SysplexDirectories.copy(Path.of(System.getProperty("sysplex.examples")).resolve("two-systems"), copy);
		String subnet = subnet(prefix);
		try (Stream<Path> files = Files.walk(copy)) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				String rel = copy.relativize(p).toString();
				Files.writeString(p, edits.getOrDefault(rel, java.util.function.UnaryOperator.identity())
						.apply(Files.readString(p).replace("127.0.10.", subnet)));
			}
		}
		return Sysplex.start(copy);
	}

	static String subnet(String prefix) {
		return prefix + (ProcessHandle.current().pid() % 200 + 1) + ".";
	}

	/** Runs the event loop until {@code done}, at most {@code seconds} (a timer wakes the loop to check). */
	static void pumpUntil(BooleanSupplier done, String what, int seconds) {
		Display display = Display.getCurrent();
		long deadline = System.nanoTime() + seconds * 1_000_000_000L;
		while (!done.getAsBoolean()) {
			assertTrue(System.nanoTime() < deadline, "timed out after " + seconds + " s waiting until " + what);
			if (!display.readAndDispatch()) {
				display.timerExec(100, () -> {
				});
				display.sleep();
			}
		}
	}

	static void pumpUntil(BooleanSupplier done, String what) {
		pumpUntil(done, what, 30);
	}

	/**
	 * When a shell carrying {@code shellId} opens (within 60 s), runs {@code answer} on it. Dialogs
	 * opened from jobs run their own event loop, so the answer comes from a timer in that loop.
	 */
	static void whenShellOpens(String shellId, Consumer<Shell> answer) {
		whenShellOpens(shell -> shellId.equals(shell.getData(WidgetIds.KEY)), answer);
	}

	/**
	 * As {@link #whenShellOpens(String, Consumer)} for the shell that holds the widget carrying
	 * {@code widgetId} (a dialog known by one of its fields, such as a property page's).
	 */
	static void whenShellHolding(String widgetId, Consumer<Shell> answer) {
		whenShellOpens(shell -> Widgets.withId(shell.getDisplay(), widgetId).stream()
				.anyMatch(w -> w instanceof org.eclipse.swt.widgets.Control c && c.getShell() == shell), answer);
	}

	/** As {@link #whenShellOpens(String, Consumer)} for the first visible shell that {@code matches}. */
	static void whenShellOpens(java.util.function.Predicate<Shell> matches, Consumer<Shell> answer) {
		Display display = Display.getCurrent();
		long deadline = System.nanoTime() + 60_000_000_000L;
		int generation = watchers;
		Runnable[] poll = new Runnable[1];
		poll[0] = () -> {
			if (generation != watchers) {
				return; // the test that asked has ended
			}
			Shell shell = null;
			for (Shell candidate : display.getShells()) {
				if (!candidate.isDisposed() && candidate.isVisible() && matches.test(candidate)) {
					shell = candidate;
				}
			}
			if (shell != null) {
				answer.accept(shell);
			} else if (System.nanoTime() < deadline) {
				display.timerExec(50, poll[0]);
			}
		};
		display.timerExec(50, poll[0]);
	}

	private static int watchers;

	/** Ends the watches of {@link #whenShellOpens} not yet answered (each test's clean-up calls it). */
	static void stopWatching() {
		watchers++;
	}

	static Shell shell(Display display, String id) {
		for (Shell shell : display.getShells()) {
			if (!shell.isDisposed() && id.equals(shell.getData(WidgetIds.KEY))) {
				return shell;
			}
		}
		return null;
	}

	static void click(Shell shell, String label) {
		Button b = Widgets.button(shell, label);
		assertTrue(b != null, "the dialog has a '" + label + "' button");
		b.notifyListeners(SWT.Selection, new Event());
	}

	/** Selects the item whose text starts with {@code prefix}, as a user's click would. */
	static void select(Tree tree, String prefix) {
		TreeItem item = find(tree, prefix);
		assertTrue(item != null, "the explorer shows an item starting with '" + prefix + "': " + texts(tree));
		tree.setSelection(item);
		tree.notifyListeners(SWT.Selection, new Event());
	}

	static TreeItem find(Tree tree, String prefix) {
		for (TreeItem item : items(tree.getItems())) {
			if (item.getText().startsWith(prefix)) {
				return item;
			}
		}
		return null;
	}

	/** The texts of all items, depth first (children of expanded items only). */
	static List<String> texts(Tree tree) {
		return items(tree.getItems()).stream().map(TreeItem::getText).toList();
	}

	private static List<TreeItem> items(TreeItem[] level) {
		List<TreeItem> all = new ArrayList<>();
		for (TreeItem item : level) {
			all.add(item);
			if (item.getExpanded()) {
				all.addAll(items(item.getItems()));
			}
		}
		return all;
	}

	static void execute(String command) throws Exception {
		PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand(command, null);
	}

	/**
	 * Ends what a debugging test leaves in the workbench: its debug event listener (null: none) and
	 * every launch not terminated yet.
	 */
	static void endLaunches(org.eclipse.debug.core.IDebugEventSetListener listener)
			throws org.eclipse.debug.core.DebugException {
		if (listener != null) {
			org.eclipse.debug.core.DebugPlugin.getDefault().removeDebugEventListener(listener);
		}
		for (var launch : org.eclipse.debug.core.DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
			if (!launch.isTerminated()) {
				launch.terminate();
			}
		}
	}

	/** The text of every label and text field in {@code shell}, one per line: what a dialog says. */
	static String labels(Shell shell) {
		StringBuilder sb = new StringBuilder();
		collect(shell, sb);
		return sb.toString();
	}

	private static void collect(org.eclipse.swt.widgets.Control c, StringBuilder sb) {
		if (c instanceof org.eclipse.swt.widgets.Label l) {
			sb.append(l.getText()).append('\n');
		} else if (c instanceof org.eclipse.swt.widgets.Text t) {
			sb.append(t.getText()).append('\n');
		}
		if (c instanceof org.eclipse.swt.widgets.Composite comp) {
			for (var child : comp.getChildren()) {
				collect(child, sb);
			}
		}
	}

	/** Saves a picture of the screen for the docs under target/screenshots/docs (README, docs/images). */
	static void docPicture(String name) throws java.io.IOException {
		Path docs = Path.of(System.getProperty("sysplex.screenshots", "target/screenshots")).resolve("docs");
		Files.createDirectories(docs);
		// GTK paints on its frame clock, while the event loop runs: run it for a moment (an empty queue
		// is not a painted screen), every shell redrawn first
		Display display = Display.getCurrent();
		for (Shell shell : display.getShells()) {
			if (!shell.isDisposed() && shell.isVisible()) {
				shell.redraw(0, 0, shell.getSize().x, shell.getSize().y, true);
				shell.update();
			}
		}
		long until = System.nanoTime() + 700_000_000L;
		pumpUntil(() -> System.nanoTime() >= until, "0.7 s of painting passed", 5);
		ScreenshotOnFailure.save(docs.resolve(name));
	}
}
