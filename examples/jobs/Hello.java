/** Example job: says where it runs and ends; with arguments, greets them. */
public class Hello {

	public static void main(String[] args) {
		String who = args.length == 0 ? "sysplex" : String.join(" ", args);
		System.out.println("Hello, " + who + ", from a job in " + System.getProperty("user.dir"));
	}
}
