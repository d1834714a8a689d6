/* SPDX-License-Identifier: MIT */
/* swmsi-sim --help (help.c). */
#ifndef SWMSI_SIM_HELP_H
#define SWMSI_SIM_HELP_H

/* Print the usage, the options and every command of the table to stdout. */
void sim_print_help(void);

#endif /* SWMSI_SIM_HELP_H */
