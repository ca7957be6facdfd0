package dev.sysplex.ui.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Saves a PNG of the whole display when a test fails, under the directory named by the system
 * property {@code sysplex.screenshots} (the build sets it to target/screenshots).
 */
public class ScreenshotOnFailure implements TestWatcher {

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName()
				.replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
		Path dir = Paths.get(System.getProperty("sysplex.screenshots", "target/screenshots"));
		Path file = dir.resolve(name);
		try {
			Files.createDirectories(dir);
			save(file);
			System.err.println("Screenshot of the failed test: " + file.toAbsolutePath());
		} catch (Exception e) {
			System.err.println("Could not save a screenshot to " + file.toAbsolutePath() + ": " + e);
			cause.addSuppressed(e);
		}
	}

	/** Saves the display as a PNG; callable from any thread. */
	public static void save(Path file) {
		Display display = Display.getDefault();
		display.syncExec(() -> {
			Rectangle bounds = display.getBounds();
			Image image = new Image(display, bounds.width, bounds.height);
			GC gc = new GC(display);
			try {
				gc.copyArea(image, 0, 0);
				ImageLoader loader = new ImageLoader();
				loader.data = new ImageData[] { image.getImageData() };
				loader.save(file.toString(), SWT.IMAGE_PNG);
			} finally {
				gc.dispose();
				image.dispose();
			}
		});
	}
}
