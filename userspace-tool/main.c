// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl: configure and watch Multi-Paxos groups of the paxos kernel
 * module.
 *
 *	paxosctl [ -j ] [ -p ] [ -n ] [ -s ] [ -t ] OBJECT { COMMAND | help }
 *
 * Exit status: 0 success, 1 the kernel refused or could not be asked,
 * 2 bad command line or cluster file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "paxosctl.h"

struct options opt;

static void usage(FILE *f)
{
	fputs("Usage: paxosctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	      "       paxosctl [ OPTIONS ]          (same as \"group show\")\n"
	      "       paxosctl genkey               (a new random group key)\n"
	      "OBJECT := { group | propose | log | monitor }\n"
	      "OPTIONS := { -j[son] | -p[retty] | -n | --dry-run | -s | --stats |\n"
	      "             -t | --timestamp | -V[ersion] | -h[elp] }\n"
	      "  -j, --json      JSON output (monitor: one object per line)\n"
	      "  -p, --pretty    indented JSON (implies -j)\n"
	      "  -n, --dry-run   print the netlink request as JSON instead of sending it\n"
	      "  -s, --stats     group show: the counters, grouped (RX, TX, proposals,\n"
	      "                  learning, leadership), as \"ip -s link\" does\n"
	      "  -t, --timestamp monitor: each event with the time it arrived\n"
	      "                  ([YYYY-MM-DDThh:mm:ss.uuuuuu+hh:mm]; JSON: \"time\")\n"
	      "Try \"paxosctl OBJECT help\"; see paxosctl(8).\n", f);
}

struct object {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct object objects[] = {
	{ "group", do_group },
	{ "propose", do_propose },
	{ "log", do_log },
	{ "monitor", do_monitor },
	{ "genkey", do_genkey },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "stats", no_argument, NULL, 's' },
		{ "statistics", no_argument, NULL, 's' },
		{ "timestamp", no_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c, err;

	while ((c = getopt_long(argc, argv, "+jpnstVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'p':
			opt.json = true;
			opt.pretty = true;
			break;
		case 'n':
			opt.dry_run = true;
			break;
		case 's':
			opt.stats = true;
			break;
		case 't':
			opt.timestamp = true;
			break;
		case 'V':
			printf(PROG " " PAXOSCTL_VERSION "\n");
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		err = group_show_all();
	} else if (matches(*argv, "help")) {
		usage(stdout);
		err = 0;
	} else {
		for (i = 0; i < ARRAY_SIZE(objects); i++) {
			if (matches(*argv, objects[i].name))
				break;
		}
		if (i == ARRAY_SIZE(objects)) {
			usage(stderr);
			err = usage_error("unknown object \"%s\"", *argv);
		} else {
			err = objects[i].run(argc - 1, argv + 1);
		}
	}
	nl_close();
	if (fflush(stdout) && !err)
		err = -EXIT_REQUEST;
	return err < 0 ? -err : err;
}
