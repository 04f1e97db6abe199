/*-------------------------------------------------------------------------
 *
 * main.c
 *	  neo2pg: move Neo4j graphs into PostgreSQL and back.  Option parsing
 *	  and dispatch only.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/main.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *out)
{
	fprintf(out,
			"neo2pg moves Neo4j graphs into PostgreSQL.\n\n"
			"Usage:\n"
			"  neo2pg [OPTION]... COMMAND [ARG]...\n\n"
			"Commands:\n"
			"  copy SOURCE [TARGET]   load SOURCE (a neo4j-backup directory) into TARGET\n"
			"                         (a PostgreSQL URI or conninfo string; without one,\n"
			"                         a local PostgreSQL that neo2pg starts itself)\n"
			"  inspect SOURCE         describe SOURCE without loading it\n"
			"  verify SOURCE_A SOURCE_B  compare two graphs value by value (exit 1 if they differ)\n\n"
			"Options:\n"
			"  -q, --quiet            print errors only\n"
			"  -v, --verbose          print more (repeat for more still)\n"
			"  -V, --version          print the version and exit\n"
			"  -h, --help             print this help and exit\n\n"
			"Run \"neo2pg COMMAND --help\" for a command's options.\n"
			"Exit status: 0 success, 1 failure (nothing was changed), 2 usage error,\n"
			"128 + the signal when stopped by one (130 SIGINT, 143 SIGTERM, 129 SIGHUP;\n"
			"nothing was changed, or an import into Neo4j is undone by the next one).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int			c;

	interrupt_init();
	/* '+' stops at the command name, so commands parse their own options */
	while ((c = getopt_long(argc, argv, "+qvVh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'q':
				cli_verbosity = -1;
				break;
			case 'v':
				cli_verbosity++;
				break;
			case 'V':
				printf("neo2pg %s\n", N2P_VERSION);
				return 0;
			case 'h':
				usage(stdout);
				return 0;
			default:
				usage(stderr);
				return EXIT_USAGE;
		}
	}
	if (optind >= argc)
	{
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;					/* reset getopt for the command */
	if (strcmp(argv[0], "copy") == 0)
		return interrupt_exit_status(cmd_copy(argc, argv));
	if (strcmp(argv[0], "inspect") == 0)
		return cmd_inspect(argc, argv);
	if (strcmp(argv[0], "verify") == 0)
		return interrupt_exit_status(cmd_verify(argc, argv));
	if (strcmp(argv[0], "help") == 0)
	{
		usage(stdout);
		return 0;
	}
	log_error("unknown command \"%s\"", argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}
