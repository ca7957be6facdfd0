package dev.sysplex.check;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;

import dev.sysplex.host.check.Finding;
import dev.sysplex.host.check.Suppressions;
import dev.sysplex.host.check.SysplexCheck;

/**
 * The findings of `sysplex check` on one sysplex directory of the workspace as markers of type
 * {@link #TYPE}: on the member and line the finding names, with its id, severity, message and fix,
 * the same findings the CLI prints, after the same inline {@code sysplex-check: ignore} suppressions.
 * A finding about a member that is not in the workspace (a missing file) goes on the directory.
 */
public final class CheckMarkers {

	/** The marker type (a problem marker and a text marker). */
	public static final String TYPE = "dev.sysplex.check.finding";
	/** The finding's id, such as {@code no-sysplexports} (docs/configuration.md lists them). */
	public static final String FINDING_ID = "findingId";
	/** How to fix it, as the CLI's {@code fix:} line says. */
	public static final String FIX = "fix";
	/** The systems the finding concerns, comma-separated; empty when it is about one member. */
	public static final String SYSTEMS = "systems";
	/** The workspace path of the sysplex directory the finding belongs to. */
	public static final String DIRECTORY = "sysplexDirectory";

	/** A folder holding this file is a sysplex directory. */
	static final String CONFIG = "sysplex.conf";
	/** What a started sysplex writes beside its members: logs, compiled jobs, certificates. */
	static final String RUNTIME_FOLDER = "var";

	private CheckMarkers() {
	}

	/** True when {@code c} is a sysplex directory: it holds a sysplex.conf. */
	public static boolean isDirectory(IContainer c) {
		return c != null && c.getType() != IResource.ROOT && c.getFile(IPath.fromPortableString(CONFIG)).exists();
	}

	/** True when {@code r} is the var/ folder of a sysplex directory: what a started sysplex writes, not a member. */
	static boolean isRuntimeFolder(IResource r) {
		return r.getType() == IResource.FOLDER && RUNTIME_FOLDER.equals(r.getName()) && isDirectory(r.getParent());
	}

	/** Adds every sysplex directory in {@code root} (itself included) to {@code into}. */
	public static void directories(IContainer root, Set<IContainer> into) throws CoreException {
		root.accept(r -> {
			if (!(r instanceof IContainer c)) {
				return false;
			}
			if (isRuntimeFolder(c)) {
				return false;
			}
			if (isDirectory(c)) {
				into.add(c);
			}
			return true;
		});
	}

	/** Removes the markers of the sysplex directory {@code dir} (not those of a directory inside it). */
	public static void clear(IContainer dir) throws CoreException {
		if (!dir.exists()) {
			return;
		}
		String key = dir.getFullPath().toPortableString();
		for (IMarker m : dir.findMarkers(TYPE, true, IResource.DEPTH_INFINITE)) {
			if (key.equals(m.getAttribute(DIRECTORY, null))) {
				m.delete();
			}
		}
	}

	/** Checks {@code dir} and replaces its markers by the findings; returns them. */
	public static List<Finding> update(IContainer dir) throws CoreException {
		clear(dir);
		IPath location = dir.getLocation();
		if (location == null) {
			return List.of(); // not on the local file system: nothing the check can read
		}
		Path path = location.toPath();
		List<Finding> findings;
		try {
			findings = Suppressions.apply(path, SysplexCheck.check(path), null).findings();
		} catch (RuntimeException e) {
			// a check that could not run is a problem the user sees, not a silent pass
			IMarker m = dir.createMarker(TYPE);
			m.setAttributes(Map.of(IMarker.SEVERITY, IMarker.SEVERITY_ERROR, IMarker.MESSAGE,
					"sysplex check could not check " + dir.getFullPath() + ": " + e
							+ "; run ./sysplex check on the directory to see more, and report it",
					DIRECTORY, dir.getFullPath().toPortableString()));
			return List.of();
		}
		for (Finding f : findings) {
			mark(dir, f);
		}
		return findings;
	}

	private static void mark(IContainer dir, Finding f) throws CoreException {
		IFile file = dir.getFile(IPath.fromOSString(f.file().toString()));
		boolean onFile = !f.file().toString().isEmpty() && file.exists();
		IResource target = onFile ? file : dir;
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(IMarker.SEVERITY,
				f.severity() == Finding.Severity.ERROR ? IMarker.SEVERITY_ERROR : IMarker.SEVERITY_WARNING);
		attributes.put(IMarker.MESSAGE, (onFile ? "" : f.file() + ": ") + f.message() + " [" + f.id() + "]");
		if (onFile && f.line() > 0) {
			attributes.put(IMarker.LINE_NUMBER, f.line());
			attributes.put(IMarker.LOCATION, "line " + f.line());
		}
		if (!f.systems().isEmpty()) {
			attributes.put(IMarker.LOCATION,
					(onFile && f.line() > 0 ? "line " + f.line() + ", " : "") + String.join(", ", f.systems()));
		}
		attributes.put(IMarker.SOURCE_ID, "sysplex check");
		attributes.put(FINDING_ID, f.id());
		attributes.put(FIX, f.fix());
		attributes.put(SYSTEMS, String.join(",", f.systems()));
		attributes.put(DIRECTORY, dir.getFullPath().toPortableString());
		target.createMarker(TYPE, attributes);
	}
}
