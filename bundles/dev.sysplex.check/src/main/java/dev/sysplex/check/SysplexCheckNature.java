package dev.sysplex.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;

/**
 * The nature of a project that keeps sysplex directories: it adds the {@link SysplexCheckBuilder}
 * to the project's build spec, and removing it takes the builder and its markers away.
 */
public final class SysplexCheckNature implements IProjectNature {

	public static final String ID = "dev.sysplex.check.nature";

	private IProject project;

	@Override
	public void configure() throws CoreException {
		IProjectDescription description = project.getDescription();
		ICommand[] commands = description.getBuildSpec();
		if (Arrays.stream(commands).anyMatch(c -> SysplexCheckBuilder.ID.equals(c.getBuilderName()))) {
			return;
		}
		ICommand command = description.newCommand();
		command.setBuilderName(SysplexCheckBuilder.ID);
		ICommand[] spec = Arrays.copyOf(commands, commands.length + 1);
		spec[commands.length] = command;
		description.setBuildSpec(spec);
		project.setDescription(description, null);
	}

	@Override
	public void deconfigure() throws CoreException {
		IProjectDescription description = project.getDescription();
		List<ICommand> kept = new ArrayList<>();
		for (ICommand c : description.getBuildSpec()) {
			if (!SysplexCheckBuilder.ID.equals(c.getBuilderName())) {
				kept.add(c);
			}
		}
		description.setBuildSpec(kept.toArray(ICommand[]::new));
		project.setDescription(description, null);
		project.deleteMarkers(CheckMarkers.TYPE, true, IResource.DEPTH_INFINITE);
	}

	@Override
	public IProject getProject() {
		return project;
	}

	@Override
	public void setProject(IProject project) {
		this.project = project;
	}

	/** Adds the nature (and so the builder) to {@code project}; nothing when it has it. */
	public static void add(IProject project) throws CoreException {
		IProjectDescription description = project.getDescription();
		if (description.hasNature(ID)) {
			return;
		}
		String[] natures = Arrays.copyOf(description.getNatureIds(), description.getNatureIds().length + 1);
		natures[natures.length - 1] = ID;
		description.setNatureIds(natures);
		project.setDescription(description, null);
	}

	/** Removes the nature, the builder and the markers from {@code project}. */
	public static void remove(IProject project) throws CoreException {
		IProjectDescription description = project.getDescription();
		if (!description.hasNature(ID)) {
			return;
		}
		description.setNatureIds(
				Arrays.stream(description.getNatureIds()).filter(n -> !ID.equals(n)).toArray(String[]::new));
		project.setDescription(description, null);
	}
}
