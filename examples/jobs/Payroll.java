/**
 * Example job: totals a small payroll. Submitted with TEST(,,,DBMDT%userid), it waits for that
 * user's debugger; `./sysplex demo` stops it at the line marked BREAKPOINT and reads 'total'.
 */
public class Payroll {

	public static void main(String[] args) {
		int[] salaries = { 4200, 3900, 5100, 4700 };
		long total = 0;
		for (int salary : salaries) {
			total += salary;
		}
		System.out.println("Payroll total: " + total); // BREAKPOINT
	}
}
