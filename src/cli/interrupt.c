/*-------------------------------------------------------------------------
 *
 * interrupt.c
 *	  SIGINT and SIGTERM: stop cleanly, leave the target as it was, and say
 *	  so in the exit status (128 + the signal, as a shell reports it).
 *
 *	  The signals are blocked in every thread and taken by one thread of
 *	  their own with sigwait(), so nothing runs in a signal handler: that
 *	  thread may lock, print and cancel PostgreSQL statements.  While a copy
 *	  or a verify runs ("armed"), the first signal only sets a flag, which
 *	  the record loops check, and cancels the statement the load's
 *	  connection is running; the failure then takes the ordinary way out
 *	  (ROLLBACK, the staging schema dropped, the backup's temporary
 *	  directory and verify's work files removed, an import's nodes deleted).
 *	  Outside those (options, password prompts, connecting) and at a second
 *	  signal the process ends at once with the signal's default action, as
 *	  it did before.
 *
 *	  NEO2PG_TEST_FAULT=POINT:ACTION makes the run stop itself (stop), or
 *	  send itself a signal (INT, TERM, KILL), the first time it passes POINT:
 *	  the tests' way to reach a phase without timing.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/interrupt.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "pg_util.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WATCHED 4

static sigset_t caught;
static atomic_int got_signal;
static atomic_bool armed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t handled = PTHREAD_COND_INITIALIZER;
static PGcancel *watched[MAX_WATCHED];

static const char *
signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* The signal's default action, from this thread, which alone may take it. */
static void
die(int sig)
{
	sigset_t	one;

	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void *
signal_thread(void *arg)
{
	int			sig,
				i;

	(void) arg;
	for (;;)
	{
		if (sigwait(&caught, &sig) != 0)
			continue;
		if (!atomic_load(&armed) || atomic_load(&got_signal) != 0)
			die(sig);
		log_error("%s received: stopping and undoing what this run did (again to stop at once)",
				  signal_name(sig));
		pthread_mutex_lock(&lock);
		atomic_store(&got_signal, sig);
		for (i = 0; i < MAX_WATCHED; i++)
		{
			char		errbuf[256];

			if (watched[i])
				(void) PQcancel(watched[i], errbuf, sizeof(errbuf));
		}
		pthread_cond_broadcast(&handled);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

void
interrupt_init(void)
{
	pthread_t	t;

	sigemptyset(&caught);
	sigaddset(&caught, SIGINT);
	sigaddset(&caught, SIGTERM);
	sigaddset(&caught, SIGHUP);
	/* threads started later inherit the mask */
	if (pthread_sigmask(SIG_BLOCK, &caught, NULL) != 0)
		return;
	if (pthread_create(&t, NULL, signal_thread, NULL) != 0)
	{
		pthread_sigmask(SIG_UNBLOCK, &caught, NULL);
		return;
	}
	pthread_detach(t);
}

void
interrupt_child_reset(void)
{
	pthread_sigmask(SIG_UNBLOCK, &caught, NULL);
}

bool
interrupt_spawnattr(posix_spawnattr_t *attr)
{
	sigset_t	none;

	sigemptyset(&none);
	return posix_spawnattr_init(attr) == 0 &&
		posix_spawnattr_setsigmask(attr, &none) == 0 &&
		posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK) == 0;
}

void
interrupt_arm(bool on)
{
	atomic_store(&armed, on);
}

int
interrupt_signal(void)
{
	return atomic_load(&got_signal);
}

bool
interrupt_check(N2pError *err)
{
	int			sig = atomic_load(&got_signal);

	return sig == 0 || n2p_error_set(err, N2P_ERR_IO, "interrupted by %s", signal_name(sig));
}

int
interrupt_watch_pg(PGconn *conn)
{
	PGcancel   *c = PQgetCancel(conn);
	int			i;

	if (c == NULL)
		return -1;
	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_WATCHED && watched[i]; i++)
		;
	if (i < MAX_WATCHED)
		watched[i] = c;
	pthread_mutex_unlock(&lock);
	if (i == MAX_WATCHED)
	{
		PQfreeCancel(c);
		return -1;
	}
	return i;
}

void
interrupt_unwatch(int slot)
{
	PGcancel   *c;

	if (slot < 0 || slot >= MAX_WATCHED)
		return;
	pthread_mutex_lock(&lock);
	c = watched[slot];
	watched[slot] = NULL;
	pthread_mutex_unlock(&lock);
	PQfreeCancel(c);
}

int
interrupt_exit_status(int rc)
{
	int			sig = interrupt_signal();

	if (sig == 0)
		return rc;
	if (rc == 0)
		log_error("%s came after the run had finished: its result stands", signal_name(sig));
	else
		log_error("interrupted by %s (exit status %d)", signal_name(sig), 128 + sig);
	return 128 + sig;
}

/* ------------------------------------------------------- test faults */

void
test_point(const char *name)
{
	static atomic_bool fired;
	const char *spec = getenv("NEO2PG_TEST_FAULT");
	const char *colon = spec ? strrchr(spec, ':') : NULL;
	int			sig;

	if (colon == NULL || strlen(name) != (size_t) (colon - spec) ||
		strncmp(spec, name, (size_t) (colon - spec)) != 0 || atomic_exchange(&fired, true))
		return;
	if (strcmp(colon + 1, "stop") == 0)
	{
		raise(SIGSTOP);
		return;
	}
	sig = strcmp(colon + 1, "INT") == 0 ? SIGINT : strcmp(colon + 1, "TERM") == 0 ? SIGTERM : SIGKILL;
	kill(getpid(), sig);
	/* the signal thread has taken it before this point is left */
	pthread_mutex_lock(&lock);
	while (atomic_load(&got_signal) == 0)
		pthread_cond_wait(&handled, &lock);
	pthread_mutex_unlock(&lock);
}

/* ---------------------------------------- a sink that stops when told */

typedef struct CheckedSink
{
	N2pSink		base;
	N2pSink    *inner;
	int			kind;
} CheckedSink;

static bool
checked_begin(N2pSink *sink, const N2pGraphMeta *meta, N2pError *err)
{
	CheckedSink *s = (CheckedSink *) sink;

	interrupt_arm(true);
	test_point("begin");
	return interrupt_check(err) && s->inner->ops->begin(s->inner, meta, err);
}

static bool
checked_write(N2pSink *sink, const N2pRecord *rec, N2pError *err)
{
	CheckedSink *s = (CheckedSink *) sink;

	if ((int) rec->kind != s->kind)
	{
		s->kind = (int) rec->kind;
		test_point(rec->kind == N2P_REC_NODE ? "nodes" : "relationships");
	}
	return interrupt_check(err) && s->inner->ops->write(s->inner, rec, err);
}

static bool
checked_finish(N2pSink *sink, N2pError *err)
{
	CheckedSink *s = (CheckedSink *) sink;

	test_point("finish");
	return interrupt_check(err) && s->inner->ops->finish(s->inner, err);
}

static void
checked_abort(N2pSink *sink)
{
	CheckedSink *s = (CheckedSink *) sink;

	s->inner->ops->abort(s->inner);
}

static void
checked_close(N2pSink *sink)
{
	(void) sink;
}

static const N2pSinkOps checked_ops = {checked_begin, checked_write, checked_finish, checked_abort,
	checked_close};

bool
interrupt_stream_copy(N2pSource *src, N2pSink *sink, N2pProgressFn progress, void *ctx,
					  N2pError *err)
{
	CheckedSink s = {{&checked_ops}, sink, -1};
	bool		ok = n2p_stream_copy(src, &s.base, progress, ctx, err);

	interrupt_arm(false);
	return ok;
}
