package dev.sysplex.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.model.IWorkbenchAdapter;
import org.eclipse.ui.model.WorkbenchAdapter;
import org.eclipse.ui.views.properties.IPropertyDescriptor;
import org.eclipse.ui.views.properties.IPropertySource;
import org.eclipse.ui.views.properties.PropertyDescriptor;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.DebugSessions;

/**
 * What the Properties view and the property dialog see of the explorer's nodes: an
 * IPropertySource (read-only rows, grouped in categories) and an IWorkbenchAdapter (the name and
 * icon the property dialog's title and the Properties view's header show).
 */
public final class ExplorerAdapters implements IAdapterFactory {

	@Override
	public <T> T getAdapter(Object element, Class<T> type) {
		if (type == IPropertySource.class) {
			Map<String, Map<String, Object>> rows = rows(element);
			return rows.isEmpty() ? null : type.cast(new Source(rows));
		}
		if (type == IWorkbenchAdapter.class) {
			return type.cast(new WorkbenchAdapter() {
				@Override
				public String getLabel(Object o) {
					return name(o);
				}

				@Override
				public ImageDescriptor getImageDescriptor(Object o) {
					return Icons.descriptor(switch (o) {
					case ConnectionDescriptor c -> Icons.CONNECTION;
					case ExplorerNodes.JobNode j -> Icons.JOB;
					case ExplorerNodes.SystemNode n -> Icons.SYSTEM;
					case DebugSessions.WaitingSession w -> Icons.DEBUG_WAITING;
					default -> Icons.DEBUG_RUNNING;
					});
				}
			});
		}
		return null;
	}

	@Override
	public Class<?>[] getAdapterList() {
		return new Class<?>[] { IPropertySource.class, IWorkbenchAdapter.class };
	}

	/** The node's short name: the connection's name, "JOB00003 (Payroll.java)", ... */
	static String name(Object o) {
		return switch (o) {
		case ConnectionDescriptor c -> c.name();
		case ExplorerNodes.JobNode j -> j.job().id() + " (" + j.job().program() + ")";
		case ExplorerNodes.SystemNode n -> n.system();
		case DebugSessions.WaitingSession w -> w.session().job() + " on " + w.session().system();
		case ExplorerNodes.DebugNode d -> d.launch().getLaunchConfiguration() == null ? "debug session"
				: d.launch().getLaunchConfiguration().getName();
		default -> String.valueOf(o);
		};
	}

	/** Category, then label and value, in order. */
	static Map<String, Map<String, Object>> rows(Object element) {
		Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
		switch (element) {
		case ConnectionDescriptor c -> {
			Map<String, Object> def = category(rows, Messages.Category_connection);
			def.put(Messages.Property_name, c.name());
			def.put(Messages.Property_host, c.host());
			def.put(Messages.Property_port, c.port());
			def.put(Messages.Property_user, c.user());
			def.put(Messages.Property_encryptionPolicy, c.encryption().name().toLowerCase(Locale.ROOT));
			ConnectionState s = SysplexConnections.instance().state(c.name());
			Map<String, Object> session = category(rows, Messages.Category_session);
			session.put(Messages.Property_state, ExplorerContent.describe(s));
			if (s.phase() == ConnectionState.Phase.CONNECTED) {
				session.put(Messages.Property_system, s.system().orElse(""));
				session.put(Messages.Property_serverPort, s.serverPort());
				session.put(Messages.Property_encrypted, s.encrypted() ? Messages.Connection_encrypted
						: Messages.Connection_notEncrypted);
				SysplexConnections.instance().session(c.name()).flatMap(x -> x.certificateSha256())
						.ifPresent(f -> session.put(Messages.Property_certificate, f));
			}
		}
		case ExplorerNodes.SystemNode n -> {
			Map<String, Object> system = category(rows, Messages.Category_system);
			system.put(Messages.Property_name, n.system());
			system.put(Messages.Property_connection, n.connection());
			SysplexConnections.instance().registry().get(n.connection())
					.ifPresent(c -> system.put(Messages.Property_dvipa, c.host()));
			system.put(Messages.Property_rseSession, ExplorerContent.session(n));
			List<dev.sysplex.core.JobInfo> jobs = ExplorerContent.jobs(n);
			system.put(Messages.Property_jobs, jobs.isEmpty() ? Messages.System_noJobs
					: String.join(", ", jobs.stream().map(j -> j.id() + " " + ExplorerContent.state(j)).toList()));
		}
		case ExplorerNodes.JobNode j -> {
			Map<String, Object> job = category(rows, Messages.Category_job);
			job.put(Messages.Property_job, j.job().id());
			job.put(Messages.Property_program, j.job().program());
			job.put(Messages.Property_system, j.job().system());
			job.put(Messages.Property_state, ExplorerContent.state(j.job()));
			j.job().rc().ifPresent(rc -> job.put(Messages.Property_rc, rc));
			job.put(Messages.Property_connection, j.connection());
		}
		case DebugSessions.WaitingSession w -> {
			Map<String, Object> session = category(rows, Messages.Category_session);
			session.put(Messages.Property_job, w.session().job());
			session.put(Messages.Property_system, w.session().system());
			session.put(Messages.Property_user, w.session().user());
			session.put(Messages.Property_debugManagerPort, w.session().port());
			session.put(Messages.Property_encrypted, w.session().encrypted() ? Messages.Connection_encrypted
					: Messages.Connection_notEncrypted);
			session.put(Messages.Property_connection, w.connection());
		}
		case ExplorerNodes.DebugNode d -> {
			Map<String, Object> session = category(rows, Messages.Category_session);
			session.put(Messages.Property_configuration, name(d));
			session.put(Messages.Property_state, new ExplorerContent.Labels().getText(d));
			session.put(Messages.Property_connection, d.connection());
		}
		default -> {
		}
		}
		return rows;
	}

	private static Map<String, Object> category(Map<String, Map<String, Object>> rows, String name) {
		return rows.computeIfAbsent(name, k -> new LinkedHashMap<>());
	}

	/** Read-only rows: the Properties view shows them, nothing is edited there (the property page edits). */
	private record Source(Map<String, Map<String, Object>> rows) implements IPropertySource {
		@Override
		public Object getEditableValue() {
			return null;
		}

		@Override
		public IPropertyDescriptor[] getPropertyDescriptors() {
			List<IPropertyDescriptor> list = new ArrayList<>();
			rows.forEach((category, values) -> values.keySet().forEach(label -> {
				PropertyDescriptor d = new PropertyDescriptor(category + "/" + label, label);
				d.setCategory(category);
				list.add(d);
			}));
			return list.toArray(IPropertyDescriptor[]::new);
		}

		@Override
		public Object getPropertyValue(Object id) {
			String key = (String) id;
			int slash = key.indexOf('/');
			Map<String, Object> values = rows.get(key.substring(0, slash));
			Object v = values == null ? null : values.get(key.substring(slash + 1));
			return v == null ? "" : String.valueOf(v);
		}

		@Override
		public boolean isPropertySet(Object id) {
			return false;
		}

		@Override
		public void resetPropertyValue(Object id) {
		}

		@Override
		public void setPropertyValue(Object id, Object value) {
		}
	}
}
