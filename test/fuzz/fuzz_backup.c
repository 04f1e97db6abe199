/*-------------------------------------------------------------------------
 *
 * fuzz_backup.c
 *	  The backup reader as a whole (src/backup/reader.c, exact.c and all
 *	  they call) on one chunk file, through an in-memory N2pFileIO: no
 *	  disk.
 *
 * The input is a flags byte, then the chunk, then optionally
 * "\n#next#\n" and neo2pg's exact file for the chunk, then optionally
 * "\n#next#\n" and neo2pg/graph.json.  Flags: bit 0 makes the chunk a
 * relationship chunk, bit 1 names it .json.gz (so its bytes, and the
 * exact file's, are inflated), bits 2 to 4 cap each read at 2^(k-1)
 * bytes (0: no cap), bit 5 adds the metadata files (fixed and small: the
 * JSON target fuzzes their parser; each file opened costs the reader's
 * 256 kB buffer, which ASan makes slow, and a backup may lack them).
 *
 * Beyond "no crash": every record has the chunk's kind and a map of
 * properties none of which is null or a map, as the sinks assume.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_backup.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"

#include <string.h>

#include "neo2pg/backup.h"
#include "mem_io.h"

#define MARK "\n#next#\n"

static const char *const meta_files[][2] = {
	{"b/db_id.json", "\"A1\""},
	{"b/unique_prop_key.json", "\"uid\""},
	{"b/uniqueness_constraints.json",
	"[{\"node_label\": \"P\", \"node_prop\": \"uid\", \"constraint_name\": \"c\"}]"},
	{"b/property_keys.json", "[\"uid\", \"name\"]"},
	{"b/node_labels.json", "[\"P\", \"P:Q\"]"},
	{"b/rel_types.json", "[\"KNOWS\"]"},
};

/* The next part of [*p, end): up to MARK or the end. */
static size_t
next_part(const uint8_t **p, const uint8_t *end, const uint8_t **part)
{
	const size_t mlen = sizeof(MARK) - 1;
	const uint8_t *m = NULL,
			   *q;
	size_t		len;

	for (q = *p; m == NULL && (size_t) (end - q) >= mlen; q++)
		if (memcmp(q, MARK, mlen) == 0)
			m = q;
	len = (size_t) ((m ? m : end) - *p);

	*part = *p;
	*p = m ? m + sizeof(MARK) - 1 : end;
	return len;
}

static void
check_record(const N2pRecord *rec, N2pRecKind kind)
{
	size_t		i;

	FUZZ_CHECK(rec->kind == kind);
	FUZZ_CHECK(rec->props.type == N2P_MAP);
	for (i = 0; i < rec->props.u.map.n; i++)
		FUZZ_CHECK(rec->props.u.map.vals[i].type != N2P_NULL &&
				   rec->props.u.map.vals[i].type != N2P_MAP);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 1,
			   *end = data + size,
			   *part;
	bool		rel,
				gz;
	int			cap;
	size_t		len,
				i;
	MemFs		fs;
	N2pFileIO	io;
	N2pError	err;
	N2pSource  *src;
	N2pRecord	rec;
	char		chunk[64],
				exact[64];
	int			rc;

	if (size < 1)
		return 0;
	rel = data[0] & 1;
	gz = data[0] & 2;
	cap = (data[0] >> 2) & 7;
	memset(&fs, 0, sizeof(fs));
	fs.piece = cap ? (size_t) 1 << (cap - 1) : 0;
	for (i = 0; (data[0] & 32) && i < sizeof(meta_files) / sizeof(meta_files[0]); i++)
		mem_fs_add(&fs, meta_files[i][0], meta_files[i][1], strlen(meta_files[i][1]));
	snprintf(chunk, sizeof(chunk), "b/data/%s_7.json%s", rel ? "relationships" : "nodes",
			 gz ? ".gz" : "");
	snprintf(exact, sizeof(exact), "b/neo2pg/%s", chunk + strlen("b/data/"));
	len = next_part(&p, end, &part);
	mem_fs_add(&fs, chunk, part, len);
	if (p < end && (len = next_part(&p, end, &part)) > 0)
		mem_fs_add(&fs, exact, part, len);
	if (p < end && (len = next_part(&p, end, &part)) > 0)
		mem_fs_add(&fs, "b/neo2pg/graph.json", part, len);

	io = mem_io(&fs);
	n2p_error_init(&err);
	src = n2p_backup_open_io("b", &io, &n2p_libc_allocator, &err);
	if (src == NULL)
		fuzz_check_error(&err);
	else
	{
		while ((rc = src->ops->next(src, &rec, &err)) == 1)
			check_record(&rec, rel ? N2P_REC_REL : N2P_REC_NODE);
		if (rc < 0)
			fuzz_check_error(&err);
		src->ops->close(src);
	}
	/* every file the reader opened, it closed */
	FUZZ_CHECK(fs.open == 0);
	return 0;
}
