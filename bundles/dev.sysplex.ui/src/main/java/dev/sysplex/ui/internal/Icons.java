package dev.sysplex.ui.internal;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.ResourceLocator;
import org.eclipse.jface.viewers.DecorationOverlayIcon;
import org.eclipse.jface.viewers.IDecoration;
import org.eclipse.swt.graphics.Image;

/**
 * The explorer's icons (icons/obj16, elcl16, ovr16; each with its @2x for HiDPI, which JFace
 * picks by itself), and node icons with a state overlay in the bottom right corner, made once and
 * kept in JFace's image registry. Drawn by releng/icons/make_icons.py.
 */
final class Icons {

	static final String CONNECTION = "obj16/connection.png";
	static final String JOB = "obj16/job.png";
	static final String SYSTEM = "obj16/system.png";
	static final String DEBUG_WAITING = "obj16/debug_waiting.png";
	static final String DEBUG_RUNNING = "obj16/debug_running.png";
	static final String LAUNCH = "obj16/launch.png";
	static final String CONNECTED = "ovr16/connected.png";
	static final String ENCRYPTED = "ovr16/encrypted.png";
	static final String NOT_ENCRYPTED = "ovr16/not_encrypted.png";
	static final String FAILED = "ovr16/failed.png";
	static final String RECONNECTING = "ovr16/reconnecting.png";

	private static final String BUNDLE = "dev.sysplex.ui";

	private Icons() {
	}

	static ImageDescriptor descriptor(String path) {
		return ResourceLocator.imageDescriptorFromBundle(BUNDLE, "icons/" + path)
				.orElseGet(ImageDescriptor::getMissingImageDescriptor);
	}

	/** The icon at {@code path} (under icons/), made once. */
	static Image image(String path) {
		ImageRegistry registry = JFaceResources.getImageRegistry();
		String key = BUNDLE + "/" + path;
		Image image = registry.get(key);
		if (image == null) {
			registry.put(key, descriptor(path));
			image = registry.get(key);
		}
		return image;
	}

	/** {@code base} with {@code overlay} (null: none) in its bottom right corner, made once. */
	static Image image(String base, String overlay) {
		if (overlay == null) {
			return image(base);
		}
		ImageRegistry registry = JFaceResources.getImageRegistry();
		String key = BUNDLE + "/" + base + "+" + overlay;
		Image image = registry.get(key);
		if (image == null) {
			registry.put(key, new DecorationOverlayIcon(image(base), descriptor(overlay), IDecoration.BOTTOM_RIGHT));
			image = registry.get(key);
		}
		return image;
	}
}
