package dev.sysplex.debug.internal;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.sourcelookup.ISourceContainer;
import org.eclipse.debug.core.sourcelookup.ISourcePathComputerDelegate;
import org.eclipse.debug.core.sourcelookup.containers.WorkspaceSourceContainer;

/**
 * Where a Sysplex debug session looks for the job's sources: the whole workspace, so a project
 * holding the job's .java files (in any folder) is found, as a job has no project of its own.
 */
public final class SysplexSourcePathComputer implements ISourcePathComputerDelegate {

	@Override
	public ISourceContainer[] computeSourceContainers(ILaunchConfiguration configuration, IProgressMonitor monitor) {
		return new ISourceContainer[] { new WorkspaceSourceContainer() };
	}
}
