package dev.sysplex.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.check.CheckMarkers;
import dev.sysplex.check.SysplexCheckBuilder;
import dev.sysplex.check.SysplexCheckNature;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.check.Finding;
import dev.sysplex.host.check.SysplexCheck;

/**
 * sysplex check in the workspace: a project over a copy of examples/two-systems with the nature,
 * members edited as a user saves them in an editor (IFile.setContents, the auto-build), and the
 * markers compared with what the check itself finds.
 */
class CheckBuilderTest {

	private static final String PROFILE = "plex/systems/SYSA/PROFILE.TCPIP";

	@TempDir
	Path dir;

	private IProject project;

	@BeforeEach
	void project() throws Exception {
		Path examples = Path.of(System.getProperty("sysplex.examples"));
		SysplexDirectories.copy(examples.resolve("two-systems"), dir.resolve("plex"));
		IWorkspace ws = ResourcesPlugin.getWorkspace();
		project = ws.getRoot().getProject("sysplex-members-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
		IProjectDescription d = ws.newProjectDescription(project.getName());
		d.setLocation(IPath.fromPath(dir));
		project.create(d, null);
		project.open(null);
		assertTrue(ws.isAutoBuilding(), "the workspace builds automatically, as the IDE's does by default");
	}

	@AfterEach
	void deleteProject() throws CoreException {
		if (project != null && project.exists()) {
			project.delete(false, true, null); // the files are the @TempDir's
		}
	}

	@Test
	void aPitfallSavedInAMemberIsAMarkerOnItsLineAndGoesAwayWhenFixed() throws Exception {
		SysplexCheckNature.add(project);
		settle();
		assertTrue(Arrays.stream(project.getDescription().getBuildSpec())
				.anyMatch(c -> SysplexCheckBuilder.ID.equals(c.getBuilderName())), "the nature adds the builder");
		assertEquals(List.of(), markers(), "two-systems has no finding, so no marker");

		IFile profile = project.getFile(PROFILE);
		String fixed = read(profile);
		save(profile, fixed.replace("DEFINE SYSPLEXPORTS DISTMETHOD", "DEFINE DISTMETHOD"));
		List<IMarker> markers = markers();
		assertEquals(1, markers.size(), "one finding: " + describe(markers));
		IMarker m = markers.get(0);
		assertEquals(profile, m.getResource(), "on the member the finding names");
		assertEquals("no-sysplexports", m.getAttribute(CheckMarkers.FINDING_ID, ""));
		assertEquals(IMarker.SEVERITY_ERROR, m.getAttribute(IMarker.SEVERITY, -1));
		assertEquals(13, m.getAttribute(IMarker.LINE_NUMBER, -1), "on the VIPADISTRIBUTE's line");
		assertTrue(m.getAttribute(IMarker.MESSAGE, "").contains("has no SYSPLEXPORTS"), m.getAttribute(IMarker.MESSAGE, ""));
		assertTrue(m.getAttribute(CheckMarkers.FIX, "").startsWith("add SYSPLEXPORTS"), m.getAttribute(CheckMarkers.FIX, ""));
		assertTrue(m.isSubtypeOf(IMarker.PROBLEM), "a problem: the Problems view shows it");

		// the markers are exactly the CLI's findings
		List<Finding> cli = SysplexCheck.check(dir.resolve("plex"));
		assertEquals(cli.stream().map(f -> f.id() + "@" + f.line()).toList(),
				markers.stream().map(x -> x.getAttribute(CheckMarkers.FINDING_ID, "") + "@"
						+ x.getAttribute(IMarker.LINE_NUMBER, 0)).toList());

		save(profile, fixed);
		assertEquals(List.of(), markers(), "the fix saved, the marker is gone");
	}

	@Test
	void anInlineIgnoreLeavesTheFindingOutAsTheCliDoes() throws Exception {
		SysplexCheckNature.add(project);
		IFile profile = project.getFile(PROFILE);
		String broken = read(profile).replace("DEFINE SYSPLEXPORTS DISTMETHOD", "DEFINE DISTMETHOD");
		save(profile, broken);
		assertEquals(1, markers().size());
		save(profile, broken.replace("   VIPADISTRIBUTE DEFINE DISTMETHOD",
				"   ; sysplex-check: ignore no-sysplexports\n   VIPADISTRIBUTE DEFINE DISTMETHOD"));
		assertEquals(List.of(), markers(), "suppressed inline");
	}

	@Test
	void aMissingMemberIsMarkedOnTheDirectoryAndTheRuntimeFolderStartsNoCheck() throws Exception {
		SysplexCheckNature.add(project);
		settle();
		project.getFile("plex/systems/SYSB/PROFILE.TCPIP").delete(true, null);
		settle();
		List<IMarker> markers = markers();
		assertEquals(1, markers.size(), "SYSB's profile is missing: " + describe(markers));
		assertTrue(markers.stream().allMatch(m -> m.getAttribute(CheckMarkers.DIRECTORY, "").equals(
				project.getFolder("plex").getFullPath().toPortableString())), describe(markers));
		assertTrue(markers.stream().anyMatch(m -> m.getResource().equals(project.getFolder("plex"))
				&& m.getAttribute(IMarker.MESSAGE, "").startsWith("systems/SYSB/PROFILE.TCPIP: is missing")
				&& "file-missing".equals(m.getAttribute(CheckMarkers.FINDING_ID, ""))), describe(markers));

		// a started sysplex writes var/: no check runs for it, and the markers stay as they are
		long[] stamps = markers.stream().mapToLong(m -> {
			try {
				return m.getCreationTime();
			} catch (CoreException e) {
				throw new IllegalStateException(e);
			}
		}).toArray();
		project.getFolder("plex/var").create(true, true, null);
		save(project.getFile("plex/var/sysa.log"), "started\n");
		assertEquals(Arrays.toString(stamps), Arrays.toString(markers().stream().mapToLong(m -> {
			try {
				return m.getCreationTime();
			} catch (CoreException e) {
				throw new IllegalStateException(e);
			}
		}).toArray()), "the same markers, not made again");
	}

	@Test
	void aDirectoryThatIsNoMoreOneAndTheNatureRemovedLeaveNoMarker() throws Exception {
		SysplexCheckNature.add(project);
		IFile profile = project.getFile(PROFILE);
		save(profile, read(profile).replace("DEFINE SYSPLEXPORTS DISTMETHOD", "DEFINE DISTMETHOD"));
		assertEquals(1, markers().size());
		IFile conf = project.getFile("plex/sysplex.conf");
		String config = read(conf);
		conf.delete(true, null);
		settle();
		assertEquals(List.of(), markers(), "no sysplex.conf, no sysplex directory, no finding");

		save(conf, config);
		assertEquals(1, markers().size(), "back again");
		project.build(IncrementalProjectBuilder.CLEAN_BUILD, null);
		assertEquals(List.of(), markers(), "a clean removes them");
		project.build(IncrementalProjectBuilder.FULL_BUILD, null);
		assertEquals(1, markers().size(), "a full build makes them again");
		SysplexCheckNature.remove(project);
		settle();
		assertEquals(List.of(), markers(), "the nature removed, the builder and its markers are gone");
		assertFalse(Arrays.stream(project.getDescription().getBuildSpec())
				.anyMatch(c -> SysplexCheckBuilder.ID.equals(c.getBuilderName())));
	}

	private void save(IFile file, String text) throws Exception {
		var in = new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
		if (file.exists()) {
			file.setContents(in, IResource.KEEP_HISTORY, null);
		} else {
			file.create(in, true, null);
		}
		settle();
	}

	private static String read(IFile file) throws Exception {
		try (var in = file.getContents()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/** Waits for the auto-build (it starts after a short delay) to have run. */
	private static void settle() throws InterruptedException {
		Job.getJobManager().wakeUp(ResourcesPlugin.FAMILY_AUTO_BUILD);
		Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
	}

	private List<IMarker> markers() throws CoreException {
		return List.of(project.findMarkers(CheckMarkers.TYPE, true, IResource.DEPTH_INFINITE));
	}

	private static String describe(List<IMarker> markers) {
		return markers.stream().map(m -> m.getResource().getFullPath() + ":" + m.getAttribute(IMarker.LINE_NUMBER, 0)
				+ " " + m.getAttribute(IMarker.MESSAGE, "")).toList().toString();
	}
}
