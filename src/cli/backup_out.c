/*-------------------------------------------------------------------------
 *
 * backup_out.c
 *	  The backup writer's file I/O on POSIX, `neo2pg copy SOURCE DIR`, and
 *	  `neo2pg copy SOURCE DIR --format neo4j-admin` through the same I/O.
 *
 * Files are synced before they are closed and directories after a rename,
 * so that once the target directory appears under its name, a crash
 * cannot leave it with files cut short.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/backup_out.c
 *
 *-------------------------------------------------------------------------
 */
/* nftw */
#define _XOPEN_SOURCE 700

#include "cli.h"
#include "neo2pg/admin_csv.h"
#include "neo2pg/backup_writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct OutFh
{
	int			fd;
	char	   *path;
} OutFh;

static bool
io_fail(N2pError *err, const char *what, const char *path)
{
	n2p_error_set(err, N2P_ERR_IO, "cannot %s \"%s\": %s", what, path, strerror(errno));
	return false;
}

static void *
posix_open(void *ctx, const char *path, N2pError *err)
{
	OutFh	   *f;
	int			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	(void) ctx;
	if (fd < 0)
		return io_fail(err, "create", path), NULL;
	f = xcalloc(1, sizeof(OutFh));
	f->fd = fd;
	f->path = xstrdup(path);
	return f;
}

static bool
posix_write(void *ctx, void *file, const void *data, size_t len, N2pError *err)
{
	OutFh	   *f = file;
	const char *p = data;

	(void) ctx;
	while (len > 0)
	{
		ssize_t		n = write(f->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_fail(err, "write", f->path);
		p += n;
		len -= (size_t) n;
	}
	return true;
}

static bool
posix_close(void *ctx, void *file, N2pError *err)
{
	OutFh	   *f = file;
	bool		ok = true;

	(void) ctx;
	if (fsync(f->fd) != 0)
		ok = io_fail(err, "sync", f->path);
	if (close(f->fd) != 0 && ok)
		ok = io_fail(err, "close", f->path);
	free(f->path);
	free(f);
	return ok;
}

static bool
posix_mkdir(void *ctx, const char *path, N2pError *err)
{
	(void) ctx;
	return mkdir(path, 0777) == 0 || io_fail(err, "create directory", path);
}

static void
sync_dir(const char *path)
{
	int			fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
	{
		(void) fsync(fd);
		close(fd);
	}
}

/* The entries of a renamed directory, then the new name, reach the disk. */
static const char *moving_aside;	/* --replace's old directory, for test_point() */

static bool
posix_rename(void *ctx, const char *from, const char *to, N2pError *err)
{
	char	   *parent = xstrdup(to);
	struct stat st;

	(void) ctx;
	if (stat(from, &st) == 0 && S_ISDIR(st.st_mode))
		sync_dir(from);
	if (rename(from, to) != 0)
	{
		n2p_error_set(err, N2P_ERR_IO, "cannot rename \"%s\" to \"%s\": %s", from, to,
					  errno == ENOTEMPTY || errno == EEXIST ?
					  "the target exists and is not empty" : strerror(errno));
		free(parent);
		return false;
	}
	sync_dir(dirname(parent));
	free(parent);
	/* the old backup moved aside, the new one not yet in place */
	if (moving_aside && strcmp(to, moving_aside) == 0)
		test_point("moved-aside");
	return true;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	(void) ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -r, links not followed; what cannot go stays (the caller says what is left) */
void
remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
posix_remove_tree(void *ctx, const char *path)
{
	(void) ctx;
	remove_tree(path);
}

static const N2pOutputIo posix_io = {posix_open, posix_write, posix_close, posix_mkdir,
posix_rename, posix_remove_tree, NULL};

/* ------------------------------------------------------------ the target */

static bool
dir_is_empty(const char *path)
{
	DIR		   *d = opendir(path);
	struct dirent *de;
	bool		empty = true;

	if (d == NULL)
		return false;
	while (empty && (de = readdir(d)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* Is dir/name an entry of that mode (S_IFDIR, S_IFREG), not a link to one? */
static bool
has_entry(const char *dir, const char *name, mode_t mode)
{
	char	   *p = xcalloc(1, strlen(dir) + strlen(name) + 2);
	struct stat st;
	bool		yes;

	sprintf(p, "%s/%s", dir, name);
	yes = lstat(p, &st) == 0 && (st.st_mode & S_IFMT) == mode;
	free(p);
	return yes;
}

/*
 * Pump src into a sink that writes files under dir; on failure say that
 * nothing was written there, else close the progress display.
 */
static bool
pump_to_files(N2pSource *src, N2pSink *sink, const char *dir, Progress *progress, N2pError *err)
{
	if (sink == NULL || !interrupt_stream_copy(src, sink, progress_update, progress, err))
	{
		if (progress->tty)
			fputc('\n', stderr);
		log_n2p_error(err);
		log_error("nothing was written under \"%s\"", dir);
		return false;
	}
	progress_phase_done(progress, (int) progress->phase);
	if (progress->phase == N2P_REC_NODE)
		progress_phase_done(progress, N2P_REC_REL);
	progress_summary(progress);
	return true;
}

/*
 * A non-empty directory is replaced only when asked, and only when it is
 * a backup (data/ and db_id.json): --replace must never empty a home
 * directory given by mistake.  Sets *replace when it is to be replaced.
 */
static bool
check_target(const char *dir, bool allow_replace, bool *replace)
{
	struct stat st;

	*replace = false;
	if (lstat(dir, &st) != 0)
	{
		if (errno == ENOENT)
			return true;
		log_error("cannot use \"%s\": %s", dir, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode))
	{
		log_error("\"%s\" exists and is not a directory", dir);
		return false;
	}
	if (dir_is_empty(dir))
		return true;
	if (!allow_replace)
	{
		log_error("\"%s\" exists and is not empty; use --replace to replace the backup in it", dir);
		return false;
	}
	if (!has_entry(dir, "data", S_IFDIR) || !has_entry(dir, "db_id.json", S_IFREG))
	{
		log_error("\"%s\" is not a neo4j-backup directory (no data/ and db_id.json): --replace "
				  "replaces only a backup", dir);
		return false;
	}
	*replace = true;
	return true;
}

static char *
sibling(const char *dir, const char *what)
{
	size_t		len = strlen(dir);
	char	   *p;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	p = xcalloc(1, len + 64);
	snprintf(p, len + 64, "%.*s.neo2pg-%s-%ld", (int) len, dir, what, (long) getpid());
	return p;
}

/* The pid of a sibling() of dir named NAME for WHAT, or 0. */
static long
sibling_pid(const char *name, const char *base, size_t blen, const char *what)
{
	char		prefix[32];
	char	   *end;
	long		pid;

	snprintf(prefix, sizeof(prefix), ".neo2pg-%s-", what);
	if (strncmp(name, base, blen) != 0 || strncmp(name + blen, prefix, strlen(prefix)) != 0)
		return 0;
	errno = 0;
	pid = strtol(name + blen + strlen(prefix), &end, 10);
	return *end == '\0' && errno == 0 && pid > 0 ? pid : 0;
}

/* a pid that no process has: the neo2pg that named a directory after it is gone */
static bool
pid_gone(long pid)
{
	return pid != (long) getpid() && kill((pid_t) pid, 0) != 0 && errno == ESRCH;
}

static void
tidy_one(const char *parent, const char *name, const char *dir, long pid, bool tmp)
{
	char	   *path = xcalloc(1, strlen(parent) + strlen(name) + 2);
	struct stat st;

	sprintf(path, "%s/%s", parent, name);
	if (tmp || lstat(dir, &st) == 0)
	{
		log_info("removing \"%s\", left by a neo2pg that was stopped (pid %ld)", path, pid);
		posix_remove_tree(NULL, path);
	}
	else if (rename(path, dir) == 0)
		log_info("put back \"%s\" as \"%s\": a neo2pg replacing it was stopped (pid %ld) between "
				 "its two renames", path, dir, pid);
	free(path);
}

/*
 * What a neo2pg killed while writing dir left beside it (sibling(): named
 * with its pid).  A temporary directory is incomplete by construction and
 * goes.  An old backup (--replace) goes once dir holds the new one, and is
 * put back as dir when the kill came between the two renames.  A pid that
 * runs is another neo2pg at work (or a reused pid): left alone.
 */
static void
tidy_leftovers(const char *dir)
{
	size_t		len = strlen(dir);
	char	   *trimmed,
			   *c1,
			   *c2,
			   *base,
			   *parent;
	DIR		   *d;
	struct dirent *e;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	trimmed = xstrndup(dir, len);
	c1 = xstrdup(trimmed);
	c2 = xstrdup(trimmed);
	base = basename(c1);
	parent = dirname(c2);
	if ((d = opendir(parent)) != NULL)
	{
		size_t		blen = strlen(base);

		while ((e = readdir(d)) != NULL)
		{
			long		tmp = sibling_pid(e->d_name, base, blen, "tmp"),
						old = sibling_pid(e->d_name, base, blen, "old");

			if ((tmp || old) && pid_gone(tmp ? tmp : old))
				tidy_one(parent, e->d_name, trimmed, tmp ? tmp : old, tmp != 0);
		}
		closedir(d);
	}
	free(trimmed);
	free(c1);
	free(c2);
}

int
copy_to_backup(N2pSource *src, const char *source, const char *dir, const BackupCliOptions *bo)
{
	N2pBackupWriterOptions opts = {0};
	N2pError	err;
	N2pSink    *sink;
	Progress	progress;
	bool		replace,
				ok;
	char	   *tmp,
			   *old = NULL;
	uint64_t	files,
				bytes,
				exact;

	(void) source;
	tidy_leftovers(dir);
	if (!check_target(dir, bo->replace, &replace))
		return EXIT_DATA;
	tmp = sibling(dir, "tmp");
	if (replace)
		moving_aside = old = sibling(dir, "old");
	opts.dir = dir;
	opts.tmp_dir = tmp;
	opts.old_dir = old;
	opts.io = &posix_io;
	opts.compress = bo->compress;
	opts.gzip_level = bo->gzip_level;
	opts.chunk_rows = bo->chunk_rows;
	opts.indent = 0;
	n2p_error_init(&err);
	progress_init(&progress, &src->meta);
	sink = n2p_backup_writer_open(&opts, &n2p_libc_allocator, &err);
	ok = pump_to_files(src, sink, dir, &progress, &err);
	if (ok)
	{
		n2p_backup_writer_stats(sink, &files, &bytes, &exact);
		log_info("wrote %llu nodes and %llu relationships to \"%s\": %llu files, %llu bytes%s",
				 (unsigned long long) progress.stats[N2P_REC_NODE].rows,
				 (unsigned long long) progress.stats[N2P_REC_REL].rows, dir,
				 (unsigned long long) files, (unsigned long long) bytes,
				 exact ? "; zone ids, byte arrays, label order and element ids in neo2pg/" : "");
	}
	if (sink)
		sink->ops->close(sink);
	free(tmp);
	free(old);
	moving_aside = NULL;
	return ok ? 0 : EXIT_DATA;
}

/* CSV files for neo4j-admin database import full (neo2pg/admin_csv.h). */
int
copy_to_admin_csv(N2pSource *src, const char *dir)
{
	N2pAdminCsvOptions opts = {0};
	N2pError	err;
	N2pSink    *sink;
	Progress	progress;
	bool		replace,
				ok;
	const char *mixed;

	tidy_leftovers(dir);
	if (!check_target(dir, false, &replace))
		return EXIT_DATA;
	opts.dir = dir;
	opts.tmp_dir = sibling(dir, "tmp");
	opts.io = &posix_io;
	n2p_error_init(&err);
	progress_init(&progress, &src->meta);
	sink = n2p_admin_csv_open(&opts, &n2p_libc_allocator, &err);
	ok = pump_to_files(src, sink, dir, &progress, &err);
	if (ok)
	{
		mixed = n2p_admin_csv_mixed_keys(sink);
		if (mixed[0])
			log_info("warning: keys with values of several types, written as string columns "
						"(the values' text; lists joined by U+001F):\n%s", mixed);
		log_info("wrote %llu nodes and %llu relationships to \"%s\" for neo4j-admin: %llu files; "
				 "import them with: sh %s/import.sh",
				 (unsigned long long) progress.stats[N2P_REC_NODE].rows,
				 (unsigned long long) progress.stats[N2P_REC_REL].rows, dir,
				 (unsigned long long) n2p_admin_csv_files(sink), dir);
	}
	if (sink)
		sink->ops->close(sink);
	free((char *) opts.tmp_dir);
	return ok ? 0 : EXIT_DATA;
}
