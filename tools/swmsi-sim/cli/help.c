/* SPDX-License-Identifier: MIT */
/*
 * swmsi-sim --help: the usage lines, the options, and the scenario
 * language's commands as the command table spells them (so the list cannot
 * drift from what the parser accepts).
 */
#include <stdio.h>

#include "commands.h"
#include "help.h"

static const char usage_text[] =
	"usage: swmsi-sim [options] [FILE|-]\n"
	"       swmsi-sim [options] --seed N --random STEPS [--emit FILE]\n"
	"       swmsi-sim --explore DEPTH [--faults] [--vectors N] [--jobs N]\n"
	"                 [--max-states N] [--counterexample FILE] [--scheme S] FILE\n"
	"       swmsi-sim --print-demo\n"
	"\n"
	"Plays a scenario (FILE, or standard input for '-', or the built-in demo\n"
	"without an argument) against libswmsi and its mock IOMMU, prints a\n"
	"timeline, and checks the invariants after every step.\n"
	"\n"
	"options:\n"
	"  -q, --quiet        print no timeline, only errors\n"
	"  -k, --keep-going   do not stop at the first failed expectation (a run\n"
	"                     or --compare)\n"
	"      --json FILE    write the timeline and final state as JSON\n"
	"      --dot FILE     write the final state as a Graphviz graph\n"
	"      --svg FILE     render that graph to SVG with Graphviz's dot\n"
	"                     (FILE '-' is standard output, and then no timeline\n"
	"                     is printed; one of the three at most)\n"
	"      --only group=N[,N...] | device=NAME[,NAME...]\n"
	"                     draw only those groups or devices and what they\n"
	"                     reach (needs --dot or --svg; given again, adds)\n"
	"      --trace        print the mock IOMMU's journal for every step, with\n"
	"                     attach, replace, detach and group switches as events\n"
	"      --scheme S     run under sw_msi scheme S (native, kernel or\n"
	"                     dma-iommu) whatever the file's 'option scheme' says;\n"
	"                     an option S cannot take (kernel: reclaim unused, a\n"
	"                     max_msi_maps but 64; dma-iommu: reclaim unused, a\n"
	"                     max_msi_maps but 0) is an error at its line (exit 2)\n"
	"      --full-check   snapshot and check the whole state after every step\n"
	"                     (by default a step checks what it touched, and the\n"
	"                     whole state is checked at the end)\n"
	"      --strict       broken invariants fail the run under every scheme\n"
	"                     (kernel and dma-iommu report them as findings)\n"
	"      --compare[=SCHEMES]  run the file once per scheme (comma list,\n"
	"                     default native,kernel,dma-iommu) and print the\n"
	"                     results side by side, '*' where they differ, lost\n"
	"                     and misrouted vectors named; the file's own scheme\n"
	"                     decides the exit status and, without -k, stops every\n"
	"                     run at its first failed expectation; a scheme that\n"
	"                     cannot take an option runs with its own setting\n"
	"                     and the header says so\n"
	"      --seed N       seed of --random (default 1)\n"
	"      --random STEPS generate a random valid scenario of STEPS commands,\n"
	"                     print it, then check it; with --scheme S, one\n"
	"                     that S supports, with S's outcomes predicted\n"
	"      --emit FILE    with --random: write the scenario to FILE instead\n"
	"      --explore DEPTH  from the state FILE leaves, run every sequence of up\n"
	"                     to DEPTH attach, replace, detach, msi and free steps,\n"
	"                     checking the invariants (strict) after each; the first\n"
	"                     violation, at the smallest depth, is written as a\n"
	"                     scenario that fails the same way (exit 1)\n"
	"      --faults       --explore: each step also with the next map failing\n"
	"      --vectors N    --explore: live vectors per device and doorbell (1)\n"
	"      --jobs N       --explore: worker threads (default: the CPUs)\n"
	"      --max-states N --explore: stop after N distinct states (4000000)\n"
	"      --counterexample FILE  --explore: where the counterexample goes\n"
	"                     (default standard output)\n"
	"      --print-demo   print the built-in demo's scenario (the text its\n"
	"                     line numbers refer to) and exit\n"
	"  -h, --help         this text\n"
	"  -V, --version      the version\n"
	"\n";

/* After the command list, which comes from the command table. */
static const char usage_tail[] =
	"Numbers are decimal or 0x-hex with an optional K, M or G suffix. Prot\n"
	"letters: r read, w write, m MMIO; none given means rw. A command ending in\n"
	"'=> ERRNAME' must fail with exactly that error, any other must succeed;\n"
	"fire must reach the doorbell unless it ends in '=> EFAULT'; 'expect fires'\n"
	"states where a vector's write lands instead (a misrouted MSI). A fire\n"
	"result says where the write went: its doorbell, LOST or MISROUTED -> ADDR.\n"
	"\n"
	"Exit status: 0 all held, 1 a failed expectation or invariant, 2 a usage,\n"
	"parse or I/O error (every parse error is listed, up to 20, as\n"
	"FILE:LINE:COL: message). NO_COLOR disables colours.\n"
	"\n"
	"The language's reference (options and their defaults, the window override,\n"
	"the doorbell allow-list, vector labels, expectations): man swmsi-sim, or\n"
	"docs/scenario-language.md in the sources.\n";

/* The language: the options, then every command of the table, two a line. */
void sim_print_help(void)
{
	char u[2][64];
	size_t i;

	fputs(usage_text, stdout);
	fputs("The scenario language, a command a line, '#' starts a comment:\n"
	      "  option page_shift 12|14|16     option max_msi_maps N     "
	      "option reclaim none|unused\n"
	      "  option scheme native|kernel|dma-iommu                    option strict\n",
	      stdout);
	for (i = 0; i < cmd_count; i += 2) {
		cmd_usage(&cmd_table[i], u[0], sizeof(u[0]));
		if (i + 1 < cmd_count) {
			cmd_usage(&cmd_table[i + 1], u[1], sizeof(u[1]));
			printf("  %-40s %s\n", u[0], u[1]);
		} else {
			printf("  %s\n", u[0]);
		}
	}
	fputs(usage_tail, stdout);
}
