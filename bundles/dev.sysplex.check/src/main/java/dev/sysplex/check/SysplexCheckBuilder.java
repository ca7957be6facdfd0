package dev.sysplex.check;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Runs `sysplex check` on every sysplex directory of the project (a folder, or the project itself,
 * holding a {@code sysplex.conf}) whose members changed, and puts its findings on the members as
 * Problems-view markers ({@link CheckMarkers}). A full build checks them all; an incremental one only
 * the directories a change is in. What the running sysplex writes under {@code var/} is not a member
 * and starts no check.
 */
public final class SysplexCheckBuilder extends IncrementalProjectBuilder {

	public static final String ID = "dev.sysplex.check.builder";

	@Override
	protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
		IProject project = getProject();
		IResourceDelta delta = kind == FULL_BUILD ? null : getDelta(project);
		Set<IContainer> directories = new LinkedHashSet<>();
		Set<IContainer> gone = new LinkedHashSet<>();
		if (delta == null) {
			CheckMarkers.directories(project, directories);
			// a directory that was one at the last build and is no more keeps no stale finding
			project.deleteMarkers(CheckMarkers.TYPE, true, IResource.DEPTH_INFINITE);
		} else {
			changed(delta, directories, gone);
		}
		SubMonitor sub = SubMonitor.convert(monitor, "Checking sysplex directories", directories.size() + gone.size());
		for (IContainer dir : gone) {
			CheckMarkers.clear(dir);
			sub.worked(1);
		}
		for (IContainer dir : directories) {
			if (sub.isCanceled()) {
				throw new OperationCanceledException();
			}
			sub.subTask("sysplex check " + dir.getFullPath());
			CheckMarkers.update(dir);
			sub.worked(1);
		}
		return null;
	}

	@Override
	protected void clean(IProgressMonitor monitor) throws CoreException {
		getProject().deleteMarkers(CheckMarkers.TYPE, true, IResource.DEPTH_INFINITE);
	}

	/** The sysplex directories a change is in; those whose sysplex.conf went away in {@code gone}. */
	private static void changed(IResourceDelta delta, Set<IContainer> directories, Set<IContainer> gone)
			throws CoreException {
		delta.accept(d -> {
			IResource r = d.getResource();
			if (CheckMarkers.isRuntimeFolder(r)) {
				return false;
			}
			if (r.getType() != IResource.FILE) {
				return true;
			}
			if (d.getKind() == IResourceDelta.CHANGED && (d.getFlags() & ~IResourceDelta.MARKERS) == 0) {
				return false; // only markers changed (ours, or a user's bookmark)
			}
			if (CheckMarkers.CONFIG.equals(r.getName()) && d.getKind() == IResourceDelta.REMOVED) {
				gone.add(r.getParent());
			}
			for (IContainer c = r.getParent(); c != null && c.getType() != IResource.ROOT; c = c.getParent()) {
				if (CheckMarkers.isDirectory(c)) {
					directories.add(c);
					break;
				}
			}
			return false;
		});
		gone.removeAll(directories);
	}
}
