/*-------------------------------------------------------------------------
 *
 * log.c
 *	  Messages, progress bars and the closing summary of the CLI.
 *
 * On a terminal each phase gets a progress bar redrawn in place; off a
 * terminal (logs, CI) each phase gets one line when it ends, so that logs
 * stay readable.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/log.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int			cli_verbosity = 0;
const char *cli_progname = "neo2pg";

static const char *const phase_names[3] = {"nodes", "relationships", "indexes"};

double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
vlog(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", cli_progname, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_error(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt,...)
{
	va_list		ap;

	if (cli_verbosity < 0)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void
log_verbose(const char *fmt,...)
{
	va_list		ap;

	if (cli_verbosity < 1)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

/*
 * file, row and key come first because they are what a user needs to find
 * the bad input; the message says what is wrong with it.
 */
void
log_n2p_error(const N2pError *err)
{
	char		row[64] = "";

	if (err->row_kind && err->row_id >= 0)
		snprintf(row, sizeof(row), "%s %lld: ", err->row_kind, (long long) err->row_id);
	log_error("%s%s%s%s%s%s%s", err->file, err->file[0] ? ": " : "", row,
			  err->has_key ? "key \"" : "", err->has_key ? err->key : "",
			  err->has_key ? "\": " : "", err->msg);
}

/* ----------------------------------------------------------- allocation */

void
exit_out_of_memory(void)
{
	log_error("out of memory: nothing was loaded");
	exit(EXIT_DATA);
}

static void *
check_alloc(void *p)
{
	if (p == NULL)
		exit_out_of_memory();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	return check_alloc(calloc(n ? n : 1, size ? size : 1));
}

void *
xrealloc(void *ptr, size_t size)
{
	return check_alloc(realloc(ptr, size ? size : 1));
}

char *
xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *
xstrndup(const char *s, size_t n)
{
	return check_alloc(strndup(s, n));
}

/* ------------------------------------------------------------- progress */

void
progress_init(Progress *p, const N2pGraphMeta *meta)
{
	memset(p, 0, sizeof(*p));
	p->tty = isatty(STDERR_FILENO) && cli_verbosity >= 0;
	p->phase_start = p->last_draw = now_seconds();
	p->phase = N2P_REC_NODE;
	p->total_bytes[N2P_REC_NODE] = meta ? meta->node_bytes : 0;
	p->total_bytes[N2P_REC_REL] = meta ? meta->rel_bytes : 0;
	for (int i = 0; i < 3; i++)
		p->stats[i].name = phase_names[i];
	p->nstats = 2;
}

static void
fmt_bytes(char *buf, size_t len, uint64_t b)
{
	if (b >= 10ull << 30)
		snprintf(buf, len, "%.1f GB", (double) b / (1 << 30));
	else if (b >= 10ull << 20)
		snprintf(buf, len, "%.1f MB", (double) b / (1 << 20));
	else
		snprintf(buf, len, "%.1f kB", (double) b / 1024);
}

static void
draw_bar_line(const char *name, double frac, const char *rest)
{
	char		bar[21];
	int			i;

	if (frac > 1)
		frac = 1;
	for (i = 0; i < 20; i++)
		bar[i] = i < (int) (frac * 20) ? '#' : ' ';
	bar[20] = '\0';
	fprintf(stderr, "\r%-13s [%s] %3.0f%%  %s\033[K", name, bar, frac * 100, rest);
	fflush(stderr);
}

static void
draw_bar(Progress *p, int idx, double now, const char *what)
{
	const PhaseStat *s = &p->stats[idx];
	double		el = now - p->phase_start;
	uint64_t	total = idx < 2 ? p->total_bytes[idx] : 0;
	double		frac;
	char		bytes[32],
				rest[200];

	if (idx == 2)
	{
		frac = p->nsteps ? (double) p->step / p->nsteps : 0;
		snprintf(rest, sizeof(rest), "step %d/%d  %.0fs  %.60s", p->step, p->nsteps, el,
				 what ? what : "");
		draw_bar_line(s->name, frac, rest);
		return;
	}
	frac = total ? (double) s->bytes / (double) total : 0;
	fmt_bytes(bytes, sizeof(bytes), s->bytes);
	snprintf(rest, sizeof(rest), "%llu rows  %s  %.0f rows/s", (unsigned long long) s->rows,
			 bytes, el > 0 ? (double) s->rows / el : 0.0);
	if (frac > 0.01 && frac < 1)
		snprintf(rest + strlen(rest), sizeof(rest) - strlen(rest), "  ETA %.0fs", el / frac - el);
	draw_bar_line(s->name, frac, rest);
}

void
progress_update(void *ctx, N2pRecKind phase, uint64_t rows, uint64_t bytes)
{
	Progress   *p = ctx;
	double		now = now_seconds();

	if (phase != p->phase)
	{
		progress_phase_done(p, (int) p->phase);
		p->phase = phase;
	}
	p->stats[phase].rows = rows;
	p->stats[phase].bytes = bytes;
	if (p->tty && now - p->last_draw >= 0.1)
	{
		draw_bar(p, (int) phase, now, NULL);
		p->last_draw = now;
	}
}

/* Close the phase: final bar or log line, and its time in the summary. */
void
progress_phase_done(Progress *p, int idx)
{
	PhaseStat  *s = &p->stats[idx];
	double		now = now_seconds();
	char		bytes[32];

	s->seconds = now - p->phase_start;
	if (idx == 2 && p->nstats < 3)
		p->nstats = 3;
	if (p->tty)
	{
		draw_bar(p, idx, now, idx == 2 ? "done" : NULL);
		fputc('\n', stderr);
	}
	else if (cli_verbosity >= 0)
	{
		fmt_bytes(bytes, sizeof(bytes), s->bytes);
		if (idx == 2)
			log_info("%s: %d steps in %.2f s", s->name, p->nsteps, s->seconds);
		else
			log_info("%s: %llu rows, %s in %.2f s", s->name, (unsigned long long) s->rows,
					 bytes, s->seconds);
	}
	p->phase_start = now;
}

void
progress_plan_steps(Progress *p, int nsteps)
{
	p->step = 0;
	p->nsteps = nsteps;
}

/* One step of the index phase begins: keys, indexes, commit. */
void
progress_step(Progress *p, const char *what)
{
	if (p->tty)
		draw_bar(p, 2, now_seconds(), what);
	log_verbose("%s", what);
	p->step++;
}

void
progress_summary(const Progress *p)
{
	double		total = 0;
	char		bytes[32];
	int			i;

	if (cli_verbosity < 0)
		return;
	fprintf(stderr, "\n%15s %10s %12s %12s %10s\n", "phase", "errors", "rows",
			"bytes", "seconds");
	fprintf(stderr, "%15s %10s %12s %12s %10s\n", "---------------", "----------",
			"------------", "------------", "----------");
	for (i = 0; i < p->nstats; i++)
	{
		const PhaseStat *s = &p->stats[i];

		fmt_bytes(bytes, sizeof(bytes), s->bytes);
		fprintf(stderr, "%15s %10llu %12llu %12s %10.3f\n", s->name,
				(unsigned long long) s->rejected, (unsigned long long) s->rows,
				i < 2 ? bytes : "", s->seconds);
		total += s->seconds;
	}
	fprintf(stderr, "%15s %10s %12s %12s %10s\n", "---------------", "----------",
			"------------", "------------", "----------");
	fprintf(stderr, "%15s %10s %12s %12s %10.3f\n", "total", "", "", "", total);
}
